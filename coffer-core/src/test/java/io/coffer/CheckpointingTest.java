package io.coffer;

import static io.coffer.testing.Dbs.assertCode;
import static io.coffer.testing.Dbs.assertOk;
import static io.coffer.testing.Dbs.bytes;
import static io.coffer.testing.Dbs.text;
import static io.coffer.testing.Dbs.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coffer.reports.Code;
import io.coffer.testing.Dbs;
import io.coffer.testing.FaultyStorage;
import io.coffer.testing.FaultyStorage.Hang;
import io.coffer.testing.FaultyStorage.Op;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GUARANTEES 7, 9, 10, 12: the follower's checkpoints, their cleanup, and recovery from them. */
class CheckpointingTest {
    @TempDir
    Path dir;

    private Db busyDb(boolean removeUnlessLogs) {
        return Dbs.started(dir, b -> b.followPause(Duration.ofMillis(20)).logsByCheckpoint(2).limitRecordsPerLogfile(5)
                .removeUnlessLogs(removeUnlessLogs));
    }

    @Test
    void theFollowerWritesCheckpointsWhileRunningAndDeletesWhatTheyCover() throws Exception {
        Map<String, String> expected = new TreeMap<>();
        try (Db db = busyDb(true)) {
            int[] i = {0};
            waitUntil(() -> {
                String key = "k" + (i[0] % 17);
                assertOk(db.write(key, bytes("v" + i[0])));
                expected.put(key, "v" + i[0]++);
                return db.status().checkpointsWritten() >= 2;
            }, "two follower checkpoints");
            long newest = db.status().newestCheckpoint();
            waitUntil(() -> logs().stream().allMatch(n -> n > newest) || db.status().newestCheckpoint() != newest,
                    "logs covered by the newest checkpoint deleted");
            assertTrue(checkpoints().size() <= 2, "older checkpoints deleted: " + checkpoints());
            db.stopHard();
        }
        try (Db db = Dbs.started(dir)) {
            expected.forEach((key, value) -> assertEquals(value, text(db.read(key).data()), key));
            assertEquals(expected.size(), db.count().count());
        }
    }

    @Test
    void aStopGivesUpTheCheckpointTheFollowerIsWritingAndWritesItsOwn() throws Exception {
        FaultyStorage storage = new FaultyStorage();
        Hang creating = storage.hangNext(Op.CREATE, file -> file.toString().endsWith(".check"));
        Db db = Dbs.started(dir, b -> TestSeams.storageWithLogsMadeAhead(b, storage)
                .followPause(Duration.ofMillis(20)).logsByCheckpoint(1).limitRecordsPerLogfile(5));
        for (int i = 0; i < 12; i++) { // two logs closed: the follower starts a checkpoint
            assertOk(db.write("k" + i, bytes("v" + i)));
        }
        assertTrue(creating.awaitReached(30), "the follower starts a checkpoint");
        Thread stopping = new Thread(() -> assertOk(db.stop()), "stopping");
        stopping.start();
        waitUntil(() -> isIn(stopping, "io.coffer.internal.follow.Follower", "stop"), "stop() waiting for the follower");
        creating.release();
        stopping.join(30_000);
        assertTrue(!stopping.isAlive(), "stop() returned");
        assertEquals(1, storage.calls(Op.RENAME), "only stop's own checkpoint is published");
        assertEquals(List.of(), numbers(".check"));
        db.close();
        try (Db again = Dbs.started(dir)) {
            for (int i = 0; i < 12; i++) {
                assertEquals("v" + i, text(again.read("k" + i).data()));
            }
        }
    }

