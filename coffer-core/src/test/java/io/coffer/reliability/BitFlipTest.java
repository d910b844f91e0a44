package io.coffer.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coffer.testing.Seeds;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * R5, R6 (GUARANTEES 6, 10): every single-bit flip of a log or a checkpoint is detected when the database is
 * opened, and is never loaded as data that was not written. Only a flip in the final frame of the final log
 * (or in the zeros preallocated after it) may open, by dropping that frame (or those zeros) as a torn tail; only a flipped newest checkpoint whose older checkpoint and
 * logs still hold everything may open, to the full state. Everything else is refused, naming the file.
 */
class BitFlipTest {
    @TempDir
    Path work;

    private void flipEveryBit(BitFlipCheck.Scenario scenario, long seed) throws InterruptedException {
        long started = System.nanoTime();
        BitFlipCheck.Result result;
        try (Quiet quiet = new Quiet()) {
            result = BitFlipCheck.run(scenario, work, 2, 120);
        }
        System.out.printf("BitFlipTest: seed=%d, %s: %d flips of %s, %d refused, %d opened, %d ms%n", seed, scenario.name(),
                result.flips(), scenario.target(), result.refused(), result.opened(), (System.nanoTime() - started) / 1_000_000);
        assertTrue(result.violations().isEmpty(), () -> "seed=" + seed + ": " + result.violations().size() + " violations:\n"
                + String.join("\n", result.violations().subList(0, Math.min(20, result.violations().size()))));
    }

    @Test
    void everyBitFlippedInAnEarlierLogIsRefusedNamingIt() throws Exception {
        long seed = Seeds.seed("BitFlipTest.earlierLog");
        flipEveryBit(BitFlipCheck.twoLogs(Parallel.dir(work, 0), seed, false), seed);
    }

    @Test
    void everyBitFlippedInTheLastLogIsRefusedUnlessItTearsTheFinalFrameWhichIsThenDropped() throws Exception {
        long seed = Seeds.seed("BitFlipTest.lastLog");
        flipEveryBit(BitFlipCheck.twoLogs(Parallel.dir(work, 0), seed, true), seed);
    }

    @Test
    void everyBitFlippedInACheckpointWhoseLogsAreGoneIsRefusedNeverOpenedEmptyOrPartial() throws Exception {
        long seed = Seeds.seed("BitFlipTest.checkpointAlone");
        flipEveryBit(BitFlipCheck.checkpointAlone(Parallel.dir(work, 0), seed, 36), seed);
    }

    @Test
    void everyBitFlippedInACheckpointFollowedByItsNextLogIsRefusedNamingTheCheckpoint() throws Exception {
        long seed = Seeds.seed("BitFlipTest.checkpointThenLog");
        flipEveryBit(BitFlipCheck.checkpointThenLog(Parallel.dir(work, 0), seed), seed);
    }

    @Test
    void aFlippedNewestCheckpointFallsBackToTheOlderOneOnlyWhenItsLogsHoldEverything() throws Exception {
        long seed = Seeds.seed("BitFlipTest.fallback");
        flipEveryBit(BitFlipCheck.fallback(Parallel.dir(work, 0), seed), seed);
    }
}
