package io.coffer.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code help} prints the usage; no arguments print it as an error; bad usage exits 64 with a reason. */
class UsageTest {
    @TempDir
    Path dir;

    @Test
    void helpPrintsTheUsage() {
        for (String[] args : new String[][] {{"help"}, {"-h"}, {"--help"}, {"list", "--help"}}) {
            Tool help = Tool.run(args);
            assertEquals(0, help.exit(), help::toString);
            assertEquals(CofferTool.USAGE, help.out());
            assertEquals("", help.err());
        }
    }

    @Test
    void noArgumentsPrintTheUsageAsBadUsage() {
        Tool none = Tool.run();
        assertEquals(64, none.exit(), none::toString);
        assertEquals("", none.out());
        assertEquals(CofferTool.USAGE, none.err());
    }

    @Test
    void badUsageSaysWhatIsWrong() {
        String d = dir.toString();
        assertBad(Tool.run("fix", d), "unknown command 'fix'");
        assertBad(Tool.run("list"), "list needs a DIR");
        assertBad(Tool.run("dump"), "dump needs a FILE");
        assertBad(Tool.run("verify", d, d), "verify takes one DIR, not " + d + " " + d);
        assertBad(Tool.run("verify", "--max-key-length=0", d), "--max-key-length must be a whole number from 1 to 65535, not '0'");
        assertBad(Tool.run("verify", "--max-value-length=lots", d), "--max-value-length must be a whole number");
        assertBad(Tool.run("verify", d, "--max-recs-per-operation"), "option --max-recs-per-operation needs a value");
        assertBad(Tool.run("verify", "--force", d), "unknown option --force");
    }

    private static void assertBad(Tool tool, String reason) {
        assertEquals(64, tool.exit(), tool::toString);
        assertEquals("", tool.out());
        assertTrue(tool.err().startsWith("CofferTool: " + reason), tool::toString);
        assertTrue(tool.err().endsWith("Run 'CofferTool help' for usage." + System.lineSeparator()), tool::toString);
    }

    @Test
    void pathsThatAreNotInputsExit66() throws Exception {
        Path file = java.nio.file.Files.writeString(dir.resolve("f.log"), "x");
        assertEquals(66, Tool.run("list", dir.resolve("missing").toString()).exit());
        assertEquals(66, Tool.run("status", file.toString()).exit());
        assertEquals(66, Tool.run("dump", dir.toString()).exit());
        assertEquals(66, Tool.run("dump", dir.resolve("missing.log").toString()).exit());
        Tool shortLog = Tool.run("dump", file.toString()); // a .log too short for a header: dumped as damage
        assertEquals(1, shortLog.exit(), shortLog::toString);
        assertTrue(shortLog.out().contains("\"status\":\"torn\",\"offset\":0,\"problem\":\"log shorter than its header\""),
                shortLog::toString);
    }
}
