package io.coffer.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coffer.internal.Mutation;
import io.coffer.testing.Seeds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * R17: the reliability suite is itself tested. Each {@link Mutation} breaks one step of the durability
 * protocol (the directory sync, the force before the ack, the CRC check, the order of checkpoint and
 * deletion, recovery forcing what it read); a child JVM runs a reduced suite ({@link MutationMain}) with it,
 * and the suite must fail. With no mutation it must pass, so the failures are the mutation's doing.
 */
class MutationTest {
    private static final long TIMEOUT_SECONDS = 240;

    @TempDir
    Path work;

    @ParameterizedTest
    @EnumSource(Mutation.class)
    void theReducedSuiteFailsUnderEveryMutationAndPassesWithoutOne(Mutation mutation) throws Exception {
        long seed = Seeds.seed("MutationTest." + mutation);
        Path output = work.resolve(mutation + ".out");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx256m", "-Dcoffer.mutation=" + mutation, "-cp",
                System.getProperty("java.class.path"), MutationMain.class.getName(), mutation.name(), Long.toString(seed))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean exited = child.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!exited) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String out = read(output);
        List<String> checks = out.lines().filter(line -> line.startsWith("CHECK ")).toList();
        System.out.println("MutationTest " + mutation + ": seed=" + seed + " exit=" + (exited ? child.exitValue() : "timeout")
                + "\n  " + String.join("\n  ", checks));
        assertTrue(exited, () -> mutation + ": the child JVM did not finish in " + TIMEOUT_SECONDS + " s:\n" + tail(out));
        assertEquals(mutation == Mutation.NONE ? 0 : 1, child.exitValue(),
                () -> mutation + " (seed=" + seed + "): expected the suite to " + (mutation == Mutation.NONE ? "pass" : "fail")
                        + ":\n" + tail(out));
        switch (mutation) {
            case SKIP_DIRECTORY_SYNC, ACK_BEFORE_FORCE, DELETE_BEFORE_CHECKPOINT_DURABLE, SKIP_LAST_FRAME_REWRITE ->
                    assertCaught(checks, "CHECK powercut ", mutation, out);
            case SKIP_CRC_CHECK -> {
                assertCaught(checks, "CHECK bitflip-log ", mutation, out);
                assertCaught(checks, "CHECK bitflip-checkpoint ", mutation, out);
            }
            case NONE -> assertEquals(3, checks.stream().filter(c -> c.contains("violations=0")).count(), out);
        }
    }

    /** The mutation must be caught by the check meant to catch it (the power cuts judge recovered states only). */
    private static void assertCaught(List<String> checks, String check, Mutation mutation, String out) {
        assertTrue(checks.stream().anyMatch(c -> c.startsWith(check) && !c.contains("violations=0")),
                () -> mutation + " was not caught by " + check.trim() + ":\n" + tail(out));
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    private static String tail(String out) {
        List<String> lines = out.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
