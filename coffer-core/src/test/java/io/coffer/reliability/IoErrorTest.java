package io.coffer.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coffer.CreateReport;
import io.coffer.Db;
import io.coffer.internal.wal.LogFormat;
import io.coffer.reliability.SimStorage.Kind;
import io.coffer.reports.Code;
import io.coffer.testing.Seeds;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * R7 (GUARANTEES 4): ENOSPC, EIO and short writes on the n-th create, append, force, rename, delete or
 * directory sync, once and for ever, for every n: callers get PANIC_WAL or an ERROR naming the error, never
 * an exception or a hang; no force is retried; and nothing acknowledged is lost after the power comes back.
 */
class IoErrorTest {
    @TempDir
    Path work;

    @Test
    void everyFailedCallOfEveryKindAnswersPanicWalOrAnErrorAndLosesNothingAcknowledged() throws Exception {
        long seed = Seeds.seed("IoErrorTest");
        long started = System.nanoTime();
        IoErrorCheck.Result result;
        try (Quiet quiet = new Quiet()) {
            result = IoErrorCheck.run(seed, 150, work, 2, 300);
        }
        System.out.printf("IoErrorTest: seed=%d, %d faults (calls per kind %s: %s), %d ms%n", seed, result.faults(),
                List.of(Kind.values()), result.callsPerKind(), (System.nanoTime() - started) / 1_000_000);
        assertTrue(result.callsPerKind().stream().filter(n -> n > 0).count() >= 6,
                "the workload must make every kind of call: " + result.callsPerKind());
        assertTrue(result.violations().isEmpty(), () -> "seed=" + seed + ": " + result.violations().size()
                + " violations:\n" + String.join("\n", result.violations().subList(0, Math.min(20, result.violations().size()))));
    }

    /**
     * R10 with R7: recovery must cut the half-written frame a failed append left; if cutting or forcing that
     * fails, create() answers an ERROR naming the error (nothing thrown, nothing opened), and the next
     * attempt repairs it.
     */
    @Test
    void aRecoveryThatCannotCutATornTailRefusesWithAnErrorAndTheNextAttemptRepairsIt() throws Exception {
        long seed = Seeds.seed("IoErrorTest.recovery");
        Path dir = Parallel.dir(work, 0);
        Workload workload = Workload.generate(seed, 40, false);
        List<String> violations = new ArrayList<>();
        try (Quiet quiet = new Quiet()) {
            SimStorage failed = null;
            Runner.Outcome outcome = null;
            for (int n = 20; failed == null || !tornFrameAfterAValidHeader(failed); n++) {
                // the n-th write may be a new log's zeros, not a frame: take the next
                failed = new SimStorage(dir).failNth(Kind.WRITE, n, false, true, IoErrorCheck.EIO);
                outcome = Runner.run(workload, failed, dir, true);
                assertEquals(List.of(), outcome.violations());
            }
            assertTrue(outcome.inFlight(), "a half-written frame holds a change: " + outcome);
            for (Kind kind : new Kind[] {Kind.TRUNCATE, Kind.FORCE}) {
                SimStorage restarted = failed.copy().failNth(kind, 1, true, false, IoErrorCheck.ENOSPC);
                CreateReport refused = Workload.open(dir, restarted);
                assertEquals(Code.ERROR, refused.code(), () -> kind + ": " + refused);
                assertTrue(refused.error().contains(IoErrorCheck.ENOSPC), refused::error);
                assertTrue(refused.error().matches("last log \\d{10}\\.log ends in a torn record at byte \\d+ and cutting it off failed.*"),
                        refused::error);
                restarted.heal();
                CreateReport repaired = Workload.open(dir, restarted);
                assertTrue(repaired.isCodeOk(), repaired::toString);
                assertNotNull(repaired.db());
                // after a failed force the cut is already in the page cache: nothing is left to cut then
                assertEquals(kind == Kind.TRUNCATE ? 1 : 0, repaired.warnings().size(), () -> repaired.warnings().toString());
                repaired.db().close();
                PowerCutCheck.judge(workload, true, violations).checkImage(restarted, dir, outcome,
                        "after a failed " + kind + " in recovery", new Random(seed));
            }
        }
        assertEquals(List.of(), violations);
    }

    /**
     * fsyncgate across processes: a failed force leaves its frame readable in the page cache but never on the
     * disk. The next process reads it, so before it acknowledges anything built on it, it must make it durable;
     * otherwise a power loss later removes that frame from under the changes that followed it.
     */
    @Test
    void theNextProcessMakesDurableAFrameThatAFailedForceLeftOnlyInThePageCache() throws Exception {
        Path dir = Parallel.dir(work, 0);
        SimStorage storage = new SimStorage(dir);
        try (Quiet quiet = new Quiet(); Db db = Workload.open(dir, storage).db()) {
            assertEquals(Code.OK, db.start().code());
            assertEquals(Code.OK, db.write("a", Workload.bytes("1")).code());
            storage.failNth(Kind.FORCE, storage.calls(Kind.FORCE) + 1, false, false, IoErrorCheck.EIO);
            assertEquals(Code.PANIC_WAL, db.write("b", Workload.bytes("2")).code());
        }
        SimStorage next = storage.restart();
        assertEquals(Map.of("a", "1"), records(next.crashImage(new Random(0), SimStorage.Mode.DROP_UNSYNCED), dir),
                "the disk itself never got b");
        SimStorage afterPowerLoss;
        try (Quiet quiet = new Quiet(); Db db = Workload.open(dir, next).db()) {
            assertEquals("2", new String(db.readListUnsafe(List.of("b")).data().get("b"), StandardCharsets.UTF_8),
                    "the next process reads b from the page cache");
            assertEquals(Code.OK, db.start().code());
            assertEquals(Code.OK, db.write("c", Workload.bytes("3")).code());
            afterPowerLoss = next.crashImage(new Random(0), SimStorage.Mode.DROP_UNSYNCED);
        }
        assertEquals(Map.of("a", "1", "b", "2", "c", "3"), records(afterPowerLoss, dir));
    }

    /** The records a database on {@code storage} recovers (opened and closed). */
    private static Map<String, String> records(SimStorage storage, Path dir) {
        List<String> problems = new ArrayList<>();
        CreateReport opened = Workload.open(dir, storage);
        assertTrue(opened.isCodeOk(), opened::toString);
        try (Db db = opened.db()) {
            Map<String, String> state = Workload.readAll(db, problems);
            assertEquals(List.of(), problems);
            return state;
        }
    }

    /** Whether the newest log ends in a half-written frame after a durable, valid header. */
    private static boolean tornFrameAfterAValidHeader(SimStorage storage) {
        List<String> logs = storage.names().stream().filter(name -> name.endsWith(".log")).toList();
        String last = logs.get(logs.size() - 1);
        byte[] durable = storage.crashImage(new Random(0), SimStorage.Mode.DROP_UNSYNCED).read(last);
        return durable != null && durable.length >= LogFormat.HEADER_BYTES && !Arrays.equals(storage.read(last), durable);
    }
}
