package io.coffer.internal.resources;

import static io.coffer.internal.resources.FakeSampler.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ResourceWatcherTest {
    private static final long LIMIT_MEMORY = 100 * MIB;
    private static final long LIMIT_DISK = 1000 * MIB;
    private static final Duration SHORT = ResourceWatcher.MIN_PERIOD;
    private static final Duration LONG = Duration.ofHours(1);
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final FakeSampler sampler = new FakeSampler();
    private ResourceWatcher watcher;

    @AfterEach
    void stopTheWatcher() {
        if (watcher != null) {
            watcher.stop();
        }
    }

    private ResourceWatcher watcher(Duration period) {
        watcher = new ResourceWatcher(sampler, LIMIT_MEMORY, LIMIT_DISK, period);
        return watcher;
    }

    @Test
    void refusesChangesBeforeTheFirstSample() {
        ResourceWatcher w = watcher(LONG);
        assertFalse(w.allowsChanges());
        assertNotNull(w.refusal());
        assertNull(w.lastSample());
    }

    @Test
    void allowsChangesWhenMemoryAndDiskAreAboveTheLimits() {
        ResourceWatcher w = watcher(LONG);
        w.sampleNow();
        assertTrue(w.allowsChanges());
        assertNull(w.refusal());
        assertEquals(4096 * MIB, w.lastSample().freeMemory());
    }

    @Test
    void refusesChangesWhenFreeMemoryIsBelowTheLimit() {
        ResourceWatcher w = watcher(LONG);
        sampler.freeMemory(80 * MIB);
        w.sampleNow();
        assertFalse(w.allowsChanges());
        assertEquals("free memory 80.0 MiB is below limitMemory 100.0 MiB", w.refusal());
    }

    @Test
    void refusesChangesWhenFreeDiskIsBelowTheLimit() {
        ResourceWatcher w = watcher(LONG);
        sampler.freeDisk(512 * MIB);
        w.sampleNow();
        assertFalse(w.allowsChanges());
        assertEquals("free disk 512.0 MiB is below limitDisk 1000.0 MiB", w.refusal());
    }

    @Test
    void namesBothShortagesWhenMemoryAndDiskAreLow() {
        ResourceWatcher w = watcher(LONG);
        sampler.freeMemory(80 * MIB).freeDisk(512 * MIB);
        w.sampleNow();
        assertEquals("free memory 80.0 MiB is below limitMemory 100.0 MiB; "
                + "free disk 512.0 MiB is below limitDisk 1000.0 MiB", w.refusal());
    }

    @Test
    void allowsChangesAtExactlyTheLimitsAndRefusesOneByteBelow() {
        ResourceWatcher w = watcher(LONG);
        sampler.freeMemory(LIMIT_MEMORY).freeDisk(LIMIT_DISK);
        w.sampleNow();
        assertTrue(w.allowsChanges(), w.refusal());

        sampler.freeMemory(LIMIT_MEMORY - 1);
        w.sampleNow();
        assertFalse(w.allowsChanges());
        assertEquals("free memory 100.0 MiB (104857599 bytes) is below limitMemory 100.0 MiB (104857600 bytes)",
                w.refusal());

        sampler.freeMemory(LIMIT_MEMORY).freeDisk(LIMIT_DISK - 1);
        w.sampleNow();
        assertFalse(w.allowsChanges());
        assertTrue(w.refusal().startsWith("free disk "), w.refusal());
    }

    @Test
    void judgesMemoryByTheSmallerOfPhysicalMemoryAndHeapHeadroom() {
        ResourceWatcher w = watcher(LONG);
        sampler.memory(64 * 1024 * MIB, 50 * MIB);
        w.sampleNow();
        assertFalse(w.allowsChanges());
        assertEquals(50 * MIB, w.lastSample().freeMemory());

        sampler.memory(50 * MIB, 64 * 1024 * MIB);
        w.sampleNow();
        assertFalse(w.allowsChanges());

        sampler.memory(200 * MIB, 300 * MIB);
        w.sampleNow();
        assertTrue(w.allowsChanges());
    }

    @Test
    void resumesChangesAtTheNextSampleWhenResourcesReturn() {
        ResourceWatcher w = watcher(LONG);
        sampler.freeDisk(10 * MIB);
        w.sampleNow();
        assertFalse(w.allowsChanges());

        sampler.freeDisk(LIMIT_DISK * 2);
        assertFalse(w.allowsChanges(), "nothing changes between samples");
        w.sampleNow();
        assertTrue(w.allowsChanges());
        assertNull(w.refusal());
    }

    @Test
    void resumesChangesOnTheBackgroundThreadWhenResourcesReturn() throws InterruptedException {
        ResourceWatcher w = watcher(SHORT);
        sampler.freeMemory(10 * MIB);
        w.start();
        assertFalse(w.allowsChanges());

        sampler.freeMemory(LIMIT_MEMORY);
        sampler.awaitUntil(w::allowsChanges, DEADLINE, "changes resume");

        sampler.freeMemory(LIMIT_MEMORY - 1);
        sampler.awaitUntil(() -> !w.allowsChanges(), DEADLINE, "changes are refused again");
    }

    @Test
    void startTakesOneSampleBeforeItReturns() {
        ResourceWatcher w = watcher(LONG);
        w.start();
        assertEquals(1, sampler.calls());
        assertTrue(w.allowsChanges());
        assertNotNull(w.lastSample());
    }

    @Test
    void samplesInTheBackgroundNoMoreOftenThanThePeriod() throws InterruptedException {
        Duration period = Duration.ofMillis(30);
        watcher(period).start();
        sampler.awaitUntil(() -> sampler.calls() >= 5, DEADLINE, "five samples");
        watcher.stop();

        List<Long> calls = sampler.callNanos();
        for (int i = 1; i < calls.size(); i++) {
            long gap = calls.get(i) - calls.get(i - 1);
            assertTrue(gap >= period.toNanos(), "gap " + gap + " ns between samples " + (i - 1) + " and " + i);
        }
    }

    @Test
    void runsOneDaemonThreadNamedCofferResources() {
        ResourceWatcher w = watcher(LONG);
        w.start();
        Thread thread = w.thread();
        assertNotNull(thread);
        assertEquals("coffer-resources", thread.getName());
        assertTrue(thread.isDaemon());
        assertTrue(thread.isAlive());

        w.start();
        assertSame(thread, w.thread(), "a second start keeps the running thread");
        assertEquals(1, sampler.calls(), "a second start does not sample");
    }

    @Test
    void stopEndsTheThreadPromptlyEvenWithALongPeriod() {
        ResourceWatcher w = watcher(LONG);
        w.start();
        Thread thread = w.thread();

        long began = System.nanoTime();
        w.stop();
        Duration took = Duration.ofNanos(System.nanoTime() - began);

        assertFalse(thread.isAlive());
        assertNull(w.thread());
        assertTrue(took.compareTo(Duration.ofSeconds(1)) < 0, "stop took " + took);
    }

    @Test
    void stopIsIdempotentAndSafeWithoutStart() {
        ResourceWatcher w = watcher(LONG);
        w.stop();
        w.start();
        Thread thread = w.thread();
        w.stop();
        w.stop();
        assertFalse(thread.isAlive());
        assertTrue(w.allowsChanges(), "the last verdict stays after stop");
    }

    @Test
    void startAfterStopStartsANewThreadThatSamples() throws InterruptedException {
        ResourceWatcher w = watcher(SHORT);
        w.start();
        Thread first = w.thread();
        w.stop();

        sampler.freeMemory(10 * MIB);
        w.start();
        Thread second = w.thread();
        assertNotSame(first, second);
        assertTrue(second.isAlive());
        assertFalse(first.isAlive());
        assertFalse(w.allowsChanges(), "start sampled again");

        sampler.freeMemory(LIMIT_MEMORY);
        sampler.awaitUntil(w::allowsChanges, DEADLINE, "the new thread sees resources return");
    }

    @Test
    void aFailedSampleKeepsTheLastGoodVerdictAndIsReported() {
        ResourceWatcher w = watcher(LONG);
        w.sampleNow();
        ResourceSample good = w.lastSample();

        sampler.throwing(new IOException("statvfs failed"));
        w.sampleNow();

        assertTrue(w.allowsChanges(), "one failure is tolerated");
        assertSame(good, w.lastSample());
        assertEquals(1, w.consecutiveFailures());
        assertEquals("java.io.IOException: statvfs failed", w.lastFailure());
    }

    @Test
    void refusesChangesAfterTooManyFailedSamplesInARowAndResumesAfterASuccess() {
        ResourceWatcher w = watcher(LONG);
        w.sampleNow();
        sampler.throwing(new IllegalStateException("boom"));
        for (int i = 1; i < ResourceWatcher.FAILURES_BEFORE_REFUSAL; i++) {
            w.sampleNow();
            assertTrue(w.allowsChanges(), "after " + i + " failures");
        }
        w.sampleNow();
        assertFalse(w.allowsChanges());
        assertTrue(w.refusal().startsWith("resources unknown: the last 3 resource samples failed"), w.refusal());
        assertTrue(w.refusal().contains("boom"), w.refusal());

        sampler.throwing(null);
        w.sampleNow();
        assertTrue(w.allowsChanges());
        assertEquals(0, w.consecutiveFailures());
        assertNull(w.lastFailure());
    }

    @Test
    void aFailedSampleDoesNotHideAShortageTheLastGoodSampleShowed() {
        ResourceWatcher w = watcher(LONG);
        sampler.freeMemory(10 * MIB);
        w.sampleNow();
        sampler.throwing(new IllegalStateException("boom"));
        w.sampleNow();
        assertFalse(w.allowsChanges());
        assertTrue(w.refusal().startsWith("free memory 10.0 MiB"), w.refusal());
    }

    @Test
    void refusesChangesWhenTheFirstSampleFailsWithoutThrowingFromStart() {
        ResourceWatcher w = watcher(LONG);
        sampler.throwing(new UnsupportedOperationException("Operating system not supported"));
        w.start();

        assertFalse(w.allowsChanges());
        assertTrue(w.refusal().contains("no resource sample has succeeded yet"), w.refusal());
        assertTrue(w.refusal().contains("Operating system not supported"), w.refusal());
        assertTrue(w.thread().isAlive());
    }

    @Test
    void aThrowingSamplerDoesNotKillTheThreadAndIsReported() throws InterruptedException {
        ResourceWatcher w = watcher(SHORT);
        w.start();
        Thread thread = w.thread();

        sampler.throwing(new IllegalStateException("boom"));
        sampler.awaitUntil(() -> w.consecutiveFailures() >= ResourceWatcher.FAILURES_BEFORE_REFUSAL + 2,
                DEADLINE, "several failed samples");
        assertTrue(thread.isAlive());
        assertFalse(w.allowsChanges());
        assertTrue(w.lastFailure().contains("boom"), w.lastFailure());

        sampler.throwing(null);
        sampler.awaitUntil(w::allowsChanges, DEADLINE, "sampling recovers");
        assertEquals(0, w.consecutiveFailures());
        assertSame(thread, w.thread());
    }

    @Test
    void errorsAndNullSamplesAreReportedLikeExceptions() {
        ResourceWatcher w = watcher(LONG);
        sampler.throwing(new StackOverflowError("deep"));
        w.sampleNow();
        assertEquals("java.lang.StackOverflowError: deep", w.lastFailure());

        sampler.throwing(null).returningNull(true);
        w.sampleNow();
        assertTrue(w.lastFailure().contains("the sampler returned null"), w.lastFailure());
        assertEquals(2, w.consecutiveFailures());
        assertFalse(w.allowsChanges());
    }

    @Test
    void stopIsBoundedEvenWhenASampleHangs() throws InterruptedException {
        ResourceWatcher w = watcher(SHORT);
        w.start();
        Thread thread = w.thread();
        sampler.hangingUntilInterrupted();
        assertTrue(sampler.awaitHanging(DEADLINE));

        long began = System.nanoTime();
        w.stop();
        Duration took = Duration.ofNanos(System.nanoTime() - began);

        assertTrue(took.compareTo(ResourceWatcher.STOP_TIMEOUT.plusSeconds(1)) < 0, "stop took " + took);
        thread.join(DEADLINE.toMillis());
        assertFalse(thread.isAlive(), "the interrupted thread ends once its sample returns");
    }

    @Test
    void rejectsNegativeLimitsAndAPeriodOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new ResourceWatcher(sampler, -1, 0, LONG));
        assertThrows(IllegalArgumentException.class, () -> new ResourceWatcher(sampler, 0, -1, LONG));
        assertThrows(IllegalArgumentException.class, () -> new ResourceWatcher(sampler, 0, 0, Duration.ofMillis(1)));
        assertThrows(IllegalArgumentException.class, () -> new ResourceWatcher(sampler, 0, 0, Duration.ofDays(2)));
        assertThrows(NullPointerException.class, () -> new ResourceWatcher(null, 0, 0, LONG));
        assertEquals(ResourceWatcher.DEFAULT_PERIOD, new ResourceWatcher(sampler, 0, 0).period());
    }

    @Test
    void zeroLimitsNeverRefuse() {
        watcher = new ResourceWatcher(sampler, 0, 0, LONG);
        sampler.freeMemory(0).freeDisk(0);
        watcher.sampleNow();
        assertTrue(watcher.allowsChanges());
    }

    @Test
    void formatsBytesForPeople() {
        assertEquals("0 B", ResourceWatcher.formatBytes(0));
        assertEquals("1023 B", ResourceWatcher.formatBytes(1023));
        assertEquals("1.5 KiB", ResourceWatcher.formatBytes(1536));
        assertEquals("80.0 MiB", ResourceWatcher.formatBytes(80 * MIB));
        assertEquals("953.7 MiB", ResourceWatcher.formatBytes(1_000_000_000L));
        assertEquals("2.0 GiB", ResourceWatcher.formatBytes(2048 * MIB));
        assertEquals("8.0 EiB", ResourceWatcher.formatBytes(Long.MAX_VALUE));
    }
}
