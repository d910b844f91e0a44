package io.coffer;

import static io.coffer.testing.Dbs.assertCode;
import static io.coffer.testing.Dbs.assertOk;
import static io.coffer.testing.Dbs.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coffer.reports.Code;
import io.coffer.reports.Report;
import io.coffer.testing.Dbs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GUARANTEES 17: bad input gets its documented code, in the contract's order, and changes nothing:
 * after every refused call the log holds no new operation and the records are as before.
 */
class BadInputTest {
    static final int MAX_KEY = 8;
    static final int MAX_VALUE = 16;
    static final int MAX_RECS = 3;

    @TempDir
    Path dir;
    Db db;

    @BeforeEach
    void open() {
        db = Dbs.started(dir, b -> b.maxKeyLength(MAX_KEY).maxValueLength(MAX_VALUE).maxRecsPerOperation(MAX_RECS)
                .handler("same", (arg, records) -> records));
        assertOk(db.write("seed", bytes("v")));
    }

    @AfterEach
    void close() {
        db.close();
    }

    /** Runs a refused call and checks its code, and that nothing was logged or changed. */
    private void refused(Code expected, Report report) {
        assertCode(expected, report);
        assertTrue(report.error() != null && !report.error().isBlank());
        assertEquals(1, db.status().durableSequence(), "a refused call logged an operation");
        assertEquals(List.of("seed"), db.recordsList().keys());
    }

    @Test
    void nullArgumentsAreParseErrors() {
        refused(Code.ERR_PARSE_REQUEST, db.write(null, bytes("v")));
        refused(Code.ERR_PARSE_REQUEST, db.write("k", null));
        refused(Code.ERR_PARSE_REQUEST, db.writeList(null, false));
        Map<String, byte[]> nullValue = new HashMap<>();
        nullValue.put("k", null);
        refused(Code.ERR_PARSE_REQUEST, db.writeList(nullValue, true));
        Map<String, byte[]> nullKey = new HashMap<>();
        nullKey.put(null, bytes("v"));
        refused(Code.ERR_PARSE_REQUEST, db.writeList(nullKey, false));
        refused(Code.ERR_PARSE_REQUEST, db.read(null));
        refused(Code.ERR_PARSE_REQUEST, db.readList(null));
        refused(Code.ERR_PARSE_REQUEST, db.readList(Arrays.asList("a", null)));
        refused(Code.ERR_PARSE_REQUEST, db.delete(null));
        refused(Code.ERR_PARSE_REQUEST, db.deleteListStrict(null));
        refused(Code.ERR_PARSE_REQUEST, db.deleteListOptional(Arrays.asList((String) null)));
        refused(Code.ERR_PARSE_REQUEST, db.transaction(null, List.of("seed"), null));
        refused(Code.ERR_PARSE_REQUEST, db.transaction("same", null, null));
        refused(Code.ERR_PARSE_REQUEST, db.recordsListWithPrefix(null));
        refused(Code.ERR_PARSE_REQUEST, db.recordsListWithSuffix(null));
    }

    @Test
    void duplicateKeysAreParseErrors() {
        refused(Code.ERR_PARSE_REQUEST, db.readList(List.of("seed", "seed")));
        refused(Code.ERR_PARSE_REQUEST, db.deleteListStrict(List.of("seed", "seed")));
        refused(Code.ERR_PARSE_REQUEST, db.deleteListOptional(List.of("seed", "seed")));
        refused(Code.ERR_PARSE_REQUEST, db.transaction("same", List.of("seed", "seed"), null));
    }

    @Test
    void keysThatAreNotValidUnicodeAreParseErrorsAndNeverCollide() {
        refused(Code.ERR_PARSE_REQUEST, db.write("a\uD800", bytes("v")));
        refused(Code.ERR_PARSE_REQUEST, db.write("a\uDC00", bytes("v")));
        refused(Code.ERR_PARSE_REQUEST, db.write("\uDBFFa", bytes("v")));
        refused(Code.ERR_PARSE_REQUEST, db.read("a\uD800"));
        refused(Code.ERR_PARSE_REQUEST, db.deleteListOptional(List.of("ok", "x\uDFFF")));
        refused(Code.ERR_PARSE_REQUEST, db.writeList(Map.of("x\uD800", bytes("v")), false));
        // A valid pair is fine: one 4-byte character.
        assertOk(db.write("\uD83D\uDE00", bytes("smile")));
        assertEquals("smile", Dbs.text(db.read("\uD83D\uDE00").data()));
    }

    @Test
    void keyLimitsAreInclusiveAndCountUtf8Bytes() {
        assertOk(db.write("12345678", bytes("v")));                       // exactly 8 bytes
        assertCode(Code.ERR_EXCEEDING_MAX_KEY_LENGTH, db.write("123456789", bytes("v")));
        assertOk(db.write("\u00e9\u00e9\u00e9\u00e9", bytes("v")));       // 4 × 2 bytes = 8
        assertCode(Code.ERR_EXCEEDING_MAX_KEY_LENGTH, db.write("\u00e9\u00e9\u00e9\u00e9a", bytes("v")));
        assertOk(db.write("\uD83D\uDE00\uD83D\uDE00", bytes("v")));       // 2 × 4 bytes = 8
        assertCode(Code.ERR_EXCEEDING_MAX_KEY_LENGTH, db.write("\u20ac\u20ac\u20ac", bytes("v"))); // 3 × 3 = 9
        assertCode(Code.ERR_EXCEEDING_ZERO_KEY_LENGTH, db.write("", bytes("v")));
        assertCode(Code.ERR_EXCEEDING_MAX_KEY_LENGTH, db.read("123456789"));
        assertCode(Code.ERR_EXCEEDING_ZERO_KEY_LENGTH, db.read(""));
        assertCode(Code.ERR_EXCEEDING_MAX_KEY_LENGTH, db.transaction("same", List.of("123456789"), null));
    }

