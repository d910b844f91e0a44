package io.coffer.tool;

import static io.coffer.testing.Dbs.assertCode;
import static io.coffer.testing.Dbs.assertOk;
import static io.coffer.testing.Dbs.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coffer.Db;
import io.coffer.DbState;
import io.coffer.FilesReport;
import io.coffer.FilesReport.Entry;
import io.coffer.FilesReport.Kind;
import io.coffer.TestSeams;
import io.coffer.internal.wal.LogFormat;
import io.coffer.reports.Code;
import io.coffer.testing.Dbs;
import io.coffer.testing.FaultyStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Db#files()}: the logs, checkpoints and unfinished checkpoints, by number then kind, in every state. */
class DbFilesTest {
    @TempDir
    Path dir;

    private long size(String name) throws IOException {
        return Files.size(dir.resolve(name));
    }

    private Entry entry(String name, Kind kind) throws IOException {
        return new Entry(name, kind, Long.parseLong(name.substring(0, 10)), size(name));
    }

    @Test
    void filesInEachState() throws IOException {
        Db db = Dbs.created(dir, b -> b.limitRecordsPerLogfile(2).removeUnlessLogs(false));
        assertEquals(DbState.CREATED, db.state());
        FilesReport created = db.files();
        assertOk(created);
        assertEquals(List.of(), created.entries(), "a new directory has only its lock file");

        assertOk(db.start());
        assertEquals(List.of(new Entry("1000000001.log", Kind.LOG, 1000000001L, 32 + LogFormat.MIN_PREALLOCATION_BYTES)),
                db.files().entries(), "a new log is its header and the zeros preallocated after it");
        for (int i = 0; i < 3; i++) {
            assertOk(db.write("k" + i, bytes("v" + i)));
        }
        Path ahead = dir.resolve("1000000003.log");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!(Files.exists(ahead) && Files.size(ahead) == 32 + LogFormat.MIN_PREALLOCATION_BYTES)
                && System.nanoTime() < deadline) {
            Thread.yield(); // the next log is made ahead on a thread of its own
        }
        FilesReport running = db.files();
        assertEquals(DbState.RUNNING, db.state());
        assertEquals(List.of(entry("1000000001.log", Kind.LOG), entry("1000000002.log", Kind.LOG),
                entry("1000000003.log", Kind.LOG)), running.entries(), "the log being written, and the next one made ahead");
        assertEquals(size("1000000001.log") + size("1000000002.log") + size("1000000003.log"), running.totalSize());

        assertOk(db.stop());
        assertEquals(DbState.STOPPED, db.state());
        assertEquals(List.of(entry("1000000001.log", Kind.LOG), entry("1000000002.log", Kind.LOG),
                entry("1000000003.checkpoint", Kind.CHECKPOINT)), db.files().entries());

        db.close();
        FilesReport closed = db.files();
        assertCode(Code.PANIC_STOPPED, closed);
        assertEquals(List.of(), closed.entries());
    }

    @Test
    void sortedByNumberThenKindIgnoringOtherNames() throws IOException {
        try (Db db = Dbs.created(dir, b -> b)) {
            for (String name : List.of("1000000005.check", "1000000005.checkpoint", "1000000005.log", "1000000003.log",
                    "notes.txt", "12.log", "1000000007.log.bak", "100000000x.log")) {
                Files.write(dir.resolve(name), new byte[name.length()]);
            }
            Files.createDirectories(dir.resolve("1000000009.log")); // a directory is not a file
            FilesReport files = db.files();
            assertOk(files);
            assertEquals(List.of(entry("1000000003.log", Kind.LOG), entry("1000000005.log", Kind.LOG),
                    entry("1000000005.checkpoint", Kind.CHECKPOINT), entry("1000000005.check", Kind.CHECK)),
                    files.entries());
        }
    }

    @Test
    void aFailedDatabaseStillListsItsFiles() throws IOException {
        FaultyStorage storage = new FaultyStorage();
        Db db = Dbs.started(dir, b -> TestSeams.storage(b, storage));
        assertOk(db.write("k", bytes("v")));
        storage.failNth(FaultyStorage.Op.FORCE, 1, true, false, "Input/output error");
        assertCode(Code.PANIC_WAL, db.write("doomed", bytes("x")));
        long deadline = System.nanoTime() + 10_000_000_000L; // the batcher marks the failure just after it answers
        while (db.state() != DbState.FAILED && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000);
        }
        assertEquals(DbState.FAILED, db.state());
        FilesReport files = db.files();
        assertOk(files);
        assertEquals("1000000001.log", files.entries().get(0).name());
        assertTrue(files.entries().get(0).size() > 32);
        List<String> after = files.entries().subList(1, files.entries().size()).stream().map(Entry::name).toList();
        assertTrue(after.isEmpty() || after.equals(List.of("1000000002.log")), // the next log, made ahead, until the
                after::toString);                                              // failed batcher deletes it
        db.close();
        storage.heal();
    }
}
