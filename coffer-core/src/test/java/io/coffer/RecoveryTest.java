package io.coffer;

import static io.coffer.testing.Dbs.assertCode;
import static io.coffer.testing.Dbs.assertOk;
import static io.coffer.testing.Dbs.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coffer.reports.Code;
import io.coffer.testing.Dbs;
import io.coffer.testing.Logs;
import io.coffer.testing.Seeds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GUARANTEES 9-11: torn last logs are cut to exactly the records before the cut; other damage refuses. */
class RecoveryTest {
    @TempDir
    Path dir;

    /**
     * Writes {@code operations} single writes in separate syncs (one frame each), stops hard, and
     * returns, per frame end offset, the number of operations complete there.
     */
    private TreeMap<Long, Integer> writeFrames(Path where, int operations) throws IOException {
        TreeMap<Long, Integer> ends = new TreeMap<>();
        Path log = where.resolve("1000000001.log");
        try (Db db = Dbs.started(where, b -> b.removeUnlessLogs(false))) {
            ends.put(Logs.framesEnd(log), 0);
            for (int i = 0; i < operations; i++) {
                assertOk(db.write("k" + i, bytes("value-" + i)));
                ends.put(Logs.framesEnd(log), i + 1);
            }
            db.stopHard();
        }
        return ends;
    }

    @Test
    void aLastLogCutAtEveryByteOpensToExactlyTheRecordsBeforeTheCut(@TempDir Path source) throws IOException {
        TreeMap<Long, Integer> ends = writeFrames(source, 12);
        byte[] log = Arrays.copyOf(Files.readAllBytes(source.resolve("1000000001.log")), ends.lastKey().intValue());
        for (int cutAt = 0; cutAt <= log.length; cutAt++) {
            int cut = cutAt;
            for (String padding : List.of("none", "zeros", "garbage")) {
                Path copy = Files.createTempDirectory(dir, "cut");
                byte[] damaged = tail(log, cut, padding);
                Files.write(copy.resolve("1000000001.log"), damaged);
                int expected = cut < 32 ? 0 : ends.floorEntry((long) cut).getValue();
                CreateReport report = Dbs.builder(copy).create();
                assertOk(report);
                try (Db db = report.db()) {
                    assertEquals(expected, db.countUnsafe().count(), "cut at " + cut + " padded with " + padding);
                    // zeros after the last whole frame are the preallocated room of a log, not damage; a torn frame
                    // whose bytes so far are all zeros cannot be told from them (and holds nothing)
                    boolean clean = cut >= 32 && !padding.equals("garbage") && allZero(log, ends.floorKey((long) cut), cut);
                    assertEquals(clean, report.warnings().isEmpty(), () -> "cut " + cut + " " + padding + ": " + report.warnings());
                }
            }
        }
    }

