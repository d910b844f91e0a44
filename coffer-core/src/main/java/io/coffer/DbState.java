package io.coffer;

/**
 * The lifecycle of a {@link Db}.
 *
 * <pre>
 *   create() ──► CREATED ──start()──► RUNNING ──stop()/stopHard()──► STOPPED ──start()──► RUNNING
 *                   │                    │                              │
 *                   │             PANIC (log failed)                    │
 *                   │                    ▼                              │
 *                   │                 FAILED                            │
 *                   └────────────── close() from any state ─────────────┴──► CLOSED
 * </pre>
 */
public enum DbState {
    /** Recovered and locked, not started: the {@code Unsafe} methods work, the others answer PANIC_STOPPED. */
    CREATED,
    /** Accepting every operation. */
    RUNNING,
    /** Between {@code start()} and RUNNING, or between {@code stop()} and STOPPED. */
    TRANSITION,
    /** Stopped cleanly (or hard); can start again. */
    STOPPED,
    /** Writing or syncing the log failed, or a stop could not finish: only {@code close()} leaves it. */
    FAILED,
    /** Closed: the directory lock is released; every call answers PANIC_STOPPED. */
    CLOSED
}
