package io.coffer.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.coffer.CreateReport;
import io.coffer.Db;
import io.coffer.reports.ReadReport;
import io.coffer.testing.Seeds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Assumptions;

/**
 * R7 on the real OS (GUARANTEES 4): a child JVM ({@link DiskFullChild}) runs under {@code ulimit -f}, so the
 * kernel refuses to grow the log past the limit (EFBIG, "File too large") in the middle of a write. Every
 * writer then gets PANIC_WAL, the database fails, later writes get PANIC_WAL too, and after reopening without
 * the limit every acknowledged write is there, and no value that was never written.
 */
class RealDiskFullTest {
    /** The limit in bash's ulimit units (1024-byte blocks): the log stops growing at 256 KiB. */
    private static final int LIMIT_KIB = 256;

    @TempDir
    Path work;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aLogThatHitsTheFileSizeLimitPanicsEveryWriterAndLosesNoAcknowledgedWrite() throws Exception {
        Path bash = Path.of("/bin/bash");
        Assumptions.assumeTrue(Files.isExecutable(bash), "no /bin/bash");
        Process probe = new ProcessBuilder(bash.toString(), "-c", "ulimit -f 64 && ulimit -f").redirectErrorStream(true).start();
        Assumptions.assumeTrue(probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0
                && new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim().equals("64"),
                "ulimit -f does not work here");

        long seed = Seeds.seed("RealDiskFullTest");
        Path dir = work.resolve("db");
        Path stderr = work.resolve("child.err");
        List<String> options = new ArrayList<>(List.of("-Xmx128m", "-XX:-UsePerfData"));
        options.addAll(ChildJvm.FAST_START);
        List<String> command = new ArrayList<>(List.of(bash.toString(), "-c", "ulimit -f " + LIMIT_KIB + " && exec \"$@\"", "bash"));
        command.addAll(ChildJvm.command(options, DiskFullChild.class, dir.toString(), Long.toString(seed)));
        Process child = ChildJvm.start(command, stderr);
        List<String> lines = new ArrayList<>();
        try {
            ChildJvm.Lines out = new ChildJvm.Lines(child.getInputStream(), "disk-full-reader");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            String line;
            while (!ChildJvm.Lines.EOF.equals(line = out.poll(1000))) {
                if (line != null) {
                    lines.add(line);
                    if (line.startsWith("FAIL")) {
                        fail("seed=" + seed + ": " + line + "\n" + ChildJvm.tail(stderr, 4000));
                    }
                }
                if (System.nanoTime() > deadline) {
                    fail("seed=" + seed + ": the child did not finish within 120 s; last lines:\n" + last(lines) + "\n"
                            + ChildJvm.tail(stderr, 4000));
                }
            }
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child did not exit");
        } finally {
            ChildJvm.kill(child);
        }
        assertEquals(0, child.exitValue(), () -> "seed=" + seed + ": child exit " + child.exitValue() + "\n" + last(lines) + "\n"
                + ChildJvm.tail(stderr, 4000));

        Map<String, String> started = new HashMap<>();
        Map<String, String> acked = new HashMap<>();
        List<String> panics = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split(" ", 5);
            switch (f[0]) {
                case "BEFORE" -> started.put(f[3], f[4]);
                case "ACK" -> acked.put(f[3], f[4]);
                case "PANIC_WAL" -> panics.add(line);
                default -> {
                }
            }
        }
        assertEquals(4, panics.size(), () -> "every writer must end with PANIC_WAL:\n" + last(lines));
        assertTrue(panics.stream().allMatch(p -> p.contains("File too large")), panics::toString);
        assertTrue(lines.contains("AFTER PANIC_WAL FAILED"), () -> "a write after the failure: " + last(lines));
        assertTrue(lines.contains("DONE CLOSED"), () -> last(lines));
        assertTrue(acked.size() > 100, "the limit was hit too early to show anything: " + acked.size() + " acks");
        for (Path log : logs(dir)) {
            assertTrue(Files.size(log) <= LIMIT_KIB * 1024L, log + " grew past the limit");
        }

        CreateReport reopened = Db.builder(dir).limitMemory(0).limitDisk(0).create();
        assertTrue(reopened.isCodeOk(), () -> "seed=" + seed + ": after EFBIG the directory does not open: " + reopened);
        try (Db db = reopened.db()) {
            assertTrue(db.start().isCodeOk());
            for (Map.Entry<String, String> write : acked.entrySet()) {
                ReadReport read = db.read(write.getKey());
                assertTrue(read.isCodeOk(), () -> "seed=" + seed + ": acknowledged write of " + write.getKey() + " lost");
                assertEquals(write.getValue(), new String(read.data(), StandardCharsets.UTF_8));
            }
            for (String key : db.recordsList().keys()) {
                String value = new String(db.read(key).data(), StandardCharsets.UTF_8);
                assertEquals(started.get(key), value, () -> "seed=" + seed + ": " + key + " holds a value never written");
            }
            System.out.printf("RealDiskFullTest seed=%d: %d acknowledged, %d started, %d recovered, warnings %s%n", seed,
                    acked.size(), started.size(), db.count().count(), reopened.warnings());
        }
    }

    private static List<Path> logs(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log")).toList();
        }
    }

    private static String last(List<String> lines) {
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }
}
