package io.coffer.internal.resources;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A sampler whose figures, failures and hangs the test sets. Each sample wakes {@link #awaitUntil}. */
final class FakeSampler implements ResourceSampler {
    static final long MIB = 1024L * 1024;

    private long physicalFree = 8192 * MIB;
    private long heapHeadroom = 4096 * MIB;
    private long freeDisk = 100_000 * MIB;
    private Throwable toThrow;
    private boolean returnNull;
    private CountDownLatch hang;
    private final CountDownLatch hanging = new CountDownLatch(1);
    private final List<Long> callNanos = new ArrayList<>();

    synchronized FakeSampler memory(long physicalFree, long heapHeadroom) {
        this.physicalFree = physicalFree;
        this.heapHeadroom = heapHeadroom;
        return this;
    }

    synchronized FakeSampler freeMemory(long bytes) {
        return memory(bytes, bytes);
    }

    synchronized FakeSampler freeDisk(long bytes) {
        this.freeDisk = bytes;
        return this;
    }

    /** From now on every sample throws {@code t}; null to stop throwing. */
    synchronized FakeSampler throwing(Throwable t) {
        this.toThrow = t;
        return this;
    }

    synchronized FakeSampler returningNull(boolean returnNull) {
        this.returnNull = returnNull;
        return this;
    }

    /** The next sample blocks until interrupted. */
    synchronized FakeSampler hangingUntilInterrupted() {
        this.hang = new CountDownLatch(1);
        return this;
    }

    synchronized int calls() {
        return callNanos.size();
    }

    synchronized List<Long> callNanos() {
        return List.copyOf(callNanos);
    }

    @Override
    public ResourceSample sample() throws IOException {
        CountDownLatch mustHang;
        synchronized (this) {
            callNanos.add(System.nanoTime());
            notifyAll();
            mustHang = hang;
            hang = null;
        }
        if (mustHang != null) {
            hanging.countDown();
            try {
                mustHang.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while hanging", e);
            }
        }
        synchronized (this) {
            if (toThrow instanceof IOException e) {
                throw e;
            } else if (toThrow instanceof RuntimeException e) {
                throw e;
            } else if (toThrow instanceof Error e) {
                throw e;
            }
            return returnNull ? null : ResourceSample.of(physicalFree, heapHeadroom, freeDisk, System.nanoTime());
        }
    }

    boolean awaitHanging(Duration timeout) throws InterruptedException {
        return hanging.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Waits until {@code condition} holds, failing after {@code timeout}. Each sample wakes the wait; the
     * short timed wait covers a verdict published just after the sample that woke it.
     */
    void awaitUntil(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    fail("timed out after " + timeout + " waiting until " + what);
                }
                TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(10)));
            }
        }
    }
}
