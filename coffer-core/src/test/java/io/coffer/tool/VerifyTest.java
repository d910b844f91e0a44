package io.coffer.tool;

import static io.coffer.testing.Dbs.assertOk;
import static io.coffer.testing.Dbs.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coffer.CreateReport;
import io.coffer.Db;
import io.coffer.internal.files.DbFiles;
import io.coffer.internal.io.NioStorage;
import io.coffer.internal.wal.Change;
import io.coffer.internal.wal.LogWriter;
import io.coffer.internal.wal.Operation;
import io.coffer.testing.Dbs;
import io.coffer.testing.Logs;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verify}: clean, torn-tail and corrupt directories give exit codes 0, 1 and 2 with the file and
 * offset; and every verdict agrees with what opening the same directory (a copy) does.
 */
class VerifyTest {
    private static final String LOG1 = "1000000001.log";
    private static final String LOG2 = "1000000002.log";
    private static final String LOG3 = "1000000003.log";

    @TempDir
    Path root;
    Path source;
    /** The byte offset of the frame of operation i (1..9) in its log. */
    long[] frame = new long[10];
    /** Each log's size. */
    long[] logSize = new long[4];

    /** Nine single writes, three per log (one frame each), logs kept, stopped hard: no checkpoint. */
    @BeforeEach
    void build() throws IOException {
        source = root.resolve("source");
        try (Db db = Dbs.started(source, b -> b.limitRecordsPerLogfile(3).removeUnlessLogs(false))) {
            for (int i = 1; i <= 9; i++) {
                Path log = source.resolve(DbFiles.name(DbFiles.BASE_NUMBER + 1 + (i - 1) / 3, DbFiles.LOG));
                frame[i] = Files.exists(log) ? Logs.framesEnd(log) : 32;
                assertOk(db.write("key" + i, bytes("value " + i)));
            }
            assertOk(db.stopHard());
        }
        for (int log = 1; log <= 3; log++) {
            logSize[log] = Files.size(source.resolve(DbFiles.name(DbFiles.BASE_NUMBER + log, DbFiles.LOG)));
        }
    }

    private Path copy(String name) throws IOException {
        Path copy = root.resolve(name);
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(source)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        return copy;
    }