    /** Whether {@code thread} is inside {@code className.method}. */
    private static boolean isIn(Thread thread, String className, String method) {
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getClassName().equals(className) && frame.getMethodName().equals(method)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void withoutRemoveUnlessLogsTheFollowerKeepsEveryLogAndCheckpoint() throws Exception {
        int written = writeUntilTwoCheckpoints();
        assertEquals(1000000001L, logs().get(0));
        assertTrue(checkpoints().size() >= 2, checkpoints()::toString);
        try (Db db = Dbs.started(dir)) {
            assertEquals(written, db.count().count());
        }
    }

    @Test
    void aCorruptNewestCheckpointFallsBackToAnOlderOneWhenEveryLogAfterItStillExists() throws Exception {
        int written = writeUntilTwoCheckpoints();
        List<Long> checkpoints = checkpoints();
        corrupt(dir.resolve(checkpoints.get(checkpoints.size() - 1) + ".checkpoint"));
        CreateReport report = Dbs.builder(dir).create();
        assertOk(report);
        assertTrue(report.warnings().stream().anyMatch(w -> w.contains("is corrupt")), report.warnings()::toString);
        try (Db db = report.db()) {
            assertEquals(written, db.countUnsafe().count());
        }
    }

    @Test
    void aCorruptOnlyCheckpointWhoseLogsWereDeletedIsRefusedNeverOpenedEmpty() throws IOException {
        try (Db db = Dbs.started(dir)) {
            for (int i = 0; i < 10; i++) {
                assertOk(db.write("k" + i, bytes("v" + i)));
            }
        }
        assertEquals(List.of(), logs());
        Path checkpoint = dir.resolve(checkpoints().get(0) + ".checkpoint");
        corrupt(checkpoint);
        CreateReport report = Dbs.builder(dir).create();
        assertCode(Code.ERROR, report);
        assertTrue(report.error().contains(checkpoint.getFileName().toString()), report::error);
    }

    @Test
    void recoveryFromACheckpointPlusLaterLogsEqualsTheStateBefore() {
        Map<String, String> expected = new TreeMap<>();
        try (Db db = Dbs.started(dir)) {
            for (int i = 0; i < 30; i++) {
                assertOk(db.write("k" + i, bytes("first" + i)));
                expected.put("k" + i, "first" + i);
            }
            assertOk(db.stop());
            assertOk(db.start());
            for (int i = 0; i < 30; i += 3) {
                assertOk(db.write("k" + i, bytes("second" + i)));
                expected.put("k" + i, "second" + i);
            }
            assertOk(db.deleteListStrict(List.of("k1", "k2")));
            expected.remove("k1");
            expected.remove("k2");
            db.stopHard();
        }
        try (Db db = Dbs.started(dir)) {
            assertEquals(List.copyOf(expected.keySet()), db.recordsList().keys());
            expected.forEach((key, value) -> assertEquals(value, text(db.read(key).data())));
            assertEquals(2, db.read("k3").version());
            assertEquals(1, db.read("k4").version());
        }
    }

    @Test
    void stopCheckpointsEvenWithoutStartWhenBulkLoadedAndTheNextCreateNeedsNoLogs() throws IOException {
        Db db = Dbs.created(dir, b -> b);
        assertOk(db.writeListUnsafe(Map.of("a", bytes("1"), "b", bytes("2"))));
        assertOk(db.stop());
        db.close();
        assertEquals(List.of(), logs());
        assertEquals(1, checkpoints().size());
        try (Db again = Dbs.started(dir)) {
            assertEquals(2, again.count().count());
        }
    }

    /** Writes distinct keys into a database that keeps every file until the follower has checkpointed twice. */
    private int writeUntilTwoCheckpoints() throws InterruptedException {
        int[] written = {0};
        try (Db db = busyDb(false)) {
            waitUntil(() -> {
                assertOk(db.write("k" + written[0], bytes("v" + written[0]++)));
                return db.status().checkpointsWritten() >= 2;
            }, "two follower checkpoints");
            db.stopHard();
        }
        return written[0];
    }

    private static void corrupt(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(file, bytes);
    }

    private List<Long> logs() {
        return numbers(".log");
    }

    private List<Long> checkpoints() {
        return numbers(".checkpoint");
    }

    private List<Long> numbers(String extension) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(extension))
                    .map(n -> Long.parseLong(n.substring(0, 10))).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
