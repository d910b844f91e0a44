package io.coffer;

import static io.coffer.testing.Dbs.assertCode;
import static io.coffer.testing.Dbs.assertOk;
import static io.coffer.testing.Dbs.bytes;
import static io.coffer.testing.Dbs.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coffer.internal.files.DbFiles;
import io.coffer.internal.io.NioStorage;
import io.coffer.reports.Code;
import io.coffer.reports.Report;
import io.coffer.testing.Dbs;
import io.coffer.testing.FaultyStorage;
import io.coffer.testing.FaultyStorage.Hang;
import io.coffer.testing.FaultyStorage.Op;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GUARANTEES 14 and API {@code stopHard} ("never hangs") when the disk stops answering in the middle of a force:
 * stopHard returns in bounded time and fails the database, the caller waiting for that force is answered, every
 * engine thread that is not stuck in the disk ends, and the directory stays locked until the stuck call returns,
 * so that no database opened meanwhile can have its files deleted by the stuck thread's clean-up.
 */
class HungDiskTest {
    /** stopHard waits 5 s in all for the write or force in progress; twice that means it waited twice. */
    private static final long STOP_HARD_BOUND_MILLIS = 9_000;
    private static final Set<String> ENGINE_THREADS =
            Set.of("coffer-batcher", "coffer-log-maker", "coffer-follower", "coffer-resources");

    @TempDir
    Path dir;

    private final FaultyStorage storage = new FaultyStorage();
    private Set<Thread> before;
    private Hang hang;

    @BeforeEach
    void rememberEngineThreads() {
        before = engineThreads(name -> true);
    }

    @AfterEach
    void releaseTheDisk() {
        if (hang != null) {
            hang.release();
        }
    }

    @Test
    void aStopHardWhileAForceHangsReturnsInBoundedTimeAndKeepsTheDirectoryUntilTheForceReturns() throws Exception {
        Db db = startedWithTenWrites();
        CompletableFuture<Report> stuck = writeIntoAHungForce(db);

        assertCode(Code.PANIC_WAL, timedStopHard(db));
        assertEquals(DbState.FAILED, db.state());
        assertCode(Code.PANIC_STOPPED, stuck.get(10, TimeUnit.SECONDS)); // not synced when answered: its outcome is open
        assertCode(Code.PANIC_WAL, db.write("later", bytes("x")));
        closeWhileTheForceHangsThenReopen(db);
    }

    @Test
    void aStopHardEndsAStopThatIsWaitingForAHungForce() throws Exception {
        Db db = startedWithTenWrites();
        CompletableFuture<Report> stuck = writeIntoAHungForce(db);
        CompletableFuture<Report> stopping = CompletableFuture.supplyAsync(db::stop);
        waitUntil(() -> db.state() == DbState.TRANSITION, "stop() waiting for the write in flight, then for the batcher");

        assertTrue(timedStopHard(db).code().isPanic());
        assertCode(Code.PANIC_WAL, stopping.get(10, TimeUnit.SECONDS));
        assertEquals(DbState.FAILED, db.state());
        assertCode(Code.PANIC_STOPPED, stuck.get(10, TimeUnit.SECONDS));
        closeWhileTheForceHangsThenReopen(db);
    }

    private Db startedWithTenWrites() {
        Db db = Dbs.started(dir, b -> TestSeams.storageWithLogsMadeAhead(b, storage));
        for (int i = 0; i < 10; i++) {
            assertOk(db.write("acked" + i, bytes("v" + i)));
        }
        return db;
    }

    /** Makes the next force of the open log hang and sends a write into it. */
    private CompletableFuture<Report> writeIntoAHungForce(Db db) throws Exception {
        hang = storage.hangNext(Op.FORCE, openLog());
        CompletableFuture<Report> stuck = CompletableFuture.supplyAsync(() -> db.write("stuck", bytes("x")));
        assertTrue(hang.awaitReached(30), "the write reaches the force that hangs");
        return stuck;
    }

    private static Report timedStopHard(Db db) {
        long start = System.nanoTime();
        Report stopped = db.stopHard();
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(tookMillis < STOP_HARD_BOUND_MILLIS, "stopHard took " + tookMillis + " ms: " + stopped);
        return stopped;
    }

    /**
     * Only the batcher, stuck in the force, is left; close() returns, but the directory stays locked until the
     * force returns; then every engine thread ends and every acknowledged write is there.
     */
    private void closeWhileTheForceHangsThenReopen(Db db) throws Exception {
        awaitThreads(name -> !name.equals("coffer-batcher"), Set.of(), "only the batcher, stuck in the force, is left");
        assertEquals(1, engineThreads(name -> name.equals("coffer-batcher")).size(), "the batcher is still in the force");

        db.close();
        assertEquals(DbState.CLOSED, db.state());
        CreateReport meanwhile = Dbs.builder(dir).create();
        assertCode(Code.ERROR, meanwhile);
        assertTrue(meanwhile.error().contains("held by another live database"), meanwhile::error);

        hang.release();
        awaitThreads(name -> true, Set.of(), "every engine thread ends once the force returns");
        try (Db reopened = awaitReopened()) {
            for (int i = 0; i < 10; i++) {
                assertEquals("v" + i, Dbs.text(reopened.read("acked" + i).data()));
            }
            assertCode(Code.ERR_NOT_FOUND, reopened.read("later"));
        }
    }

    /** The log the batcher writes: the lower of the two (the other is the one made ahead). */
    private Path openLog() throws IOException {
        DbFiles files = new DbFiles(dir);
        return files.log(Collections.min(files.numbers(new NioStorage(), DbFiles.LOG)));
    }

    /**
     * Opens the directory again once it is free: the batcher's last act releases the lock, so it should be at once
     * after the thread is seen ended; the poll only keeps a slow machine from failing the test.
     */
    private Db awaitReopened() {
        CreateReport[] last = new CreateReport[1];
        waitUntil(() -> (last[0] = Dbs.builder(dir).create()).isCodeOk(), () -> "the directory released: " + last[0].error());
        assertOk(last[0].db().start());
        return last[0].db();
    }

    /** Polls until this test's engine threads whose name passes {@code which} are exactly {@code expected}. */
    private void awaitThreads(Predicate<String> which, Set<Thread> expected, String why) {
        waitUntil(() -> engineThreads(which).equals(expected), () -> why + "; still alive: " + engineThreads(which));
    }

    private Set<Thread> engineThreads(Predicate<String> which) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && ENGINE_THREADS.contains(t.getName()) && which.test(t.getName()))
                .filter(t -> before == null || !before.contains(t))
                .collect(Collectors.toSet());
    }
}
