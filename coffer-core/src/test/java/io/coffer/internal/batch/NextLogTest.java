package io.coffer.internal.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coffer.internal.files.DbFiles;
import io.coffer.internal.io.NioStorage;
import io.coffer.internal.wal.LogFormat;
import io.coffer.internal.wal.LogWriter;
import io.coffer.testing.FaultyStorage;
import io.coffer.testing.FaultyStorage.Op;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The next log, made ahead: whole and durable when taken, checked against where the open log ends, never left half made. */
class NextLogTest {
    private static final long NEXT = DbFiles.BASE_NUMBER + 2;

    @TempDir
    Path dir;

    @Test
    void aLogMadeOnItsOwnThreadIsTakenWholeWithTheHeaderItWasMadeWith() throws IOException {
        NextLog next = new NextLog(new NioStorage(), new DbFiles(dir), false);
        next.make(NEXT, 1001, 0);
        assertTrue(next.pending());
        try (LogWriter log = next.take(NEXT, 1001)) {
            assertFalse(next.pending());
            assertEquals(NEXT, log.number());
            assertEquals(1001, log.firstSequence());
            assertEquals(0, log.operations());
            assertEquals(LogFormat.HEADER_BYTES + LogFormat.MIN_PREALLOCATION_BYTES, Files.size(log(NEXT)));
        }
        next.discard();
    }

    @Test
    void aLogMadeForAnotherFirstSequenceIsRefusedAndDeleted() {
        NextLog next = new NextLog(new NioStorage(), new DbFiles(dir), true);
        next.make(NEXT, 1001, 0);
        IOException refused = assertThrows(IOException.class, () -> next.take(NEXT, 1002));
        assertTrue(refused.getMessage().contains("start at operation 1001 but the next operation is 1002"), refused::getMessage);
        assertFalse(Files.exists(log(NEXT)));
    }

    @Test
    void aStopDiscardsTheLogMadeAheadAndItsThread() {
        Set<Thread> before = makers();
        NextLog next = new NextLog(new NioStorage(), new DbFiles(dir), false);
        next.make(NEXT, 1001, 0);
        next.discard();
        assertFalse(Files.exists(log(NEXT)));
        assertFalse(next.pending());
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!before.containsAll(makers()) && System.nanoTime() < deadline) {
            Thread.yield();
        }
        assertTrue(before.containsAll(makers()), "the maker thread ends after a discard");
    }

    @Test
    void aLogAskedForAfterTheMakerWasLetGoIsAMakingFailureNotAnUncheckedException() {
        NextLog next = new NextLog(new NioStorage(), new DbFiles(dir), false);
        next.shutdownMaker(); // what an abort does when the batcher is stuck in the disk
        next.make(NEXT, 1001, 0);
        IOException failed = assertThrows(IOException.class, next::throwIfFailed);
        assertTrue(failed.getMessage().contains("stopped hard"), failed::getMessage);
        assertFalse(Files.exists(log(NEXT)));
        next.discard();
    }

    @Test
    void aFailedMakingLeavesNoFileAndIsThrownByTheNextCheck() {
        FaultyStorage storage = new FaultyStorage().failNth(Op.APPEND, 1, false, true, "No space left on device");
        NextLog next = new NextLog(storage, new DbFiles(dir), true);
        next.make(NEXT, 1001, 0);
        assertFalse(Files.exists(log(NEXT)), "the half-written header is deleted at once");
        IOException failed = assertThrows(IOException.class, next::throwIfFailed);
        assertTrue(failed.getMessage().contains("No space left on device"), failed::getMessage);
        assertFalse(next.pending());
    }

    private Path log(long number) {
        return new DbFiles(dir).log(number);
    }

    /** The live "coffer-log-maker" threads (other tests' databases may have their own). */
    private static Set<Thread> makers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("coffer-log-maker") && t.isAlive()).collect(Collectors.toSet());
    }
}
