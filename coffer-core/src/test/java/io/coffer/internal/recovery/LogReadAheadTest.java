package io.coffer.internal.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coffer.internal.files.DbFiles;
import io.coffer.internal.files.Limits;
import io.coffer.internal.io.NioStorage;
import io.coffer.internal.wal.Change;
import io.coffer.internal.wal.LogReader;
import io.coffer.internal.wal.LogWriter;
import io.coffer.internal.wal.Operation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The logs read ahead arrive whole and in order, a failure names its log, and closing early stops the reader. */
class LogReadAheadTest {
    private static final Limits LIMITS = new Limits(100, 1000, 1000);

    @TempDir
    Path dir;
    private final NioStorage storage = new NioStorage();
    private long sequence;

    /** Writes logs 1..count (numbered from the base), each with {@code frames} frames of 10 operations. */
    private List<Long> writeLogs(int count, int frames) throws IOException {
        DbFiles files = new DbFiles(dir);
        List<Long> numbers = new ArrayList<>();
        for (int log = 1; log <= count; log++) {
            long number = DbFiles.BASE_NUMBER + log;
            try (LogWriter writer = LogWriter.create(storage, files, number, sequence + 1)) {
                for (int f = 0; f < frames; f++) {
                    List<Operation> batch = new ArrayList<>();
                    for (int i = 0; i < 10; i++) {
                        sequence++;
                        batch.add(new Operation(sequence, Operation.Kind.WRITE, "",
                                List.of(new Change("k" + sequence, ("v" + sequence).getBytes(StandardCharsets.UTF_8), 1))));
                    }
                    writer.append(batch);
                }
                writer.force();
            }
            numbers.add(number);
        }
        return numbers;
    }

    private static boolean readerAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("coffer-log-reader") && t.isAlive());
    }

    @Test
    void everyOperationOfEveryLogArrivesInOrderFollowedByItsScan() throws IOException {
        List<Long> logs = writeLogs(3, 70); // 700 operations per log: several chunks each
        List<Long> seen = new ArrayList<>();
        try (LogReadAhead ahead = new LogReadAhead(storage, new DbFiles(dir), LIMITS, logs)) {
            for (int log = 0; log < 3; log++) {
                int before = seen.size();
                LogReader.Scan scan = ahead.next(operation -> seen.add(operation.sequence()));
                assertTrue(scan.clean(), scan::toString);
                assertEquals(700, scan.operations());
                assertEquals(700, seen.size() - before, "a log's scan comes after all of its operations");
            }
        }
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(i + 1, seen.get(i));
        }
    }

    @Test
    void aLogThatCannotBeOpenedFailsWhenItsTurnComes() throws IOException {
        List<Long> logs = new ArrayList<>(writeLogs(1, 2));
        logs.add(DbFiles.BASE_NUMBER + 7); // no such file
        try (LogReadAhead ahead = new LogReadAhead(storage, new DbFiles(dir), LIMITS, logs)) {
            assertTrue(ahead.next(operation -> { }).clean());
            NoSuchFileException missing = assertThrows(NoSuchFileException.class, () -> ahead.next(operation -> { }));
            assertTrue(missing.getMessage().contains("1000000007.log"), missing::getMessage);
        }
        assertFalse(readerAlive());
    }

    @Test
    void closingBeforeTheEndStopsAReaderThatIsWaitingForRoom() throws IOException {
        List<Long> logs = writeLogs(4, 200); // far more chunks than the reader may hold ahead
        try (LogReadAhead ahead = new LogReadAhead(storage, new DbFiles(dir), LIMITS, logs)) {
            assertTrue(ahead.next(operation -> { }).clean()); // recovery refuses after the first log, say
        }
        assertFalse(readerAlive(), "close() returns only once the reader has exited");
    }
}
