package io.coffer.internal.engine;

import io.coffer.internal.batch.Batcher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One run of the database, from {@code start()} to {@code stop()}: its batcher and the operations in flight.
 *
 * <p>An operation {@link #enter enters} the epoch it saw running and submits only to that epoch's batcher,
 * so an operation admitted before a stop can never slip into the log of a later start.
 */
final class Epoch {
    final Batcher batcher;
    /** Set once by the thread stopping this epoch; read by any. */
    private volatile boolean closing;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition quiet = lock.newCondition();
    /** Operations inside this epoch; guarded by lock. */
    private int inFlight;

    Epoch(Batcher batcher) {
        this.batcher = batcher;
    }

    /** Admits an operation unless the epoch is closing. */
    boolean enter() {
        lock.lock();
        try {
            if (closing) {
                return false;
            }
            inFlight++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    void exit() {
        lock.lock();
        try {
            if (--inFlight == 0) {
                quiet.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    boolean isClosing() {
        return closing;
    }

    /** Refuses new operations and waits up to {@code timeoutMillis} for those in flight; returns whether all left. */
    boolean close(long timeoutMillis) {
        lock.lock();
        try {
            closing = true;
            long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (inFlight > 0 && nanos > 0) {
                nanos = quiet.awaitNanos(nanos);
            }
            return inFlight == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return inFlight == 0;
        } finally {
            lock.unlock();
        }
    }
}
