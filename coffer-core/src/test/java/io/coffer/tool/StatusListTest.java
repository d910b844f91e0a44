package io.coffer.tool;

import static io.coffer.testing.Dbs.assertOk;
import static io.coffer.testing.Dbs.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coffer.CreateReport;
import io.coffer.Db;
import io.coffer.FilesReport;
import io.coffer.internal.files.DbFiles;
import io.coffer.internal.io.NioStorage;
import io.coffer.internal.wal.LogWriter;
import io.coffer.testing.Dbs;
import io.coffer.testing.Logs;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code status} reports what opening would recover, without the repair; {@code list} matches {@link Db#files()}. */
class StatusListTest {
    @TempDir
    Path root;
    Path source;
    long lastFrame;

    /** 8 writes and a delete over three logs, logs kept, stopped hard: 7 records, last sequence 9. */
    @BeforeEach
    void build() throws IOException {
        source = root.resolve("source");
        try (Db db = Dbs.started(source, b -> b.limitRecordsPerLogfile(3).removeUnlessLogs(false))) {
            for (int i = 1; i <= 8; i++) {
                assertOk(db.write("key" + i, bytes("value " + i)));
            }
            lastFrame = Logs.framesEnd(source.resolve("1000000003.log"));
            assertOk(db.delete("key1"));
            assertOk(db.stopHard());
        }
    }

    private Path copy(Path from, String name) throws IOException {
        Path copy = Files.createDirectories(root.resolve(name));
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        return copy;
    }

    /** A copy of the source whose last write (the delete of key1) is torn: its log ends 10 bytes into that frame. */
    private Path tornCopy(String name) throws IOException {
        Path dir = copy(source, name);
        try (RandomAccessFile file = new RandomAccessFile(dir.resolve("1000000003.log").toFile(), "rw")) {
            file.setLength(lastFrame + 10);
        }
        return dir;
    }

    private static String line(String label, String value) {
        return String.format("%-18s %s", label, value);
    }

    private static long sizeOf(Path dir) throws IOException {
        long total = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> !f.getFileName().toString().equals("coffer.lock")).toList()) {
                total += Files.size(file);
            }
        }
        return total;
    }

    @Test
    void statusOfACleanDirectoryIsWhatOpeningRecovers() throws IOException {
        Tool status = Tool.run("status", source.toString());
        assertEquals(0, status.exit(), status::toString);
        assertEquals(List.of(
                line("directory", source.toString()),
                line("lock", "coffer.lock is not held: no live database"),
                line("files", "3 logs, 0 checkpoints (" + sizeOf(source) + " bytes)"),
                line("newest checkpoint", "none"),
                line("last sequence", "9"),
                line("records", "7"),
                line("replayed", "9 operations from logs"),
                line("recovery", "clean: opening recovers this without repairs")), status.lines());
        try (Db db = Dbs.created(copy(source, "opened"), b -> b)) {
            assertEquals(7, db.countUnsafe().count());
            assertEquals(9, db.status().durableSequence());
        }
    }

    @Test
    void statusOfATornTailGivesTheFiguresAfterTheCutWithoutCutting() throws IOException {
        Path dir = tornCopy("torn");
        long size = lastFrame + 10;
        Tool status = Tool.run("status", dir.toString());
        assertEquals(1, status.exit(), status::toString);
        List<String> lines = status.lines();
        assertEquals(line("last sequence", "8"), lines.get(4));
        assertEquals(line("records", "8"), lines.get(5));
        assertEquals(List.of(
                line("repair", "opening cuts the last log 1000000003.log at byte " + lastFrame + " of " + size
                        + ": torn record (frame of 37 bytes cut short at 2)"),
                line("recovery", "torn tail: the figures above are after that repair, which opening makes when "
                        + "allowStartupErrLoadLogs is true (the default); with false, opening refuses")),
                lines.subList(7, lines.size()));
        assertEquals(size, Files.size(dir.resolve("1000000003.log")), "status cut nothing");
        CreateReport opened = Dbs.builder(copy(dir, "torn-opened")).create();
        assertOk(opened);
        try (Db db = opened.db()) {
            assertEquals(8, db.countUnsafe().count());
            assertTrue(opened.warnings().get(0).contains("cut at byte " + lastFrame), opened.warnings()::toString);
        }
    }

    @Test
    void statusLeavesOutALogMadeAheadAndCutsTheTornTailOfTheLogBeforeIt() throws IOException {
        Path dir = tornCopy("ahead");
        long size = lastFrame + 10;
        try (LogWriter ahead = LogWriter.create(new NioStorage(), new DbFiles(dir), DbFiles.BASE_NUMBER + 4, 10)) {
            assertEquals(10, ahead.firstSequence()); // made while log 3 filled: it starts where log 3 will end
        }
        Tool status = Tool.run("status", dir.toString());
        assertEquals(1, status.exit(), status::toString);
        List<String> lines = status.lines();
        assertEquals(line("last sequence", "8"), lines.get(4));
        assertEquals(List.of(
                line("note", "opening deletes 1000000004.log: made ahead of need and never used (no operation)"),
                line("repair", "opening cuts the last log 1000000003.log at byte " + lastFrame + " of " + size
                        + ": torn record (frame of 37 bytes cut short at 2)")),
                lines.subList(7, 9));
        assertTrue(Files.exists(dir.resolve("1000000004.log")), "status deleted nothing");
        CreateReport opened = Dbs.builder(copy(dir, "ahead-opened")).create();
        assertOk(opened);
        try (Db db = opened.db()) {
            assertEquals(8, db.countUnsafe().count());
        }
        assertTrue(Files.notExists(root.resolve("ahead-opened").resolve("1000000004.log")));
    }

    @Test
    void statusOfACorruptDirectorySaysWhyOpeningRefuses() throws IOException {
        Path dir = copy(source, "corrupt");
        try (RandomAccessFile file = new RandomAccessFile(dir.resolve("1000000002.log").toFile(), "rw")) {
            file.seek(32 + 12);
            file.write(0xEE);
        }
        Tool status = Tool.run("status", dir.toString());
        assertEquals(2, status.exit(), status::toString);
        assertEquals(line("recovery", "refuses: log 1000000002.log is corrupt at byte 32: frame checksum mismatch"),
                status.lines().get(3));
        CreateReport opened = Dbs.builder(copy(dir, "corrupt-opened")).create();
        assertEquals("log 1000000002.log is corrupt at byte 32: frame checksum mismatch", opened.error());
    }

    @Test
    void statusNamesTheCheckpointWarningsAndLeftovers() throws IOException {
        Path dir = copy(source, "checkpointed");
        try (Db db = Dbs.created(dir, b -> b.removeUnlessLogs(false))) {
            assertOk(db.stop()); // checkpoint 1000000004 covers 1..9
        }
        Files.write(dir.resolve("1000000005.check"), new byte[] {1});
        Tool status = Tool.run("status", dir.toString());
        assertEquals(0, status.exit(), status::toString);
        List<String> lines = status.lines();
        assertEquals(line("files", "3 logs, 1 checkpoint, 1 unfinished checkpoint (" + sizeOf(dir) + " bytes)"), lines.get(2));
        assertEquals(List.of(
                line("newest checkpoint", "1000000004.checkpoint (covers operations 1..9)"),
                line("last sequence", "9"),
                line("records", "7"),
                line("replayed", "0 operations from logs after the checkpoint"),
                line("note", "opening deletes 1 unfinished checkpoint (.check)"),
                line("recovery", "clean: opening recovers this without repairs")), lines.subList(3, lines.size()));
        assertTrue(Files.exists(dir.resolve("1000000005.check")), "status deleted nothing");

        try (RandomAccessFile file = new RandomAccessFile(dir.resolve("1000000004.checkpoint").toFile(), "rw")) {
            file.seek(40);
            file.write(0xEE);
        }
        Tool damaged = Tool.run("status", dir.toString());
        assertEquals(0, damaged.exit(), damaged::toString); // opening recovers from the logs: a warning, not a refusal
        assertTrue(damaged.out().contains(line("newest checkpoint", "none")), damaged::toString);
        assertTrue(damaged.out().contains(line("warning", "checkpoint 1000000004.checkpoint is corrupt (record checksum "
                + "mismatch (offset 32)); recovered from an older state and the logs after it")), damaged::toString);
    }

    @Test
    void listShowsWhatDbFilesShows() throws IOException {
        Path dir = copy(source, "listed");
        try (Db db = Dbs.created(dir, b -> b.removeUnlessLogs(false))) {
            assertOk(db.stop());
        }
        Files.write(dir.resolve("1000000004.log"), new byte[0]); // same number as the checkpoint: the log sorts first
        Files.write(dir.resolve("1000000004.check"), new byte[7]);
        Files.write(dir.resolve("notes.txt"), new byte[3]);
        Tool list = Tool.run("list", dir.toString());
        assertEquals(0, list.exit(), list::toString);

        List<String> expected = new ArrayList<>();
        expected.add(String.format("%-21s  %-10s  %-10s  %12s", "NAME", "KIND", "NUMBER", "BYTES"));
        FilesReport files;
        try (Db db = Dbs.created(dir, b -> b)) { // recovery deletes the .check: list it again by hand below
            files = db.files();
        }
        assertOk(files);
        List<FilesReport.Entry> entries = new ArrayList<>(files.entries());
        entries.add(new FilesReport.Entry("1000000004.check", FilesReport.Kind.CHECK, 1000000004L, 7));
        for (FilesReport.Entry entry : entries) {
            expected.add(String.format("%-21s  %-10s  %-10d  %12d", entry.name(), entry.kind(), entry.number(), entry.size()));
        }
        expected.add("4 logs, 1 checkpoint, 1 unfinished checkpoint (" + (files.totalSize() + 7) + " bytes)");
        assertEquals(expected, list.lines());
        assertEquals(List.of("1000000001.log", "1000000002.log", "1000000003.log", "1000000004.log",
                "1000000004.checkpoint", "1000000004.check"), list.lines().subList(1, 7).stream()
                .map(l -> l.substring(0, l.indexOf(' '))).toList());
    }

    @Test
    void listOfAnEmptyDirectory() throws IOException {
        Path empty = Files.createDirectories(root.resolve("empty"));
        Tool list = Tool.run("list", empty.toString());
        assertEquals(0, list.exit(), list::toString);
        assertEquals(List.of("no logs or checkpoints in " + empty), list.lines());
    }
}