    private static boolean allZero(byte[] bytes, long from, int to) {
        for (int i = (int) from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] tail(byte[] log, int cut, String padding) {
        int pad = padding.equals("none") ? 0 : 100;
        byte[] out = new byte[cut + pad];
        System.arraycopy(log, 0, out, 0, cut);
        if (padding.equals("garbage")) {
            for (int i = cut; i < out.length; i++) {
                out[i] = (byte) (i * 31 + 7);
            }
        }
        return out;
    }

    @Test
    void aCutLastLogRecoversAgainToTheSameStateAfterTheCutWasMade() throws IOException {
        writeFrames(dir, 5);
        Path log = dir.resolve("1000000001.log");
        Logs.tearAt(log, Logs.framesEnd(log) - 3);
        CreateReport first = Dbs.builder(dir).create();
        assertOk(first);
        assertEquals(1, first.warnings().size());
        PersistenceTest.assertContains(first.warnings().get(0), "1000000001.log cut at byte");
        first.db().close();
        CreateReport second = Dbs.builder(dir).create();
        assertOk(second);
        assertEquals(List.of(), second.warnings());
        try (Db db = second.db()) {
            assertEquals(4, db.countUnsafe().count());
        }
    }

    /**
     * A running database has the next log made ahead beside the one it writes. A crash (here: a copy of the files
     * while it runs) leaves both; recovery deletes the unused one, whether its zeros are whole or a crash during
     * its making left garbage in them, and cuts the torn tail of the one before it.
     */
    @Test
    void aCrashLeavesTheNextLogMadeAheadWhichRecoveryDeletesAndTheLogBeforeItMayEndTorn(@TempDir Path crashed)
            throws IOException {
        Path ahead = dir.resolve("1000000003.log");
        try (Db db = Dbs.started(dir, b -> b.limitRecordsPerLogfile(5).removeUnlessLogs(false))) {
            for (int i = 0; i < 7; i++) {
                assertOk(db.write("k" + i, bytes("v" + i))); // log 1: 5 operations, log 2: 2, log 3 made ahead
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!(Files.exists(ahead) && Files.size(ahead) > 32) && System.nanoTime() < deadline) {
                Thread.yield(); // made on a thread of its own: wait for it to be whole
            }
            try (var files = Files.list(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                    Files.copy(file, crashed.resolve(file.getFileName()));
                }
            }
            db.stopHard();
        }
        assertTrue(Files.notExists(ahead), "a stop deletes the log made ahead");
        assertEquals(32, Logs.framesEnd(crashed.resolve("1000000003.log")), "the log made ahead holds no frame");
        Path written = crashed.resolve("1000000002.log");
        Logs.tearAt(written, Logs.framesEnd(written) - 3);

        for (String aheadZeros : List.of("whole", "garbage")) {
            Path copy = Files.createDirectories(crashed.resolve("opened-" + aheadZeros));
            for (String name : List.of("1000000001.log", "1000000002.log", "1000000003.log")) {
                Files.copy(crashed.resolve(name), copy.resolve(name));
            }
            if (aheadZeros.equals("garbage")) {
                byte[] log = Files.readAllBytes(copy.resolve("1000000003.log"));
                Files.write(copy.resolve("1000000003.log"), tail(Arrays.copyOf(log, 32), 32, "garbage"));
            }
            CreateReport report = Dbs.builder(copy).create();
            assertOk(report);
            assertEquals(1, report.warnings().size(), report.warnings()::toString);
            PersistenceTest.assertContains(report.warnings().get(0), "1000000002.log cut at byte");
            assertTrue(Files.notExists(copy.resolve("1000000003.log")), aheadZeros);
            try (Db db = report.db()) {
                assertEquals(6, db.countUnsafe().count(), aheadZeros);
                assertOk(db.start());
                assertOk(db.write("k7", bytes("after")));
                assertOk(db.stop());
            }
            CreateReport again = Dbs.builder(copy).create();
            assertOk(again);
            assertEquals(List.of(), again.warnings());
            try (Db db = again.db()) {
                assertEquals(7, db.countUnsafe().count(), aheadZeros);
            }
        }
    }

    @Test
    void aTornLastLogIsRefusedWhenAllowStartupErrLoadLogsIsFalse() throws IOException {
        writeFrames(dir, 3);
        Path log = dir.resolve("1000000001.log");
        Logs.tearAt(log, Logs.framesEnd(log) - 1);
        CreateReport report = Dbs.builder(dir).allowStartupErrLoadLogs(false).create();
        assertCode(Code.ERROR, report);
        PersistenceTest.assertContains(report.error(), "1000000001.log");
        PersistenceTest.assertContains(report.error(), "allowStartupErrLoadLogs");
    }

    @Test
    void aDamagedEarlierLogIsRefusedNamingFileAndOffset() throws IOException {
        try (Db db = Dbs.started(dir, b -> b.limitRecordsPerLogfile(3).removeUnlessLogs(false))) {
            for (int i = 0; i < 8; i++) {
                assertOk(db.write("k" + i, bytes("v" + i)));
            }
            db.stopHard();
        }
        Path first = dir.resolve("1000000001.log");
        byte[] bytes = Files.readAllBytes(first);
        bytes[(int) Logs.framesEnd(bytes) - 2] ^= 0x10;
        Files.write(first, bytes);
        CreateReport report = Dbs.builder(dir).create();
        assertCode(Code.ERROR, report);
        PersistenceTest.assertContains(report.error(), "1000000001.log");
        PersistenceTest.assertContains(report.error(), "byte");
    }

    @Test
    void aCorruptFrameFollowedByValidOnesInTheLastLogIsCorruptionNotATornTail() throws IOException {
        TreeMap<Long, Integer> ends = writeFrames(dir, 6);
        Path log = dir.resolve("1000000001.log");
        byte[] bytes = Files.readAllBytes(log);
        long secondFrame = new ArrayList<>(ends.keySet()).get(1);
        bytes[(int) secondFrame + 12] ^= 0x01;
        Files.write(log, bytes);
        CreateReport report = Dbs.builder(dir).create();
        assertCode(Code.ERROR, report);
        PersistenceTest.assertContains(report.error(), "corrupt at byte " + secondFrame);
    }

    @Test
    void aMissingLogInTheMiddleIsFoundNotSkipped() throws IOException {
        try (Db db = Dbs.started(dir, b -> b.limitRecordsPerLogfile(2).removeUnlessLogs(false))) {
            for (int i = 0; i < 6; i++) {
                assertOk(db.write("k" + i, bytes("v")));
            }
            db.stopHard();
        }
        Files.delete(dir.resolve("1000000002.log"));
        CreateReport report = Dbs.builder(dir).create();
        assertCode(Code.ERROR, report);
        PersistenceTest.assertContains(report.error(), "1000000003.log");
        PersistenceTest.assertContains(report.error(), "missing");
    }

    @Test
    void aLogRenamedToAnotherNumberIsRefused() throws IOException {
        writeFrames(dir, 2);
        Files.move(dir.resolve("1000000001.log"), dir.resolve("1000000005.log"), StandardCopyOption.ATOMIC_MOVE);
        CreateReport report = Dbs.builder(dir).create();
        assertCode(Code.ERROR, report);
        PersistenceTest.assertContains(report.error(), "1000000005.log");
    }

    @Test
    void logsThatRewroteAFewKeysManyTimesRecoverEachKeysLastValueAndVersion() {
        // About 1 MB of logs for 3 keys: recovery sizes its map for the logs' bytes, far too large here, and
        // must hand the store every record all the same.
        try (Db db = Dbs.started(dir, b -> b.removeUnlessLogs(false))) {
            for (int i = 1; i <= 300; i++) {
                byte[] value = new byte[1000];
                java.util.Arrays.fill(value, (byte) i);
                assertOk(db.writeList(Map.of("a", value, "b", value, "c", bytes("c" + i)), false));
            }
            assertOk(db.delete("b"));
            db.stopHard();
        }
        try (Db db = Dbs.started(dir)) {
            assertEquals(2, db.count().count());
            assertEquals((byte) 300, db.read("a").data()[999]);
            assertEquals(300, db.read("a").version());
            assertEquals("c300", Dbs.text(db.read("c").data()));
            assertCode(io.coffer.reports.Code.ERR_NOT_FOUND, db.read("b"));
            assertEquals(List.of("a", "c"), db.recordsList().keys());
        }
    }

    @Test
    void keysOfEveryShapeAreListedInOrderAfterRecoveryFromLogsACheckpointOrBoth() {
        // The sorted index is built from recovery's key sort without inserting key by key: a wrong order would
        // make listings miss keys, so check them against a TreeSet, with enough keys for the radix passes.
        long seed = Seeds.seed("RecoveryTest keys");
        Random random = new Random(seed);
        TreeSet<String> expected = new TreeSet<>();
        writeKeysOfEveryShape(random, expected);
        assertListedInOrder(expected, seed, "logs only");
        try (Db db = Dbs.started(dir)) {
            assertOk(db.stop()); // a checkpoint of the first half; the second half goes to logs after it
        }
        writeKeysOfEveryShape(random, expected);
        assertListedInOrder(expected, seed, "a checkpoint and logs");
        assertListedInOrder(expected, seed, "a checkpoint alone (the last open stopped cleanly)");
    }

    /** Writes 2,000 random keys of five shapes, 100 per operation, into {@code expected} too; then stops hard. */
    private void writeKeysOfEveryShape(Random random, TreeSet<String> expected) {
        String[] shapes = {"acct-%06d", "%016x", "é-%d-ü", "用户/%d", "k%d"};
        try (Db db = Dbs.started(dir, b -> b.removeUnlessLogs(false))) {
            Map<String, byte[]> batch = new java.util.HashMap<>();
            for (int i = 0; i < 2_000; i++) {
                String shape = shapes[random.nextInt(shapes.length)];
                batch.put(String.format(shape, shape.contains("x") ? random.nextLong() : (long) random.nextInt(1_000_000)), bytes("v"));
                if (batch.size() == 100) {
                    assertOk(db.writeList(batch, false));
                    expected.addAll(batch.keySet());
                    batch.clear();
                }
            }
            db.stopHard();
        }
    }

    private void assertListedInOrder(TreeSet<String> expected, long seed, String from) {
        try (Db db = Dbs.started(dir)) {
            assertEquals(new ArrayList<>(expected), db.recordsList().keys(), "from " + from + ", seed=" + seed);
            assertEquals(new ArrayList<>(expected.subSet("acct-1", "acct-2")), db.recordsListWithPrefix("acct-1").keys(),
                    "from " + from + ", seed=" + seed);
        }
    }

    @Test
    void recoveryReplaysAfterImagesSoAChangedHandlerCannotChangeCommittedValues() {
        Handler plusOne = (arg, records) -> Map.of("n", bytes(Integer.toString(Integer.parseInt(Dbs.text(records.get("n"))) + 1)));
        Handler broken = (arg, records) -> {
            throw new IllegalStateException("never called by recovery");
        };
        try (Db db = Dbs.started(dir, b -> b.handler("inc", plusOne))) {
            assertOk(db.write("n", bytes("0")));
            for (int i = 0; i < 5; i++) {
                assertOk(db.transaction("inc", List.of("n"), null));
            }
            db.stopHard();
        }
        try (Db db = Dbs.started(dir, b -> b.handler("inc", broken))) {
            assertEquals("5", Dbs.text(db.read("n").data()));
            assertEquals(6, db.read("n").version());
        }
    }

    @Test
    void aSecondLiveDatabaseOnTheSameDirectoryIsRefusedNamingIt() {
        try (Db db = Dbs.started(dir)) {
            CreateReport second = Dbs.builder(dir).create();
            assertCode(Code.ERROR, second);
            assertTrue(second.error().contains(dir.getFileName().toString()), second::error);
            assertOk(db.write("still", bytes("works")));
        }
        try (Db again = Dbs.started(dir)) {
            assertEquals(1, again.count().count());
        }
    }
}
