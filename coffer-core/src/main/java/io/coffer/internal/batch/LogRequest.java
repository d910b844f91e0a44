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
    /** Written once, by CAS, by whoever completes the request. */
    @SuppressWarnings("unused")
    private volatile Outcome outcome;

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

    /** Gives the request its place in the log; called under the batcher's queue lock. */
    void assignSequence(long sequence) {
        operation = new Operation(sequence, kind, handler, changes);
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

    /** Completes the request unless it is complete already; returns whether this call completed it. */
    boolean complete(Outcome result) {
        if (OUTCOME.compareAndSet(this, null, result)) {
            LockSupport.unpark(waiter);
            return true;
        }
        return false;
    }

    /** Blocks the submitting thread until the request is complete. */
    public Outcome await() {
        Outcome result;
        boolean interrupted = false;
        while ((result = outcome) == null) {
            LockSupport.park(this);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return result;
    }
}