    private static void flip(Path file, long offset) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ 0x5A);
        }
    }

    private static void cut(Path file, long size) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size);
        }
    }

    /** How verify describes log n's size: the bytes of its frames, then the zeros preallocated after them. */
    private String sizes(int log) throws IOException {
        long frames = Logs.framesEnd(source.resolve(DbFiles.name(DbFiles.BASE_NUMBER + log, DbFiles.LOG)));
        return frames + " bytes + " + (logSize[log] - frames) + " preallocated (zeros)";
    }

    private static Tool verify(Path dir) {
        return Tool.run("verify", dir.toString());
    }

    /** What opening a copy of {@code dir} says: null when it opens without warnings, else the warning or the refusal. */
    private String open(Path dir, String name) throws IOException {
        Path copy = root.resolve(name);
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        CreateReport report = Dbs.builder(copy).create();
        if (report.db() != null) {
            report.db().close();
        }
        return report.isCodeOk() ? (report.warnings().isEmpty() ? null : "opened: " + report.warnings())
                : "refused: " + report.error();
    }

    private static String line(String file, String verdict, String text) {
        return String.format("%-21s  %-7s  %s", file, verdict, text);
    }

    @Test
    void aCleanDirectoryIsCleanFileByFile() throws IOException {
        Tool verify = verify(source);
        assertEquals(0, verify.exit(), verify::toString);
        assertEquals(List.of(
                line(LOG1, "ok", "3 operations (1..3) in 3 frames, " + sizes(1)),
                line(LOG2, "ok", "3 operations (4..6) in 3 frames, " + sizes(2)),
                line(LOG3, "ok", "3 operations (7..9) in 3 frames, " + sizes(3)),
                "3 files checked: clean"), verify.lines());
        assertEquals("", verify.err());
        assertNull(open(source, "opened"));
    }

    @Test
    void aTornLastFrameIsATornTailAtItsOffset() throws IOException {
        Path dir = copy("torn");
        cut(dir.resolve(LOG3), frame[9] + 5);
        Tool verify = verify(dir);
        assertEquals(1, verify.exit(), verify::toString);
        assertEquals(line(LOG3, "TORN", "offset " + frame[9] + " of " + (frame[9] + 5) + ": frame header cut short; "
                + "opening cuts the log to " + frame[9] + " bytes (when allowStartupErrLoadLogs is true)"),
                verify.lines().get(2));
        assertEquals("3 files checked: torn tail only", verify.lines().get(3));
        String opened = open(dir, "torn-opened");
        assertTrue(opened.startsWith("opened: ") && opened.contains("cut at byte " + frame[9]), opened);
    }

    @Test
    void aLastLogWhoseHeaderNeverBecameDurableIsATornTail() throws IOException {
        Path dir = copy("torn-header");
        cut(dir.resolve(LOG3), 20);
        Tool verify = verify(dir);
        assertEquals(1, verify.exit(), verify::toString);
        assertEquals(line(LOG3, "TORN", "offset 0 of 20: log shorter than its header; opening deletes this log: its "
                + "header never became durable (when allowStartupErrLoadLogs is true)"), verify.lines().get(2));
        String opened = open(dir, "torn-header-opened");
        assertTrue(opened.startsWith("opened: ") && opened.contains("deleted"), opened);
    }

    @Test
    void aLogMadeAheadAndNeverUsedIsANoteAndTheLogBeingWrittenBeforeItMayEndTorn() throws IOException {
        Path dir = copy("ahead");
        cut(dir.resolve(LOG3), frame[9] + 5);
        try (LogWriter ahead = LogWriter.create(new NioStorage(), new DbFiles(dir), DbFiles.BASE_NUMBER + 4, 10)) {
            assertEquals(DbFiles.BASE_NUMBER + 4, ahead.number()); // made while log 3 filled: it starts where log 3 will end
        }
        Tool verify = verify(dir);
        assertEquals(1, verify.exit(), verify::toString);
        assertEquals(List.of(
                line(LOG3, "TORN", "offset " + frame[9] + " of " + (frame[9] + 5) + ": frame header cut short; "
                        + "opening cuts the log to " + frame[9] + " bytes (when allowStartupErrLoadLogs is true)"),
                line("1000000004.log", "NOTE", "made ahead to start at operation 10 and never used (the logs before it end"
                        + " at operation 8): opening deletes it"),
                "4 files checked: torn tail only"), verify.lines().subList(2, 5));
        String opened = open(dir, "ahead-opened");
        assertTrue(opened.startsWith("opened: ") && opened.contains("cut at byte " + frame[9]), opened);
        assertFalse(Files.exists(root.resolve("ahead-opened").resolve("1000000004.log")));
    }

    @Test
    void aFramelessLastLogThatDoesNotRunAheadIsAMissingLogAsBefore() throws IOException {
        Path dir = copy("gap");
        try (LogWriter ahead = LogWriter.create(new NioStorage(), new DbFiles(dir), DbFiles.BASE_NUMBER + 5, 13)) {
            assertEquals(13, ahead.firstSequence()); // log 4 is missing between log 3 and it
        }
        Tool verify = verify(dir);
        assertEquals(2, verify.exit(), verify::toString);
        assertEquals(line("1000000005.log", "CORRUPT", "offset 0: starts at operation 13 but operation 10 was expected:"
                + " a log is missing before it"), verify.lines().get(3));
        String opened = open(dir, "gap-opened");
        assertTrue(opened.startsWith("refused: ") && opened.contains("missing"), opened);
    }

    @Test
    void damageInALogBeforeTheLastIsCorruptionAtTheFrameOffset() throws IOException {
        Path dir = copy("corrupt-middle");
        flip(dir.resolve(LOG2), frame[5] + 12);
        Tool verify = verify(dir);
        assertEquals(2, verify.exit(), verify::toString);
        assertEquals(List.of(
                line(LOG1, "ok", "3 operations (1..3) in 3 frames, " + sizes(1)),
                line(LOG2, "CORRUPT", "offset " + frame[5] + ": frame checksum mismatch (only the last log may end in a "
                        + "torn write)"),
                line(LOG3, "ok", "3 operations (7..9) in 3 frames, " + sizes(3)),
                "3 files checked: CORRUPT (1 problem)"), verify.lines());
        String opened = open(dir, "corrupt-middle-opened");
        assertTrue(opened.startsWith("refused: ") && opened.contains(LOG2 + " is corrupt at byte " + frame[5]), opened);
    }

    @Test
    void damageInTheLastLogFollowedByAValidFrameIsCorruption() throws IOException {
        Path dir = copy("corrupt-last");
        flip(dir.resolve(LOG3), frame[7] + 12);
        Tool verify = verify(dir);
        assertEquals(2, verify.exit(), verify::toString);
        assertEquals(line(LOG3, "CORRUPT", "offset " + frame[7] + ": frame checksum mismatch"), verify.lines().get(2));
        String opened = open(dir, "corrupt-last-opened");
        assertTrue(opened.startsWith("refused: ") && opened.contains(LOG3 + " is corrupt at byte " + frame[7]), opened);
    }

    @Test
    void aMissingLogBreaksTheSequence() throws IOException {
        Path dir = copy("missing");
        Files.delete(dir.resolve(LOG2));
        Tool verify = verify(dir);
        assertEquals(2, verify.exit(), verify::toString);
        assertEquals(line(LOG3, "CORRUPT", "offset 0: starts at operation 7 but operation 4 was expected: a log is "
                + "missing before it"), verify.lines().get(1));
        String opened = open(dir, "missing-opened");
        assertTrue(opened.startsWith("refused: ") && opened.contains("a log is missing"), opened);
    }

    @Test
    void aGapInsideALogIsCorruptionAtTheFrameOfTheOperation() throws IOException {
        Path dir = root.resolve("gap");
        Files.createDirectories(dir);
        long gapFrame;
        try (LogWriter writer = LogWriter.create(new NioStorage(), new DbFiles(dir), DbFiles.BASE_NUMBER + 1, 1)) {
            writer.append(List.of(write(1), write(2)));
            gapFrame = writer.bytes();
            writer.append(List.of(write(4)));
            writer.force();
        }
        Tool verify = verify(dir);
        assertEquals(2, verify.exit(), verify::toString);
        assertEquals(line(LOG1, "CORRUPT", "offset " + gapFrame + ": operation 4 where operation 3 was expected: "
                + "operations are missing or repeated"), verify.lines().get(0));
        String opened = open(dir, "gap-opened");
        assertTrue(opened.startsWith("refused: ") && opened.contains("operations are missing"), opened);
    }

    private static Operation write(long sequence) {
        return new Operation(sequence, Operation.Kind.WRITE, "", List.of(new Change("k" + sequence, bytes("v"), 1)));
    }

    /** Reopens the source and stops it: a checkpoint 1000000004 covering 1..9 (logs kept unless told). */
    private Path withCheckpoint(String name, boolean keepLogs) throws IOException {
        Path dir = copy(name);
        try (Db db = Dbs.created(dir, b -> b.removeUnlessLogs(!keepLogs))) {
            assertOk(db.stop());
        }
        assertTrue(Files.exists(dir.resolve("1000000004.checkpoint")));
        return dir;
    }

    @Test
    void aCheckpointIsReadWholeAndTheLogsItCoversAreNotInTheChain() throws IOException {
        Path dir = withCheckpoint("checkpoint", true);
        Files.delete(dir.resolve(LOG2)); // a covered log missing is harmless to recovery: a note
        Tool verify = verify(dir);
        assertEquals(0, verify.exit(), verify::toString);
        long size = Files.size(dir.resolve("1000000004.checkpoint"));
        assertEquals(List.of(
                line(LOG1, "ok", "3 operations (1..3) in 3 frames, " + sizes(1)),
                line(LOG3, "ok", "3 operations (7..9) in 3 frames, " + sizes(3)),
                line(LOG3, "NOTE", "starts at operation 7 but the log before it ended at operation 3; checkpoint "
                        + "1000000004.checkpoint covers this log, so recovery does not read it"),
                line("1000000004.checkpoint", "ok", "9 records, covers operations 1..9, " + size + " bytes"),
                "3 files checked: clean"), verify.lines());
        assertNull(open(dir, "checkpoint-opened"));
    }

    @Test
    void aDamagedCheckpointIsCorruptionEvenWhenTheLogsStillHoldEverything() throws IOException {
        Path dir = withCheckpoint("bad-checkpoint", true);
        flip(dir.resolve("1000000004.checkpoint"), 32 + 12);
        Tool verify = verify(dir);
        assertEquals(2, verify.exit(), verify::toString);
        assertEquals(List.of(
                line("1000000004.checkpoint", "CORRUPT", "offset 32: record checksum mismatch"),
                line("1000000004.checkpoint", "NOTE", "opening skips it and recovers from an empty database and the "
                        + "logs after it"),
                "4 files checked: CORRUPT (1 problem)"), verify.lines().subList(3, 6));
        String opened = open(dir, "bad-checkpoint-opened");
        assertTrue(opened.startsWith("opened: ") && opened.contains("is corrupt"), opened);
    }

    @Test
    void aDamagedCheckpointThatNoLogBacksUpIsTwoProblems() throws IOException {
        Path dir = withCheckpoint("lost-checkpoint", false);
        assertFalse(Files.exists(dir.resolve(LOG1)));
        flip(dir.resolve("1000000004.checkpoint"), 32 + 12);
        Tool verify = verify(dir);
        assertEquals(2, verify.exit(), verify::toString);
        assertEquals(List.of(
                line("1000000004.checkpoint", "CORRUPT", "offset 32: record checksum mismatch"),
                line("1000000004.checkpoint", "CORRUPT", "the logs do not hold everything it covered: opening refuses"),
                "1 file checked: CORRUPT (2 problems)"), verify.lines());
        String opened = open(dir, "lost-checkpoint-opened");
        assertTrue(opened.startsWith("refused: ") && opened.contains("do not hold everything"), opened);
    }

    @Test
    void aLogWhoseHeaderIsTornDoesNotCoverADamagedCheckpointAsRecoveryCountsIt() throws IOException {
        Path dir = withCheckpoint("torn-after-lost", false);
        flip(dir.resolve("1000000004.checkpoint"), 32 + 12);
        Files.write(dir.resolve("1000000005.log"), new byte[20]); // a log created by a crash before its header was durable
        Tool verify = verify(dir);
        assertEquals(2, verify.exit(), verify::toString);
        assertTrue(verify.lines().contains(line("1000000004.checkpoint", "CORRUPT",
                "the logs do not hold everything it covered: opening refuses")), verify::toString);
        String opened = open(dir, "torn-after-lost-opened");
        assertTrue(opened.startsWith("refused: ") && opened.contains("do not hold everything"), opened);
    }

    @Test
    void anUnfinishedCheckpointIsANote() throws IOException {
        Path dir = copy("check");
        Files.write(dir.resolve("1000000004.check"), new byte[] {1, 2, 3});
        Tool verify = verify(dir);
        assertEquals(0, verify.exit(), verify::toString);
        assertEquals(line("1000000004.check", "NOTE", "an unfinished checkpoint (a stop or crash interrupted it): never "
                + "read; opening the database deletes it"), verify.lines().get(3));
        assertEquals("4 files checked: clean", verify.lines().get(4));
    }

    @Test
    void anEmptyOrMissingDirectory() throws IOException {
        Path empty = Files.createDirectories(root.resolve("empty"));
        Tool verify = verify(empty);
        assertEquals(0, verify.exit(), verify::toString);
        assertEquals(List.of("0 files checked: clean"), verify.lines());
        Tool missing = verify(root.resolve("nowhere"));
        assertEquals(66, missing.exit(), missing::toString);
        assertTrue(missing.err().contains("no such directory"), missing::toString);
    }
}
