package io.coffer.tool;

import static io.coffer.testing.Dbs.assertOk;
import static io.coffer.testing.Dbs.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coffer.Db;
import io.coffer.internal.wal.LogFormat;
import io.coffer.testing.Dbs;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dump}: a log and a checkpoint built by the engine with fixed data dump to exactly these lines. */
class DumpTest {
    private static final String LOG = "1000000001.log";
    private static final String CHECKPOINT = "1000000002.checkpoint";
    /** "ключ" and "значение" (Cyrillic), 8 and 16 bytes of UTF-8. */
    private static final String KEY_RU = "\u043a\u043b\u044e\u0447";
    private static final String VALUE_RU = "\u0437\u043d\u0430\u0447\u0435\u043d\u0438\u0435";

    @TempDir
    Path dir;

    /** Seven operations, one frame each (every call waits for its sync), then a hard stop: no checkpoint. */
    private void buildLog() {
        try (Db db = Dbs.started(dir, b -> b.handler("transfer", (arg, records) -> {
            Map<String, byte[]> out = new LinkedHashMap<>();
            out.put("alpha", bytes("two"));
            out.put("bin", new byte[0]);
            return out;
        }))) {
            assertOk(db.write("alpha", bytes("one")));
            assertOk(db.write("bin", new byte[] {0, 1, 2, (byte) 0xFF}));
            Map<String, byte[]> list = new LinkedHashMap<>();
            list.put(KEY_RU, bytes(VALUE_RU));
            list.put("k\"q", bytes("line\nbreak"));
            assertOk(db.writeList(list, true));
            assertOk(db.transaction("transfer", List.of("alpha", "bin"), null));
            assertOk(db.delete("bin"));
            assertOk(db.write("tab", bytes("a\tb")));
            assertOk(db.write("ctl", new byte[] {7}));
            assertOk(db.stopHard());
        }
    }

    /** The log's size: its header, then the zeros preallocated after it (the frames overwrite the first 399). */
    private static final int LOG_SIZE = 32 + LogFormat.MIN_PREALLOCATION_BYTES;

    /*
     * Frame sizes by the format: 8 (frame header) + 4 (count) + per operation 8 + 1 + 2 + handler + 4, and
     * per change 2 + key + 8 + 4 + value. So: 49, 48, 92, 74, 44, 47, 45 bytes from offset 32.
     */
    private static final List<String> LOG_LINES = List.of(
            "{\"type\":\"header\",\"file\":\"1000000001.log\",\"format\":\"log\",\"size\":" + LOG_SIZE + ",\"version\":1,"
                    + "\"number\":1000000001,\"firstSequence\":1,\"valid\":true}",
            "{\"type\":\"operation\",\"file\":\"1000000001.log\",\"position\":32,\"sequence\":1,\"kind\":\"WRITE\","
                    + "\"handler\":\"\",\"changes\":[{\"key\":\"alpha\",\"version\":1,\"value\":\"one\"}]}",
            "{\"type\":\"operation\",\"file\":\"1000000001.log\",\"position\":81,\"sequence\":2,\"kind\":\"WRITE\","
                    + "\"handler\":\"\",\"changes\":[{\"key\":\"bin\",\"version\":1,\"value\":\"AAEC/w==\",\"encoding\":\"base64\"}]}",
            "{\"type\":\"operation\",\"file\":\"1000000001.log\",\"position\":129,\"sequence\":3,\"kind\":\"WRITE\","
                    + "\"handler\":\"\",\"changes\":[{\"key\":\"k\\\"q\",\"version\":1,\"value\":\"line\\nbreak\"},"
                    + "{\"key\":\"" + KEY_RU + "\",\"version\":1,\"value\":\"" + VALUE_RU + "\"}]}",
            "{\"type\":\"operation\",\"file\":\"1000000001.log\",\"position\":221,\"sequence\":4,\"kind\":\"TRANSACTION\","
                    + "\"handler\":\"transfer\",\"changes\":[{\"key\":\"alpha\",\"version\":2,\"value\":\"two\"},"
                    + "{\"key\":\"bin\",\"version\":2,\"value\":\"\"}]}",
            "{\"type\":\"operation\",\"file\":\"1000000001.log\",\"position\":295,\"sequence\":5,\"kind\":\"DELETE\","
                    + "\"handler\":\"\",\"changes\":[{\"key\":\"bin\",\"version\":0,\"deleted\":true}]}",
            "{\"type\":\"operation\",\"file\":\"1000000001.log\",\"position\":339,\"sequence\":6,\"kind\":\"WRITE\","
                    + "\"handler\":\"\",\"changes\":[{\"key\":\"tab\",\"version\":1,\"value\":\"a\\tb\"}]}",
            "{\"type\":\"operation\",\"file\":\"1000000001.log\",\"position\":386,\"sequence\":7,\"kind\":\"WRITE\","
                    + "\"handler\":\"\",\"changes\":[{\"key\":\"ctl\",\"version\":1,\"value\":\"Bw==\",\"encoding\":\"base64\"}]}",
            "{\"type\":\"summary\",\"file\":\"1000000001.log\",\"frames\":7,\"operations\":7,\"lastSequence\":7,"
                    + "\"validEnd\":431,\"size\":" + LOG_SIZE + ",\"status\":\"clean\"}");

