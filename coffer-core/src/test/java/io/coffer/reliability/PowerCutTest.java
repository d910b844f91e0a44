package io.coffer.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coffer.testing.Seeds;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * R2, R3, R8, R9, R10, R16 (GUARANTEES 1, 7, 9-12): the machine loses power before each I/O operation of a
 * workload in turn, and what the disk could hold then (exactly the durable state, and seeded mixtures of
 * what else may have reached it) recovers to the acknowledged state, or that plus the change in flight, twice
 * in a row. {@code -Dcoffer.seed=N} replays a workload, {@code -Dcoffer.cut=K} one cut point of it, and
 * {@code -Dcoffer.powercut.steps=S} sets its number of changes.
 */
class PowerCutTest {
    @TempDir
    Path work;

    private void cutEverywhere(String name, int dataSteps, int randomImages, long timeoutSeconds) throws Exception {
        long seed = Seeds.seed(name);
        PowerCutCheck.Params params = new PowerCutCheck.Params(seed, Integer.getInteger("coffer.powercut.steps", dataSteps),
                randomImages, true, true, Long.getLong("coffer.cut", 0));
        long started = System.nanoTime();
        PowerCutCheck.Result result;
        try (Quiet quiet = new Quiet()) {
            result = PowerCutCheck.run(params, work, 2, timeoutSeconds);
        }
        System.out.printf("%s: seed=%d, %d changes, %s, %d ms%n", name, seed, params.dataSteps(), result.summary(),
                (System.nanoTime() - started) / 1_000_000);
        assertTrue(result.violations().isEmpty(), () -> "seed=" + seed + ": " + result.violations().size()
                + " violations (replay with -Dcoffer.seed=" + seed + " -Dcoffer.cut=K):\n" + String.join("\n",
                result.violations().subList(0, Math.min(20, result.violations().size()))));
    }

    @Test
    void aPowerCutAtEveryOperationOfTheWorkloadLosesNoAcknowledgedChangeAndRecoversTheSameStateTwice() throws Exception {
        cutEverywhere("PowerCutTest", 250, 2, 300);
    }

    /** The stress tier ({@code mvn -Pstress verify}): a longer workload and ten seeded crash images per cut point. */
    @Test
    @Tag("stress")
    void manySeededCrashImagesAtEveryOperationOfALongerWorkloadLoseNothingAcknowledged() throws Exception {
        cutEverywhere("PowerCutTest.stress", 600, 10, 3600);
    }
}
