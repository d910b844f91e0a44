package io.coffer.internal.batch;

import io.coffer.internal.records.Staged;
import io.coffer.internal.wal.Change;
import io.coffer.internal.wal.LogFormat;
import io.coffer.internal.wal.Operation;
import io.coffer.reports.Code;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * One operation on its way to the log, and the caller waiting for it.
 *
 * <p>The caller builds it, {@link Batcher#submit submits} it and {@link #await awaits} it. The batcher (or a
 * stopping thread) completes it exactly once: the first completion wins.
 */
public final class LogRequest {
    private static final VarHandle OUTCOME;

    static {
        try {
            OUTCOME = MethodHandles.lookup().findVarHandle(LogRequest.class, "outcome", Outcome.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** How a request ended: OK once synced and applied, otherwise a PANIC code and why. */
    public record Outcome(Code code, String message) {
        static final Outcome OK = new Outcome(Code.OK, null);
    }

    private final Operation.Kind kind;
    private final String handler;
    private final List<Change> changes;
    private final List<Staged> staged;
    /** The bytes of the operation in a frame, measured once by the caller, outside the batcher's lock. */
    private final int bytes;
    private final Thread waiter = Thread.currentThread();
    /** Set by the submitting thread under the batcher's queue lock. */
    private Operation operation;
    /** Set by the submitting thread under the batcher's queue lock: how long {@link #await} yields before parking. */
    private long spinNanos;
    /** Written once, by CAS, by whoever completes the request. */
    @SuppressWarnings("unused")
    private volatile Outcome outcome;
    /** Set by the waiting thread just before it parks; the completer wakes it only then. */
    private volatile boolean parked;

    /**
     * @param changes the after-image to log
     * @param staged  the staged state of each change, in the same order, to unstage once applied or failed
     */
    public LogRequest(Operation.Kind kind, String handler, List<Change> changes, List<Staged> staged) {
        this.kind = kind;
        this.handler = handler;
        this.changes = changes;
        this.staged = staged;
        this.bytes = LogFormat.operationBytes(handler, changes);
    }

    /**
     * Gives the request its place in the log, and how long its caller may yield before parking; called under the
     * batcher's queue lock.
     */
    void assignSequence(long sequence, long spinNanos) {
        this.operation = new Operation(sequence, kind, handler, changes);
        this.spinNanos = spinNanos;
    }

    Operation operation() {
        return operation;
    }

    List<Staged> staged() {
        return staged;
    }

    int bytes() {
        return bytes;
    }

    /** Whether the caller stopped yielding and parked (or is about to): then a completion must wake it. */
    boolean parked() {
        return parked;
    }

    /** Completes the request unless it is complete already; returns whether this call completed it. */
    boolean complete(Outcome result) {
        if (OUTCOME.compareAndSet(this, null, result)) {
            if (parked) {
                LockSupport.unpark(waiter);
            }
            return true;
        }
        return false;
    }

    /**
     * Blocks the submitting thread until the request is complete: it yields the processor for up to its spin
     * time, then parks. A caller that finds its outcome while yielding costs the batcher no wake-up.
     */
    public Outcome await() {
        Outcome result = spin();
        if (result != null) {
            return result;
        }
        boolean interrupted = false;
        parked = true; // a volatile write before the read of outcome: a completion either sees it or is seen
        while ((result = outcome) == null) {
            LockSupport.park(this);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return result;
    }

    private Outcome spin() {
        if (spinNanos == 0) {
            return outcome;
        }
        long deadline = System.nanoTime() + spinNanos;
        Outcome result;
        while ((result = outcome) == null && System.nanoTime() - deadline < 0) {
            Thread.yield();
        }
        return result;
    }
}
