package io.coffer.internal.resources;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Decides whether the database may change data, from free memory and free disk against
 * {@code limitMemory} and {@code limitDisk} (guarantee 16).
 *
 * <p>{@link #start()} takes one sample on the caller's thread and then starts one daemon thread,
 * {@value #THREAD_NAME}, that samples again every {@code period} (default {@link #DEFAULT_PERIOD}). Between
 * samples it waits on a condition, so it is idle between samples and {@link #stop()} wakes it at once. (The
 * Go original polled every 1 ms; see W26.) Write paths call {@link #allowsChanges()}, one volatile read of
 * the verdict of the last sample; they never sample themselves.
 *
 * <p>Changes are allowed while the last sample has {@code freeMemory >= limitMemory} and
 * {@code freeDisk >= limitDisk}: the limits are inclusive, as all limits of the API are. When resources
 * return, changes resume at the next sample. The watcher logs a WARN when changes become refused and an
 * INFO when they resume, only on those transitions.
 *
 * <p><b>Failed samples.</b> Nothing a sampler throws leaves the watcher and nothing stops the thread. A
 * failure is recorded ({@link #lastFailure()}, {@link #consecutiveFailures()}) and logged at WARN when a run
 * of failures begins. The verdict keeps following the last good sample for up to
 * {@link #FAILURES_BEFORE_REFUSAL} failures in a row, so one hiccup does not refuse writes; after that, or
 * if no sample has succeeded yet, changes are refused as "resources unknown" until a sample succeeds, so a
 * broken sampler cannot allow writes forever on stale figures.
 *
 * <p>Before the first sample changes are refused. After {@link #stop()} the last verdict stays as it was
 * (the engine does not write while stopped); {@link #sampleNow()} still works, and {@link #start()} may be
 * called again.
 *
 * <p>Thread-safe. {@link #allowsChanges()}, {@link #refusal()}, {@link #lastSample()} and the other getters
 * may be called by any thread at any time without blocking. {@link #start()} and {@link #stop()} are
 * serialized with each other; {@link #sampleNow()} is serialized with the background samples.
 */
public final class ResourceWatcher {
    /** The name of the sampling thread. */
    public static final String THREAD_NAME = "coffer-resources";
    /** The period used when none is given. */
    public static final Duration DEFAULT_PERIOD = Duration.ofMillis(250);
    /** The shortest period accepted: sampling is cheap, but not free. */
    public static final Duration MIN_PERIOD = Duration.ofMillis(10);
    /** The longest period accepted. */
    public static final Duration MAX_PERIOD = Duration.ofHours(1);
    /** Failed samples in a row after which the last good sample is no longer trusted. */
    public static final int FAILURES_BEFORE_REFUSAL = 3;
    /** How long {@link #stop()} waits for the thread, which only takes long if it is stuck in a sampler. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);

    private static final Logger LOG = LogManager.getLogger(ResourceWatcher.class);

    private final ResourceSampler sampler;
    private final long limitMemory;
    private final long limitDisk;
    private final Duration period;

    /** Held while sampling and replacing {@link #verdict}, so samples and their log lines do not interleave. */
    private final Object sampleLock = new Object();
    /** The verdict of the last sample. Written only under {@link #sampleLock}; read by any thread. */
    private volatile Verdict verdict = Verdict.NOT_SAMPLED;

    /** Serializes {@link #start()} and {@link #stop()}. */
    private final Object lifecycleLock = new Object();
    /** The running sampling loop, or null when stopped. Guarded by {@link #lifecycleLock}. */
    private Runner runner;

    /** A watcher sampling every {@link #DEFAULT_PERIOD}. */
    public ResourceWatcher(ResourceSampler sampler, long limitMemory, long limitDisk) {
        this(sampler, limitMemory, limitDisk, DEFAULT_PERIOD);
    }

    /**
     * @param sampler     where samples come from
     * @param limitMemory the least free memory, in bytes, at which changes are allowed; 0 never refuses
     * @param limitDisk   the least free disk, in bytes, at which changes are allowed; 0 never refuses
     * @param period      the time between the end of one background sample and the start of the next,
     *                    from {@link #MIN_PERIOD} to {@link #MAX_PERIOD}
     * @throws IllegalArgumentException if a limit is negative or the period is out of range
     */
    public ResourceWatcher(ResourceSampler sampler, long limitMemory, long limitDisk, Duration period) {
        this.sampler = Objects.requireNonNull(sampler, "sampler");
        Objects.requireNonNull(period, "period");
        if (limitMemory < 0) {
            throw new IllegalArgumentException("limitMemory must not be negative: " + limitMemory);
        }
        if (limitDisk < 0) {
            throw new IllegalArgumentException("limitDisk must not be negative: " + limitDisk);
        }
        if (period.compareTo(MIN_PERIOD) < 0 || period.compareTo(MAX_PERIOD) > 0) {
            throw new IllegalArgumentException(
                    "period must be from " + MIN_PERIOD + " to " + MAX_PERIOD + ": " + period);
        }
        this.limitMemory = limitMemory;
        this.limitDisk = limitDisk;
        this.period = period;
    }

    /**
     * Takes one sample on this thread, then starts the {@value #THREAD_NAME} thread. Does nothing if already
     * started. Never throws because of the sampler.
     */
    public void start() {
        synchronized (lifecycleLock) {
            if (runner != null) {
                return;
            }
            sampleNow();
            runner = new Runner(period.toNanos());
            runner.thread.start();
        }
    }

    /**
     * Stops the {@value #THREAD_NAME} thread and waits for it to end, at most {@link #STOP_TIMEOUT} (it only
     * takes that long if a sampler call hangs; the thread is then interrupted and left to end by itself).
     * Idempotent; does nothing if never started.
     */
    public void stop() {
        synchronized (lifecycleLock) {
            Runner stopping = runner;
            if (stopping == null) {
                return;
            }
            runner = null;
            stopping.requestStop();
            join(stopping.thread);
        }
    }

    private static void join(Thread thread) {
        if (thread == Thread.currentThread()) {
            return;
        }
        try {
            thread.join(STOP_TIMEOUT.toMillis());
            if (thread.isAlive()) {
                thread.interrupt();
                LOG.warn("Thread {} did not stop within {}; it is stuck in a resource sample and will end "
                        + "when that returns", thread.getName(), STOP_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Whether changes are allowed now: one volatile read, called on every write path.
     *
     * @return true while the last sample is within both limits (and, on failed samples, trusted)
     */
    public boolean allowsChanges() {
        return verdict.refusal == null;
    }

    /**
     * Why changes are refused, e.g. "free memory 80.0 MiB is below limitMemory 100.0 MiB", or null while
     * they are allowed.
     */
    public String refusal() {
        return verdict.refusal;
    }

    /** The last successful sample, or null if none has succeeded yet. */
    public ResourceSample lastSample() {
        return verdict.lastGood;
    }

    /** The error of the last sample as text, or null if the last sample succeeded. */
    public String lastFailure() {
        return verdict.lastFailure;
    }

    /** How many samples in a row have failed up to now; 0 after a successful sample. */
    public int consecutiveFailures() {
        return verdict.failures;
    }

    public long limitMemory() {
        return limitMemory;
    }

    public long limitDisk() {
        return limitDisk;
    }

    public Duration period() {
        return period;
    }

    /**
     * Samples now, on the calling thread, and updates the verdict. Never throws because of the sampler.
     * Waits if a background sample is under way.
     */
    public void sampleNow() {
        synchronized (sampleLock) {
            Verdict before = verdict;
            Verdict after;
            Throwable failure = null;
            try {
                ResourceSample sample = Objects.requireNonNull(sampler.sample(), "the sampler returned null");
                after = judge(sample, 0, null);
            } catch (Throwable t) { // a watchdog must outlive its sampler, whatever it throws
                failure = t;
                after = failed(before, t);
            }
            verdict = after;
            logChange(before, after, failure);
        }
    }

    /** The {@value #THREAD_NAME} thread while started, else null. For tests. */
    Thread thread() {
        synchronized (lifecycleLock) {
            return runner == null ? null : runner.thread;
        }
    }

    private Verdict judge(ResourceSample sample, int failures, String lastFailure) {
        String refusal = null;
        if (sample.freeMemory() < limitMemory) {
            refusal = below("free memory", sample.freeMemory(), "limitMemory", limitMemory);
        }
        if (sample.freeDisk() < limitDisk) {
            String disk = below("free disk", sample.freeDisk(), "limitDisk", limitDisk);
            refusal = refusal == null ? disk : refusal + "; " + disk;
        }
        return new Verdict(refusal, sample, failures, lastFailure);
    }

    private Verdict failed(Verdict before, Throwable t) {
        int failures = before.failures == Integer.MAX_VALUE ? Integer.MAX_VALUE : before.failures + 1;
        String failure = t.toString();
        if (before.lastGood == null) {
            return new Verdict("resources unknown: no resource sample has succeeded yet (last failure: "
                    + failure + ")", null, failures, failure);
        }
        if (failures >= FAILURES_BEFORE_REFUSAL) {
            return new Verdict("resources unknown: the last " + failures + " resource samples failed (last "
                    + "failure: " + failure + ")", before.lastGood, failures, failure);
        }
        return judge(before.lastGood, failures, failure);
    }

    private void logChange(Verdict before, Verdict after, Throwable failure) {
        if (failure != null && before.failures == 0) {
            LOG.warn("Resource sample failed; the last good sample is trusted for up to {} failures in a row",
                    FAILURES_BEFORE_REFUSAL, failure);
        } else if (failure != null) {
            LOG.debug("Resource sample failed again ({} in a row): {}", after.failures, after.lastFailure);
        } else if (before.failures > 0) {
            LOG.info("Resource sampling works again after {} failed samples", before.failures);
        }
        boolean wasAllowed = before.refusal == null;
        boolean isAllowed = after.refusal == null;
        if (!isAllowed && (wasAllowed || before == Verdict.NOT_SAMPLED)) {
            LOG.warn("Changes are refused: {}", after.refusal);
        } else if (isAllowed && !wasAllowed && before != Verdict.NOT_SAMPLED) {
            ResourceSample s = after.lastGood;
            LOG.info("Changes resume: free memory {} (limitMemory {}), free disk {} (limitDisk {})",
                    formatBytes(s.freeMemory()), formatBytes(limitMemory),
                    formatBytes(s.freeDisk()), formatBytes(limitDisk));
        }
    }

    private static String below(String what, long value, String limitName, long limit) {
        String shownValue = formatBytes(value);
        String shownLimit = formatBytes(limit);
        if (shownValue.equals(shownLimit)) { // rounding hides the difference, so show the bytes
            shownValue += " (" + value + " bytes)";
            shownLimit += " (" + limit + " bytes)";
        }
        return what + " " + shownValue + " is below " + limitName + " " + shownLimit;
    }

    /** Bytes for people: "512 B", "1.5 KiB", "80.0 MiB", "3.2 GiB", "1.0 TiB". */
    static String formatBytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /**
     * The outcome of a sample; immutable, published through the volatile {@link #verdict}.
     *
     * @param refusal     why changes are refused, null while allowed
     * @param lastGood    the last successful sample, null if none
     * @param failures    failed samples in a row
     * @param lastFailure the last sample's error as text, null if it succeeded
     */
    private record Verdict(String refusal, ResourceSample lastGood, int failures, String lastFailure) {
        static final Verdict NOT_SAMPLED = new Verdict("resources not sampled yet", null, 0, null);
    }

    /** One run of the sampling loop, from one {@link #start()} to its {@link #stop()}. */
    private final class Runner implements Runnable {
        private final long periodNanos;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition stopRequested = lock.newCondition();
        /** Set once by {@link #stop()}; guarded by {@link #lock}. */
        private boolean stopped;
        /** The daemon thread that runs this loop; started by {@link #start()}. */
        private final Thread thread;

        Runner(long periodNanos) {
            this.periodNanos = periodNanos;
            this.thread = new Thread(this, THREAD_NAME);
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            LOG.debug("{} started, sampling every {}", THREAD_NAME, period);
            while (awaitNextSample(System.nanoTime() + periodNanos)) {
                sampleNow();
            }
            LOG.debug("{} stopped", THREAD_NAME);
        }

        /** Waits until {@code deadline}; false if stopped first (or interrupted, which only stop does). */
        private boolean awaitNextSample(long deadline) {
            lock.lock();
            try {
                while (!stopped) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return true;
                    }
                    stopRequested.await(left, TimeUnit.NANOSECONDS);
                }
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } finally {
                lock.unlock();
            }
        }

        void requestStop() {
            lock.lock();
            try {
                stopped = true;
                stopRequested.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
