package io.coffer;

import static io.coffer.testing.Dbs.assertCode;
import static io.coffer.testing.Dbs.assertOk;
import static io.coffer.testing.Dbs.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coffer.reports.Code;
import io.coffer.reports.Report;
import io.coffer.testing.Dbs;
import io.coffer.testing.FaultyStorage;
import io.coffer.testing.FaultyStorage.Op;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * GUARANTEES 4: a failed write or sync is fatal and never retried. Callers get PANIC_WAL, the database
 * fails, and after reopening nothing acknowledged is missing.
 */
class IoFaultTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = Op.class, names = {"WRITE", "FORCE"})
    void aFailedWriteOrForceFailsTheDatabaseAndLosesNoAcknowledgedChange(Op op) {
        FaultyStorage storage = new FaultyStorage();
        Db db = Dbs.started(dir, b -> TestSeams.storage(b, storage));
        for (int i = 0; i < 10; i++) {
            assertOk(db.write("acked" + i, bytes("v" + i)));
        }
        int forcesBefore = storage.calls(Op.FORCE);
        storage.failNth(op, 1, false, op == Op.WRITE, "No space left on device");
        Report failed = db.write("doomed", bytes("x"));
        assertCode(Code.PANIC_WAL, failed);
        assertTrue(failed.error().contains("No space left on device"), failed::error);
        assertEquals(DbState.FAILED, db.state());
        assertCode(Code.PANIC_WAL, db.write("later", bytes("x")));
        assertCode(Code.PANIC_WAL, db.start());
        assertTrue(storage.calls(Op.FORCE) <= forcesBefore + 1, "a failed force must never be retried");
        db.close();
        storage.heal();
        try (Db reopened = Dbs.started(dir)) {
            for (int i = 0; i < 10; i++) {
                assertEquals("v" + i, Dbs.text(reopened.read("acked" + i).data()));
            }
            assertCode(Code.ERR_NOT_FOUND, reopened.read("later"));
        }
    }

    @Test
    void aFailureMakingTheNextLogOnItsOwnThreadFailsTheDatabaseByTheRotationAndLosesNothingAcknowledged() {
        FaultyStorage storage = new FaultyStorage();
        Db db = Dbs.started(dir, b -> TestSeams.storageWithLogsMadeAhead(b.limitRecordsPerLogfile(3), storage));
        storage.failNth(Op.APPEND, 1, false, true, "No space left on device"); // the header of the next log, made at the first batch
        List<String> acknowledged = new ArrayList<>();
        Report first = null;
        for (int i = 0; i < 4 && first == null; i++) { // the fourth needs the next log
            Report answer = db.write("k" + i, bytes("v" + i));
            if (answer.isCodeOk()) {
                acknowledged.add("k" + i);
            } else {
                first = answer;
            }
        }
        assertTrue(first != null, "the write that needs the next log must fail");
        assertCode(Code.PANIC_WAL, first);
        assertTrue(first.error().contains("No space left on device"), first::error);
        assertEquals(DbState.FAILED, db.state());
        assertCode(Code.PANIC_WAL, db.write("later", bytes("x")));
        db.close();
        storage.heal();
        assertTrue(Files.notExists(dir.resolve("1000000002.log")), "what the failed making left is deleted");
        try (Db reopened = Dbs.started(dir)) {
            for (String key : acknowledged) {
                assertOk(reopened.read(key));
            }
            assertEquals(acknowledged.size(), reopened.countUnsafe().count());
        }
    }

    @Test
    void everyCallerWaitingOnAFailedSyncGetsPanicWalAndNoneIsLost() throws Exception {
        FaultyStorage storage = new FaultyStorage();
        Db db = Dbs.started(dir, b -> TestSeams.storage(b, storage));
        storage.failNth(Op.FORCE, 20, true, false, "Input/output error");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        ConcurrentHashMap<String, Code> outcomes = new ConcurrentHashMap<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < 50; i++) {
                    String key = "t" + thread + "-" + i;
                    outcomes.put(key, db.write(key, bytes(key)).code());
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> future : futures) {
            future.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        db.close();
        storage.heal();
        long acked = outcomes.values().stream().filter(c -> c == Code.OK).count();
        assertTrue(acked > 0 && acked < 800, "acked " + acked);
        assertTrue(outcomes.values().stream().allMatch(c -> c == Code.OK || c == Code.PANIC_WAL), outcomes::toString);
        try (Db reopened = Dbs.started(dir)) {
            outcomes.forEach((key, code) -> {
                if (code == Code.OK) {
                    assertEquals(key, Dbs.text(reopened.read(key).data()), key);
                }
            });
        }
    }

    @Test
    void aLogThatCannotBeCreatedAtStartFailsTheDatabaseWithoutLosingData() {
        FaultyStorage storage = new FaultyStorage();
        Db db = Dbs.started(dir, b -> TestSeams.storage(b, storage));
        assertOk(db.write("a", bytes("1")));
        assertOk(db.stop());
        storage.failNth(Op.SYNC_DIRECTORY, 1, false, false, "Input/output error");
        assertCode(Code.PANIC_WAL, db.start());
        assertEquals(DbState.FAILED, db.state());
        db.close();
        storage.heal();
        try (Db reopened = Dbs.started(dir)) {
            assertEquals("1", Dbs.text(reopened.read("a").data()));
        }
    }

    @Test
    void aFailedCheckpointAtStopIsAnErrorButTheLogsKeepEveryChange() {
        FaultyStorage storage = new FaultyStorage();
        Db db = Dbs.started(dir, b -> TestSeams.storage(b, storage));
        assertOk(db.write("a", bytes("1")));
        storage.failNth(Op.RENAME, 1, false, false, "Input/output error");
        Report stopped = db.stop();
        assertCode(Code.ERROR, stopped);
        assertEquals(DbState.STOPPED, db.state());
        db.close();
        storage.heal();
        try (Db reopened = Dbs.started(dir)) {
            assertEquals("1", Dbs.text(reopened.read("a").data()));
        }
    }
}
