package io.coffer.internal.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coffer.internal.files.DbFiles;
import io.coffer.internal.files.Limits;
import io.coffer.internal.io.NioStorage;
import io.coffer.internal.io.StorageFile;
import io.coffer.testing.Logs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log reader takes a log in through one buffer of many frames; frames that straddle the buffer's end, or
 * are larger than it, read back exactly as written, and damage is found where it is whatever the buffer size.
 */
class LogReaderWindowTest {
    private static final Limits LIMITS = new Limits(100, 20_000, 50);
    private static final long NUMBER = DbFiles.BASE_NUMBER + 1;
    private static final int[] WINDOWS = {64, 100, 1_000, 4_096, 65_536, LogReader.WINDOW_BYTES};

    @TempDir
    Path dir;
    private final NioStorage storage = new NioStorage();

    /** Writes random frames (1-5 operations of 1-3 changes, values up to 12 KB, some deletions); returns them. */
    private List<Operation> writeRandomLog(long seed, int frames) throws IOException {
        return writeRandomLog(seed, frames, NUMBER);
    }

    private List<Operation> writeRandomLog(long seed, int frames, long number) throws IOException {
        Random random = new Random(seed);
        List<Operation> written = new ArrayList<>();
        long sequence = 0;
        try (LogWriter writer = LogWriter.create(storage, new DbFiles(dir), number, 1)) {
            for (int f = 0; f < frames; f++) {
                List<Operation> batch = new ArrayList<>();
                for (int o = 1 + random.nextInt(5); o > 0; o--) {
                    List<Change> changes = new ArrayList<>();
                    for (int c = 1 + random.nextInt(3); c > 0; c--) {
                        byte[] value = random.nextInt(8) == 0 ? null : new byte[random.nextInt(10) == 0 ? random.nextInt(12_000) : random.nextInt(60)];
                        if (value != null) {
                            random.nextBytes(value);
                        }
                        changes.add(new Change("k" + random.nextInt(1_000), value, value == null ? 0 : 1 + random.nextInt(9)));
                    }
                    batch.add(new Operation(++sequence, Operation.Kind.WRITE, "", changes));
                }
                writer.append(batch);
                written.addAll(batch);
            }
            writer.force();
        }
        return written;
    }

    private LogReader.Scan read(int window, List<Operation> into) throws IOException {
        try (StorageFile file = storage.open(new DbFiles(dir).log(NUMBER))) {
            return LogReader.read(file, NUMBER, LIMITS, into::add, window);
        }
    }

    @Test
    void everyWindowSizeReadsBackExactlyTheOperationsWritten() throws IOException {
        long seed = System.nanoTime();
        System.out.println("LogReaderWindowTest seed " + seed);
        List<Operation> written = writeRandomLog(seed, 300);
        for (int window : WINDOWS) {
            List<Operation> read = new ArrayList<>();
            LogReader.Scan scan = read(window, read);
            assertTrue(scan.clean(), "window " + window + ", seed " + seed + ": " + scan);
            assertEquals(written.size(), read.size(), "window " + window + ", seed " + seed);
            for (int i = 0; i < written.size(); i++) {
                assertSame(written.get(i), read.get(i), "window " + window + ", seed " + seed + ", operation " + i);
            }
        }
    }

    @Test
    void oneWindowBufferReusedFromLogToLogReadsEachExactly() throws IOException {
        long seed = System.nanoTime();
        System.out.println("LogReaderWindowTest seed " + seed);
        long[] numbers = {NUMBER, NUMBER + 1, NUMBER + 2};
        List<List<Operation>> written = List.of(writeRandomLog(seed, 300, numbers[0]), writeRandomLog(seed + 1, 7, numbers[1]),
                writeRandomLog(seed + 2, 120, numbers[2]));
        java.nio.ByteBuffer window = null;
        for (int round = 0; round < 2; round++) { // the second round starts with the buffer the last log left
            for (int i = 0; i < numbers.length; i++) {
                List<Operation> read = new ArrayList<>();
                try (StorageFile file = storage.open(new DbFiles(dir).log(numbers[i]))) {
                    window = LogReader.window(file.size(), window);
                    assertTrue(LogReader.read(file, numbers[i], LIMITS, read::add, window).clean(), "seed " + seed);
                }
                assertEquals(written.get(i).size(), read.size(), "log " + i + ", seed " + seed);
                for (int o = 0; o < read.size(); o++) {
                    assertSame(written.get(i).get(o), read.get(o), "log " + i + ", seed " + seed + ", operation " + o);
                }
            }
        }
    }

    @Test
    void aTornLastFrameIsFoundAtTheSameOffsetWhateverTheWindow() throws IOException {
        long seed = System.nanoTime();
        System.out.println("LogReaderWindowTest seed " + seed);
        List<Operation> written = writeRandomLog(seed, 60);
        Path log = new DbFiles(dir).log(NUMBER);
        long end = Logs.framesEnd(log);
        byte[] bytes = Files.readAllBytes(log);
        long lastNonZero = end - 1;
        while (bytes[(int) lastNonZero] == 0) {
            lastNonZero--; // a frame ending in an empty value ends in zeros: zeroing them would tear nothing
        }
        Logs.tearAt(log, Math.min(end - 3, lastNonZero)); // the last frame loses its last bytes, at least one not zero
        LogReader.Scan first = null;
        for (int window : WINDOWS) {
            List<Operation> read = new ArrayList<>();
            LogReader.Scan scan = read(window, read);
            assertFalse(scan.clean(), "window " + window + ", seed " + seed);
            assertTrue(scan.tornTailOnly(), "window " + window + ", seed " + seed + ": " + scan);
            assertTrue(read.size() < written.size(), "window " + window);
            if (first == null) {
                first = scan;
            }
            assertEquals(first.validEnd(), scan.validEnd(), "window " + window + ", seed " + seed);
            assertEquals(first.operations(), scan.operations(), "window " + window + ", seed " + seed);
        }
    }

    private static void assertSame(Operation expected, Operation actual, String where) {
        assertEquals(expected.sequence(), actual.sequence(), where);
        assertEquals(expected.changes().size(), actual.changes().size(), where);
        for (int c = 0; c < expected.changes().size(); c++) {
            Change e = expected.changes().get(c);
            Change a = actual.changes().get(c);
            assertEquals(e.key(), a.key(), where);
            assertEquals(e.version(), a.version(), where);
            assertArrayEquals(e.value(), a.value(), where);
        }
    }
}