    @Test
    void aKnownLogDumpsToExactlyTheseLines() {
        buildLog();
        Tool dump = Tool.run("dump", dir.resolve(LOG).toString());
        assertEquals(0, dump.exit(), dump::toString);
        assertEquals(LOG_LINES, dump.lines(), dump::toString);
        assertEquals("", dump.err());
        for (String line : dump.lines()) {
            TestJson.parse(line); // every line is one valid JSON object
        }
    }

    /*
     * Records in key order, frames 8 + 14 + key + value: alpha 30, ctl 26, k"q 35, tab 28, ключ 46 bytes from
     * offset 32; then the 32-byte footer.
     */
    @Test
    void aKnownCheckpointDumpsToExactlyTheseLines() {
        buildLog();
        try (Db db = Dbs.created(dir, b -> b)) {
            assertOk(db.stop()); // writes checkpoint 1000000002 of the recovered records
        }
        Tool dump = Tool.run("dump", dir.resolve(CHECKPOINT).toString());
        assertEquals(0, dump.exit(), dump::toString);
        assertEquals(List.of(
                "{\"type\":\"header\",\"file\":\"1000000002.checkpoint\",\"format\":\"checkpoint\",\"size\":229,"
                        + "\"version\":1,\"number\":1000000002,\"lastSequence\":7,\"valid\":true}",
                "{\"type\":\"record\",\"file\":\"1000000002.checkpoint\",\"position\":32,\"key\":\"alpha\",\"version\":2,"
                        + "\"value\":\"two\"}",
                "{\"type\":\"record\",\"file\":\"1000000002.checkpoint\",\"position\":62,\"key\":\"ctl\",\"version\":1,"
                        + "\"value\":\"Bw==\",\"encoding\":\"base64\"}",
                "{\"type\":\"record\",\"file\":\"1000000002.checkpoint\",\"position\":88,\"key\":\"k\\\"q\",\"version\":1,"
                        + "\"value\":\"line\\nbreak\"}",
                "{\"type\":\"record\",\"file\":\"1000000002.checkpoint\",\"position\":123,\"key\":\"tab\",\"version\":1,"
                        + "\"value\":\"a\\tb\"}",
                "{\"type\":\"record\",\"file\":\"1000000002.checkpoint\",\"position\":151,\"key\":\"" + KEY_RU
                        + "\",\"version\":1,\"value\":\"" + VALUE_RU + "\"}",
                "{\"type\":\"summary\",\"file\":\"1000000002.checkpoint\",\"records\":5,\"size\":229,\"status\":\"clean\"}"),
                dump.lines(), dump::toString);
    }

