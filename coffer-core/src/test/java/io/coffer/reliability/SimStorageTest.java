package io.coffer.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coffer.internal.io.StorageFile;
import io.coffer.reliability.SimStorage.Kind;
import io.coffer.reliability.SimStorage.Mode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The simulated disk the reliability suite trusts: what is durable, what a crash keeps, what a fault does. */
class SimStorageTest {
    private final Path dir = Path.of("/sim/db").toAbsolutePath();
    private final SimStorage storage = new SimStorage(dir);

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void aPowerCutKeepsOnlyForcedBytesOfFilesWhoseDirectoryEntryWasSynced() throws IOException {
        StorageFile synced = storage.create(dir.resolve("a"));
        synced.append(bytes("forced"));
        synced.force();
        storage.syncDirectory(dir);
        synced.append(bytes("+volatile"));
        StorageFile unsynced = storage.create(dir.resolve("b"));
        unsynced.append(bytes("forced but no directory sync"));
        unsynced.force();

        SimStorage image = storage.crashImage(new Random(1), Mode.DROP_UNSYNCED);
        assertEquals(List.of("a"), image.names());
        assertEquals("forced", text(image.read("a")));
        assertTrue(image.fullyDurable());
        assertEquals("forced+volatile", text(storage.read("a")), "reads see the volatile bytes");
        assertEquals("a has 15 bytes of which 6 are durable", storage.visibleButVolatile());
        assertEquals("the directory entry of b is not durable", storage.visibleButVolatile("b"));
    }

    @Test
    void renamesAndDeletesAreDurableOnlyAfterADirectorySync() throws IOException {
        StorageFile file = storage.create(dir.resolve("old"));
        file.append(bytes("x"));
        file.force();
        storage.syncDirectory(dir);
        storage.rename(dir.resolve("old"), dir.resolve("new"));
        assertEquals(List.of("old"), storage.crashImage(new Random(1), Mode.DROP_UNSYNCED).names());
        storage.syncDirectory(dir);
        assertEquals(List.of("new"), storage.crashImage(new Random(1), Mode.DROP_UNSYNCED).names());
        storage.delete(dir.resolve("new"));
        assertEquals(List.of("new"), storage.crashImage(new Random(1), Mode.DROP_UNSYNCED).names(), "a delete can be undone");
        assertNull(storage.visibleButVolatile(), "an unsynced delete leaves nothing volatile visible");
        assertFalse(storage.fullyDurable());
        storage.syncDirectory(dir);
        assertEquals(List.of(), storage.crashImage(new Random(1), Mode.DROP_UNSYNCED).names());
    }

    @Test
    void randomImagesMixEveryAllowedFateOfUnsyncedChanges() throws IOException {
        StorageFile kept = storage.create(dir.resolve("kept"));
        kept.append(bytes("durable"));
        kept.force();
        storage.syncDirectory(dir);
        kept.append(bytes("0123456789"));
        storage.create(dir.resolve("new")).append(bytes("n"));
        storage.delete(dir.resolve("kept"));
        Set<String> namings = new HashSet<>();
        Set<String> contents = new HashSet<>();
        for (int seed = 0; seed < 300; seed++) {
            SimStorage image = storage.crashImage(new Random(seed), Mode.RANDOM);
            namings.add(image.names().toString());
            byte[] content = image.read("kept");
            if (content != null) {
                assertEquals("durable", text(Arrays.copyOf(content, 7)), "the durable prefix always survives");
                contents.add(text(content));
            }
        }
        assertTrue(namings.containsAll(List.of("[kept]", "[kept, new]", "[new]", "[]")), namings::toString);
        assertTrue(contents.contains("durable") && contents.contains("durable0123456789"), contents::toString);
        assertTrue(contents.size() > 10, "prefixes, torn tails, holes and garbage: " + contents.size());
    }

    @Test
    void aPowerCutFailsTheKthOperationAndEveryCallAfterIt() throws IOException {
        storage.powerCutAt(3);
        StorageFile file = storage.create(dir.resolve("a"));
        file.append(bytes("1"));
        IOException cut = assertThrows(IOException.class, file::force);
        assertEquals("power cut", cut.getMessage());
        assertTrue(storage.isCut());
        assertThrows(IOException.class, () -> storage.list(dir));
        assertThrows(IOException.class, () -> file.read(ByteBuffer.allocate(1), 0));
        assertEquals(3, storage.operations());
        assertNull(storage.crashImage(new Random(1), Mode.DROP_UNSYNCED).read("a"), "its entry was never synced");
    }

    /** File "a", its entry synced, "durable" forced, then "+lost" appended; the next force fails with EIO. */
    private StorageFile aFileWhoseNextForceFails() throws IOException {
        StorageFile file = storage.create(dir.resolve("a"));
        storage.syncDirectory(dir);
        file.append(bytes("durable"));
        file.force();
        file.append(bytes("+lost"));
        storage.failNth(Kind.FORCE, 2, false, false, "Input/output error");
        return file;
    }

    @Test
    void aFailedForceLosesTheUnsyncedBytesForEverAndARetriedForceIsAViolation() throws IOException {
        StorageFile file = aFileWhoseNextForceFails();
        IOException failed = assertThrows(IOException.class, file::force);
        assertTrue(failed.getMessage().startsWith("Input/output error"), failed::getMessage);
        assertEquals(List.of(), storage.violations());
        file.force(); // succeeds, like Linux after fsyncgate, without making anything durable
        assertEquals(1, storage.violations().size(), storage.violations()::toString);
        for (int seed = 0; seed < 50; seed++) {
            assertEquals("durable", text(storage.crashImage(new Random(seed), Mode.RANDOM).read("a")));
        }
    }

    @Test
    void theNextProcessReadsWhatAFailedForceLostAndOnlyWritingItAgainMakesItDurable() throws IOException {
        StorageFile file = aFileWhoseNextForceFails();
        assertThrows(IOException.class, file::force);

        SimStorage next = storage.restart();
        assertEquals("durable+lost", text(next.read("a")), "the page cache still holds the lost bytes");
        StorageFile reopened = next.open(dir.resolve("a"));
        reopened.force(); // a new process may force: no violation, but nothing to write either
        assertEquals(List.of(), next.violations());
        for (int seed = 0; seed < 20; seed++) {
            assertEquals("durable\0\0\0\0\0", text(next.crashImage(new Random(seed), Mode.RANDOM).read("a")),
                    "the size is durable now, the lost bytes never were");
        }
        reopened.write(bytes("+lo"), 7); // written again: dirty, so the next force carries them
        reopened.force();
        assertEquals("durable+lo\0\0", text(next.crashImage(new Random(0), Mode.DROP_UNSYNCED).read("a")));
    }

    @Test
    void aShortWriteLeavesHalfTheBytesThenFails() throws IOException {
        StorageFile file = storage.create(dir.resolve("a"));
        storage.failNth(Kind.APPEND, 1, false, true, "No space left on device");
        assertThrows(IOException.class, () -> file.append(bytes("abcdefgh")));
        assertArrayEquals("abcd".getBytes(java.nio.charset.StandardCharsets.UTF_8), storage.read("a"));
        assertEquals(1, storage.faultsFired());
        file.append(bytes("ok"));
        assertEquals("abcdok", text(storage.read("a")), "a fault injected once fires once");
    }
}
