package io.coffer.tool;

import static io.coffer.testing.Dbs.assertOk;
import static io.coffer.testing.Dbs.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coffer.Db;
import io.coffer.testing.Dbs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code list} and {@code status} refuse while a live database holds the directory; {@code verify} and {@code dump} read on. */
class LockTest {
    @TempDir
    Path dir;

    private void assertRefused(Tool tool, String holder) {
        assertEquals(3, tool.exit(), tool::toString);
        assertEquals("", tool.out());
        assertTrue(tool.err().contains(dir + " is in use: coffer.lock is locked by a live database in " + holder),
                tool::toString);
        assertTrue(tool.err().contains("Stop the database first, or use 'verify' or 'dump', which only read."), tool::toString);
    }

    @Test
    @Timeout(120)
    void aLiveDatabaseInAnotherProcessIsRefusedPolitely() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                LiveDb.class.getName(), dir.toString()).redirectErrorStream(true).start();
        List<String> childOutput = new ArrayList<>();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = lines.readLine()) != null && !line.equals("ready")) {
                childOutput.add(line);
            }
            assertEquals("ready", line, () -> "the child did not start: " + childOutput);
            Thread drain = new Thread(() -> lines.lines().forEach(childOutput::add));
            drain.setDaemon(true);
            drain.start();

            assertRefused(Tool.run("list", dir.toString()), "another process");
            assertRefused(Tool.run("status", dir.toString()), "another process");
            Tool verify = Tool.run("verify", dir.toString());
            assertEquals(0, verify.exit(), verify::toString);
            Tool dump = Tool.run("dump", dir.resolve("1000000001.log").toString());
            assertEquals(0, dump.exit(), dump::toString);
            assertTrue(dump.out().contains("\"key\":\"live\",\"version\":1,\"value\":\"yes\""), dump::toString);

            child.getOutputStream().close();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not close");
            assertEquals(0, child.exitValue(), () -> "child: " + childOutput);
        } finally {
            child.destroyForcibly();
        }
        Tool list = Tool.run("list", dir.toString());
        assertEquals(0, list.exit(), list::toString);
        Tool status = Tool.run("status", dir.toString());
        assertEquals(0, status.exit(), status::toString);
        assertTrue(status.out().contains("coffer.lock is not held: no live database"), status::toString);
        assertTrue(status.out().contains(String.format("%-18s %s", "records", "1")), status::toString);
    }

    @Test
    void aLiveDatabaseInThisJvmIsRefusedToo() throws IOException {
        try (Db db = Dbs.started(dir)) {
            assertOk(db.write("k", bytes("v")));
            assertRefused(Tool.run("list", dir.toString()), "this JVM");
            assertRefused(Tool.run("status", dir.toString()), "this JVM");
            Tool verify = Tool.run("verify", dir.toString());
            assertEquals(0, verify.exit(), verify::toString);
            assertEquals(0, Tool.run("dump", dir.resolve("1000000001.log").toString()).exit());
        }
        assertEquals(0, Tool.run("list", dir.toString()).exit());
    }

    @Test
    void aDirectoryNoDatabaseOpenedHasNoLockFileAndTheToolMakesNone() throws IOException {
        Path fresh = Files.createDirectories(dir.resolve("fresh"));
        Tool status = Tool.run("status", fresh.toString());
        assertEquals(0, status.exit(), status::toString);
        assertTrue(status.out().contains("no coffer.lock: no database has this directory open"), status::toString);
        assertEquals(0, Tool.run("list", fresh.toString()).exit());
        assertTrue(Files.notExists(fresh.resolve("coffer.lock")));
    }
}