    @Test
    void aTornLogDumpsItsValidOperationsAndSaysWhereItStops() throws IOException {
        buildLog();
        try (RandomAccessFile file = new RandomAccessFile(dir.resolve(LOG).toFile(), "rw")) {
            file.setLength(400); // inside the last frame, which starts at 386
        }
        Tool dump = Tool.run("dump", dir.resolve(LOG).toString());
        assertEquals(1, dump.exit(), dump::toString);
        List<String> lines = dump.lines();
        assertEquals(LOG_LINES.get(0).replace("\"size\":" + LOG_SIZE, "\"size\":400"), lines.get(0));
        assertEquals(LOG_LINES.subList(1, 7), lines.subList(1, 7));
        assertEquals("{\"type\":\"summary\",\"file\":\"1000000001.log\",\"frames\":6,\"operations\":6,\"lastSequence\":6,"
                + "\"validEnd\":386,\"size\":400,\"status\":\"torn\",\"offset\":386,"
                + "\"problem\":\"frame of 37 bytes cut short at 6\"}", lines.get(7));
        assertEquals(8, lines.size());
    }

    @Test
    void aCorruptFrameBeforeValidOnesIsCorruptionAtItsOffset() throws IOException {
        buildLog();
        try (RandomAccessFile file = new RandomAccessFile(dir.resolve(LOG).toFile(), "rw")) {
            file.seek(81 + 20);
            int b = file.read();
            file.seek(81 + 20);
            file.write(b ^ 0x10);
        }
        Tool dump = Tool.run("dump", dir.resolve(LOG).toString());
        assertEquals(2, dump.exit(), dump::toString);
        assertEquals(List.of(LOG_LINES.get(0), LOG_LINES.get(1),
                "{\"type\":\"summary\",\"file\":\"1000000001.log\",\"frames\":1,\"operations\":1,\"lastSequence\":1,"
                        + "\"validEnd\":81,\"size\":" + LOG_SIZE + ",\"status\":\"corrupt\",\"offset\":81,"
                        + "\"problem\":\"frame checksum mismatch\"}"), dump.lines());
    }

    @Test
    void aRenamedCopyDumpsByItsMagicAndHeaderNumber() throws IOException {
        buildLog();
        Path copy = Files.copy(dir.resolve(LOG), dir.resolve("backup.bin"));
        Tool dump = Tool.run("dump", copy.toString());
        assertEquals(0, dump.exit(), dump::toString);
        assertEquals(LOG_LINES.stream().map(l -> l.replace("1000000001.log", "backup.bin")).toList(), dump.lines());
    }

    @Test
    void aFileThatIsNoCofferFileIsRefused() throws IOException {
        Path other = Files.writeString(dir.resolve("notes.txt"), "hello, not a log");
        Tool dump = Tool.run("dump", other.toString());
        assertEquals(66, dump.exit(), dump::toString);
        assertTrue(dump.err().contains("not a Coffer log or checkpoint"), dump::toString);
        assertEquals("", dump.out());
    }

    @Test
    void anUnfinishedCheckpointDumpsItsHeaderAndWhyItIsIncomplete() throws IOException {
        buildLog();
        try (Db db = Dbs.created(dir, b -> b)) {
            assertOk(db.stop());
        }
        byte[] complete = Files.readAllBytes(dir.resolve(CHECKPOINT));
        Path check = dir.resolve("1000000003.check");
        Files.write(check, java.util.Arrays.copyOf(complete, complete.length - 32)); // no footer yet
        Tool dump = Tool.run("dump", check.toString());
        assertEquals(2, dump.exit(), dump::toString);
        List<String> lines = dump.lines();
        assertEquals(2, lines.size(), dump::toString);
        assertTrue(lines.get(0).contains("\"valid\":false") && lines.get(0).contains("\"unfinished\":true"), lines.get(0));
        assertTrue(lines.get(1).startsWith("{\"type\":\"summary\",\"file\":\"1000000003.check\",\"records\":0,\"size\":197,"
                + "\"status\":\"corrupt\""), lines.get(1));
    }
}