    @Test
    void valueLimitsAreInclusive() {
        assertOk(db.write("k", new byte[MAX_VALUE]));
        assertOk(db.write("empty", new byte[0]));
        long before = db.status().durableSequence();
        assertCode(Code.ERR_EXCEEDING_MAX_VALUE_SIZE, db.write("k", new byte[MAX_VALUE + 1]));
        assertCode(Code.ERR_EXCEEDING_MAX_VALUE_SIZE, db.writeList(Map.of("j", new byte[MAX_VALUE + 1]), false));
        assertEquals(before, db.status().durableSequence());
        assertEquals(MAX_VALUE, db.read("k").data().length);
    }

    @Test
    void recordCountLimitsAreInclusive() {
        assertOk(db.writeList(DbOperationsTest.map("a", "1", "b", "2", "c", "3"), false));
        assertCode(Code.ERR_RECORD_LIMIT_EXCEEDED, db.writeList(DbOperationsTest.map("a", "1", "b", "2", "c", "3", "d", "4"), false));
        assertCode(Code.ERR_RECORD_LIMIT_EXCEEDED, db.readList(List.of("a", "b", "c", "d")));
        assertCode(Code.ERR_RECORD_LIMIT_EXCEEDED, db.deleteListStrict(List.of("a", "b", "c", "d")));
        assertCode(Code.ERR_RECORD_LIMIT_EXCEEDED, db.deleteListOptional(List.of("a", "b", "c", "d")));
        assertCode(Code.ERR_RECORD_LIMIT_EXCEEDED, db.transaction("same", List.of("a", "b", "c", "d"), null));
        assertEquals(4, db.count().count());
    }

    @Test
    void checksRunInTheContractsOrder() {
        // parse before count: a null value in an oversized map is a parse error
        Map<String, byte[]> many = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            many.put("k" + i, bytes("v"));
        }
        many.put("n", null);
        refused(Code.ERR_PARSE_REQUEST, db.writeList(many, false));
        // count before keys: too many records, one of them with an empty key
        Map<String, byte[]> manyBadKeys = DbOperationsTest.map("", "1", "b", "2", "c", "3", "d", "4");
        refused(Code.ERR_RECORD_LIMIT_EXCEEDED, db.writeList(manyBadKeys, false));
        // keys before values; empty before long
        refused(Code.ERR_EXCEEDING_ZERO_KEY_LENGTH, db.writeList(Map.of("123456789", bytes("v"), "", new byte[99]), false));
        refused(Code.ERR_EXCEEDING_MAX_KEY_LENGTH, db.writeList(Map.of("123456789", new byte[99]), false));
        // the state comes first of all
        db.stop();
        assertCode(Code.PANIC_STOPPED, db.write(null, null));
        db.start();
    }

    @Test
    void aDirectoryThatIsAFileIsAnInvalidOptionNamingIt(@TempDir Path tmp) throws Exception {
        Path file = Files.createFile(tmp.resolve("plain-file"));
        CreateReport report = Db.builder(file).create();
        assertCode(Code.ERROR, report);
        assertTrue(report.error().contains("dir"), report::error);
        assertEquals(null, report.db());
    }

    @Test
    void everyInvalidOptionIsNamedInTheReport(@TempDir Path tmp) {
        Map<String, java.util.function.UnaryOperator<DbBuilder>> invalid = new LinkedHashMap<>();
        invalid.put("batchSize", b -> b.batchSize(0));
        invalid.put("limitRecordsPerLogfile", b -> b.limitRecordsPerLogfile(-1));
        invalid.put("followPause", b -> b.followPause(java.time.Duration.ZERO));
        invalid.put("logsByCheckpoint", b -> b.logsByCheckpoint(0));
        invalid.put("maxKeyLength", b -> b.maxKeyLength(0));
        invalid.put("maxValueLength", b -> b.maxValueLength(-1));
        invalid.put("maxRecsPerOperation", b -> b.maxRecsPerOperation(0));
        invalid.put("limitMemory", b -> b.limitMemory(-1));
        invalid.put("limitDisk", b -> b.limitDisk(-5));
        invalid.put("handler", b -> b.handler("h", null));
        invalid.put("handlers", b -> b.handlers(null));
        invalid.forEach((option, setter) -> {
            CreateReport report = setter.apply(Db.builder(tmp.resolve(option))).create();
            assertCode(Code.ERROR, report);
            assertTrue(report.error().contains(option), () -> option + ": " + report.error());
        });
        assertCode(Code.ERROR, Db.builder((Path) null).create());
        assertCode(Code.ERROR, Db.builder("bad\u0000path").create());
    }
}
