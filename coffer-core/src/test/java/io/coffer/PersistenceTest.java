package io.coffer;

import static io.coffer.testing.Dbs.assertCode;
import static io.coffer.testing.Dbs.assertOk;
import static io.coffer.testing.Dbs.bytes;
import static io.coffer.testing.Dbs.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coffer.reports.Code;
import io.coffer.testing.Dbs;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What was acknowledged survives stop/start, stopHard and a new create(); what was refused never appears. */
class PersistenceTest {
    @TempDir
    Path dir;

    @Test
    void changesSurviveStopAndStartOfTheSameDatabase() {
        try (Db db = Dbs.started(dir)) {
            assertOk(db.write("a", bytes("1")));
            assertOk(db.stop());
            assertOk(db.start());
            assertEquals("1", text(db.read("a").data()));
            assertOk(db.write("b", bytes("2")));
        }
        try (Db db = Dbs.started(dir)) {
            assertEquals(List.of("a", "b"), db.recordsList().keys());
        }
    }

    /** Another thread that sees CLOSED may open the directory at once: the lock is released before CLOSED is shown. */
    @Test
    void aDatabaseSeenClosedHasAlreadyReleasedItsDirectory() throws Exception {
        Path lockFile = new io.coffer.internal.files.DbFiles(dir).lock();
        for (int round = 0; round < 200; round++) {
            Db db = Dbs.created(dir, b -> b);
            CompletableFuture<Void> closing = CompletableFuture.runAsync(db::close);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (db.state() != DbState.CLOSED) {
                assertTrue(System.nanoTime() < deadline, "close() did not finish");
                Thread.onSpinWait();
            }
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
                    FileLock lock = channel.tryLock()) { // throws OverlappingFileLockException while this JVM holds it
                assertTrue(lock != null, "round " + round + ": the directory is still locked");
            }
            closing.get();
        }
    }

    @Test
    void changesSurviveStopHardAndANewCreateFromTheLogsAlone() throws IOException {
        Db db = Dbs.started(dir);
        for (int i = 0; i < 50; i++) {
            assertOk(db.write("k" + i, bytes("v" + i)));
        }
        assertOk(db.delete("k7"));
        assertOk(db.stopHard());
        db.close();
        assertEquals(0, files(".checkpoint").size(), "stopHard writes no checkpoint");
        try (Db again = Dbs.started(dir)) {
            assertEquals(49, again.count().count());
            assertEquals("v42", text(again.read("k42").data()));
            assertCode(Code.ERR_NOT_FOUND, again.read("k7"));
        }
    }

    @Test
    void deletesStayDeletedAfterRestartFromLogsAndFromCheckpoints() {
        try (Db db = Dbs.started(dir)) {
            assertOk(db.writeList(DbOperationsTest.map("a", "1", "b", "2", "c", "3"), false));
            assertOk(db.deleteListStrict(List.of("a")));
            assertOk(db.deleteListOptional(List.of("b", "zz")));
            assertOk(db.stopHard());
        }
        try (Db db = Dbs.started(dir)) {
            assertEquals(List.of("c"), db.recordsList().keys());
            assertOk(db.delete("c"));
        }
        try (Db db = Dbs.started(dir)) {
            assertEquals(0, db.count().count());
        }
    }

    @Test
    void aRejectedStrictWriteNeverReappears() {
        try (Db db = Dbs.started(dir)) {
            assertOk(db.write("a", bytes("v1")));
            assertCode(Code.ERR_RECORDS_FOUND, db.writeList(DbOperationsTest.map("a", "v2", "b", "v2"), true));
            db.stopHard();
        }
        try (Db db = Dbs.started(dir)) {
            assertEquals("v1", text(db.read("a").data()));
            assertEquals(1, db.read("a").version());
            assertCode(Code.ERR_NOT_FOUND, db.read("b"));
        }
    }

    @Test
    void aCleanStopLeavesOneCheckpointThatTheNextCreateReadsWithNoLogRecords() throws IOException {
        try (Db db = Dbs.started(dir, b -> b.limitRecordsPerLogfile(5))) {
            for (int i = 0; i < 23; i++) {
                assertOk(db.write("k" + (i % 10), bytes("v" + i)));
            }
            assertOk(db.stop());
        }
        assertEquals(1, files(".checkpoint").size());
        assertEquals(0, files(".log").size(), "removeUnlessLogs deletes the logs the stop checkpoint covers");
        try (Db db = Dbs.started(dir)) {
            assertEquals(10, db.count().count());
            assertEquals("v22", text(db.read("k2").data()));
            assertEquals(3, db.read("k2").version());
        }
    }

    @Test
    void withoutRemoveUnlessLogsEveryLogIsKept() throws IOException {
        try (Db db = Dbs.started(dir, b -> b.limitRecordsPerLogfile(5).removeUnlessLogs(false))) {
            for (int i = 0; i < 23; i++) {
                assertOk(db.write("k" + i, bytes("v")));
            }
        }
        assertEquals(5, files(".log").size());
        assertEquals(1, files(".checkpoint").size());
    }

    @Test
    void eachStartOpensANewLogAndNumbersOnlyGrow() throws IOException {
        try (Db db = Dbs.started(dir, b -> b.removeUnlessLogs(false))) {
            assertOk(db.write("a", bytes("1")));
            assertOk(db.stop());
            assertOk(db.start());
            assertOk(db.write("b", bytes("1")));
        }
        assertEquals(List.of("1000000001.log", "1000000003.log"), files(".log"));
        assertEquals(List.of("1000000002.checkpoint", "1000000004.checkpoint"), files(".checkpoint"));
    }

    @Test
    void aLogRotatesAfterLimitRecordsPerLogfileOperations() throws IOException {
        try (Db db = Dbs.started(dir, b -> b.limitRecordsPerLogfile(4).removeUnlessLogs(false))) {
            for (int i = 0; i < 10; i++) {
                assertOk(db.write("k" + i, bytes("v")));
            }
            assertEquals(1000000003L, db.status().currentLog());
            db.stopHard();
        }
        assertEquals(List.of("1000000001.log", "1000000002.log", "1000000003.log"), files(".log"));
        try (Db db = Dbs.started(dir)) {
            assertEquals(10, db.count().count());
        }
    }

    private List<String> files(String extension) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(extension)).sorted().toList();
        }
    }

    static void assertContains(String text, String part) {
        assertTrue(text.contains(part), () -> "expected '" + part + "' in: " + text);
    }
}
