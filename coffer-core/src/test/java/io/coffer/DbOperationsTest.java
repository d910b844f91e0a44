package io.coffer;

import static io.coffer.testing.Dbs.assertCode;
import static io.coffer.testing.Dbs.assertOk;
import static io.coffer.testing.Dbs.bytes;
import static io.coffer.testing.Dbs.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coffer.reports.Code;
import io.coffer.reports.DeleteListReport;
import io.coffer.reports.ReadListReport;
import io.coffer.reports.ReadReport;
import io.coffer.reports.WriteListReport;
import io.coffer.testing.Dbs;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test (or a few) per row of the contract's method table, on a running database. */
class DbOperationsTest {
    @TempDir
    Path dir;
    Db db;

    @BeforeEach
    void open() {
        db = Dbs.started(dir);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void writeInsertsThenOverwritesAndCountsVersions() {
        assertOk(db.write("k", bytes("v1")));
        assertOk(db.write("k", bytes("v2")));
        ReadReport read = db.read("k");
        assertEquals("v2", text(read.data()));
        assertEquals(2, read.version());
    }

    @Test
    void strictWriteListWritesNothingWhenAnyKeyExists() {
        assertOk(db.write("a", bytes("old")));
        WriteListReport report = db.writeList(map("a", "new", "b", "new"), true);
        assertCode(Code.ERR_RECORDS_FOUND, report);
        assertEquals(List.of("a"), report.found());
        assertEquals("old", text(db.read("a").data()));
        assertCode(Code.ERR_NOT_FOUND, db.read("b"));
    }

    @Test
    void optionalWriteListWritesAllAndListsOverwrittenKeys() {
        assertOk(db.write("a", bytes("old")));
        WriteListReport report = db.writeList(map("a", "new", "b", "new"), false);
        assertOk(report);
        assertEquals(List.of("a"), report.found());
        assertEquals("new", text(db.read("a").data()));
        assertEquals("new", text(db.read("b").data()));
    }

    @Test
    void readOfAMissingKeyIsNotFoundWithNoData() {
        ReadReport report = db.read("nothing");
        assertCode(Code.ERR_NOT_FOUND, report);
        assertNull(report.data());
        assertEquals(0, report.version());
    }

    @Test
    void readListReturnsFoundRecordsAndNamesTheMissingOnes() {
        assertOk(db.writeList(map("a", "1", "b", "2"), false));
        ReadListReport all = db.readList(List.of("a", "b"));
        assertOk(all);
        assertEquals("1", text(all.data().get("a")));
        ReadListReport partial = db.readList(List.of("a", "x", "b", "y"));
        assertCode(Code.ERR_NOT_FOUND, partial);
        assertEquals(List.of("a", "b"), List.copyOf(partial.data().keySet()));
        assertEquals(List.of("x", "y"), partial.notFound());
    }

    @Test
    void deleteRemovesARecordAndRefusesAMissingOne() {
        assertOk(db.write("a", bytes("1")));
        assertOk(db.delete("a"));
        assertCode(Code.ERR_NOT_FOUND, db.read("a"));
        assertCode(Code.ERR_NOT_FOUND, db.delete("a"));
    }

    @Test
    void strictDeleteDeletesNothingWhenAnyKeyIsMissing() {
        assertOk(db.writeList(map("a", "1", "b", "2"), false));
        DeleteListReport report = db.deleteListStrict(List.of("a", "missing", "b"));
        assertCode(Code.ERR_NOT_FOUND, report);
        assertEquals(List.of("missing"), report.notFound());
        assertEquals(List.of(), report.removed());
        assertEquals(2, db.count().count());
        DeleteListReport ok = db.deleteListStrict(List.of("b", "a"));
        assertOk(ok);
        assertEquals(List.of("b", "a"), ok.removed());
        assertEquals(0, db.count().count());
    }

    @Test
    void optionalDeleteDeletesThePresentKeysAndListsTheRest() {
        assertOk(db.writeList(map("a", "1", "b", "2"), false));
        DeleteListReport report = db.deleteListOptional(List.of("a", "missing"));
        assertOk(report);
        assertEquals(List.of("a"), report.removed());
        assertEquals(List.of("missing"), report.notFound());
        assertEquals(List.of("b"), db.recordsList().keys());
        DeleteListReport none = db.deleteListOptional(List.of("missing"));
        assertOk(none);
        assertEquals(List.of(), none.removed());
    }

    @Test
    void countsAndListingsWorkInEveryStateTheContractAllows() {
        assertOk(db.writeList(map("b/2", "x", "a/1", "x", "b/1", "x", "c/1.tmp", "x"), false));
        assertEquals(4, db.count().count());
        assertEquals(4, db.countUnsafe().count());
        assertEquals(List.of("a/1", "b/1", "b/2", "c/1.tmp"), db.recordsList().keys());
        assertEquals(List.of("b/1", "b/2"), db.recordsListWithPrefix("b/").keys());
        assertEquals(List.of("a/1", "b/1", "b/2", "c/1.tmp"), db.recordsListWithPrefix("").keys());
        assertEquals(List.of("a/1", "b/1"), db.recordsListWithSuffix("/1").keys());
        assertEquals(List.of(), db.recordsListWithPrefix("zzz").keys());
        assertOk(db.stop());
        assertCode(Code.PANIC_STOPPED, db.count());
        assertCode(Code.PANIC_STOPPED, db.recordsList());
        assertCode(Code.PANIC_STOPPED, db.recordsListWithPrefix("b"));
        assertCode(Code.PANIC_STOPPED, db.recordsListWithSuffix("1"));
        assertEquals(4, db.countUnsafe().count());
        assertEquals(4, db.recordsListUnsafe().keys().size());
        assertOk(db.readListUnsafe(List.of("a/1")));
    }

    @Test
    void writeListUnsafeActsAsAnOptionalWriteListWhileRunning() {
        assertOk(db.write("a", bytes("1")));
        assertOk(db.writeListUnsafe(map("a", "2", "b", "3")));
        assertEquals("2", text(db.read("a").data()));
        assertEquals(2, db.read("a").version());
    }

    @Test
    void writeListUnsafeLoadsDurablyBeforeStart(@TempDir Path other) {
        Db fresh = Dbs.created(other, b -> b);
        assertOk(fresh.writeListUnsafe(map("a", "1", "b", "2")));
        assertOk(fresh.writeListUnsafe(map("a", "3")));
        assertEquals(2, fresh.countUnsafe().count());
        assertEquals("3", text(fresh.readListUnsafe(List.of("a")).data().get("a")));
        fresh.stopHard();
        fresh.close();
        try (Db reopened = Dbs.started(other)) {
            assertEquals("3", text(reopened.read("a").data()));
            assertEquals(2, reopened.read("a").version());
            assertEquals("2", text(reopened.read("b").data()));
        }
    }

    @Test
    void everyOperationAnswersPanicStoppedWhenNotRunningAndAfterClose() {
        assertOk(db.stop());
        assertStopped(db);
        db.close();
        assertStopped(db);
        assertCode(Code.PANIC_STOPPED, db.countUnsafe());
        assertCode(Code.PANIC_STOPPED, db.recordsListUnsafe());
        assertCode(Code.PANIC_STOPPED, db.readListUnsafe(List.of("a")));
        assertCode(Code.PANIC_STOPPED, db.writeListUnsafe(map("a", "1")));
        assertCode(Code.PANIC_STOPPED, db.start());
        assertEquals(DbState.CLOSED, db.status().state());
    }

    private static void assertStopped(Db db) {
        assertCode(Code.PANIC_STOPPED, db.write("a", bytes("1")));
        assertCode(Code.PANIC_STOPPED, db.writeList(map("a", "1"), false));
        assertCode(Code.PANIC_STOPPED, db.read("a"));
        assertCode(Code.PANIC_STOPPED, db.readList(List.of("a")));
        assertCode(Code.PANIC_STOPPED, db.delete("a"));
        assertCode(Code.PANIC_STOPPED, db.deleteListStrict(List.of("a")));
        assertCode(Code.PANIC_STOPPED, db.deleteListOptional(List.of("a")));
        assertCode(Code.PANIC_STOPPED, db.transaction("h", List.of("a"), null));
        assertCode(Code.PANIC_STOPPED, db.count());
    }

    @Test
    void valuesAreCopiedInAndOut() {
        byte[] value = bytes("abc");
        assertOk(db.write("k", value));
        value[0] = 'X';
        byte[] read = db.read("k").data();
        assertEquals("abc", text(read));
        read[0] = 'Y';
        assertArrayEquals(bytes("abc"), db.read("k").data());
        Map<String, byte[]> records = map("m", "mmm");
        assertOk(db.writeList(records, false));
        records.get("m")[0] = 'Z';
        assertEquals("mmm", text(db.read("m").data()));
        db.readList(List.of("m")).data().get("m")[0] = 'Q';
        assertEquals("mmm", text(db.read("m").data()));
    }

    @Test
    void emptyCollectionsAreOkNoOps() {
        assertOk(db.writeList(Map.of(), true));
        assertOk(db.readList(List.of()));
        assertOk(db.deleteListStrict(List.of()));
        assertOk(db.deleteListOptional(List.of()));
        assertOk(db.transaction("unknown", List.of(), null));
        assertEquals(0, db.count().count());
        assertEquals(0, db.status().durableSequence());
    }

    @Test
    void statusTellsStateRecordsLogsAndResources() {
        assertOk(db.write("a", bytes("1")));
        StatusReport status = db.status();
        assertOk(status);
        assertEquals(DbState.RUNNING, status.state());
        assertEquals(1, status.recordCount());
        assertEquals(1000000001L, status.currentLog());
        assertEquals(1, status.durableSequence());
        assertTrue(status.followerHealthy());
        assertTrue(status.changesAllowed());
        assertTrue(status.freeDisk() > 0, status::toString);
    }

    @Test
    void statusCountsTheForcesOfTheLogAndTheOperationsTheyCarriedSinceTheLastStart() {
        for (int i = 0; i < 20; i++) {
            assertOk(db.write("k" + i, bytes("v"))); // one writer: each operation is a batch of its own
        }
        assertOk(db.writeList(Map.of("x", bytes("1"), "y", bytes("2")), true)); // one operation, two records
        StatusReport status = db.status();
        assertEquals(21, status.logSyncs(), status::toString);
        assertEquals(21, status.syncedOperations());
        assertOk(db.stop());
        assertEquals(0, db.status().logSyncs(), "not running: no log is being forced");
        assertOk(db.start());
        assertOk(db.write("again", bytes("v")));
        assertEquals(1, db.status().logSyncs(), "counted from the last start");
        assertEquals(1, db.status().syncedOperations());
    }

    @Test
    void startAndStopAreIdempotent() {
        assertOk(db.start());
        assertOk(db.start());
        assertOk(db.write("a", bytes("1")));
        assertOk(db.stop());
        assertOk(db.stop());
        assertOk(db.stopHard());
        assertOk(db.start());
        assertEquals("1", text(db.read("a").data()));
    }

    static Map<String, byte[]> map(String... keysAndValues) {
        Map<String, byte[]> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], bytes(keysAndValues[i + 1]));
        }
        return map;
    }
}
