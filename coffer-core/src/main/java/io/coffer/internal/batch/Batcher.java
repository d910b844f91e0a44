package io.coffer.internal.batch;

import io.coffer.internal.Mutation;
import io.coffer.internal.files.DbFiles;
import io.coffer.internal.io.Storage;
import io.coffer.internal.records.RecordStore;
import io.coffer.internal.records.Staged;
import io.coffer.internal.wal.Change;
import io.coffer.internal.wal.LogFormat;
import io.coffer.internal.wal.LogWriter;
import io.coffer.internal.wal.Operation;
import io.coffer.reports.Code;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The one thread that owns the open log: group commit.
 *
 * <p>Callers {@link #submit} a {@link LogRequest} and wait on it. The batcher thread takes every queued
 * request (up to {@code batchSize}), writes them as one frame with one write call, forces the log once,
 * applies them to the committed records in log order, and only then completes their callers. Nothing on
 * this path sleeps on a timer: while one force runs, the next batch queues up behind it. Callers wait awake
 * (yielding) when many share a quick sync, so completing them costs no wake-up ({@link #spinNanos}).
 *
 * <p>A failed write or force is fatal (fsyncgate): it is never retried; the failed batch, everything queued
 * and everything submitted later get {@code PANIC_WAL}, and the failure listener moves the database to its
 * failed state. Nothing that was acknowledged is lost, because nothing is acknowledged before its force.
 *
 * <p>A new log is started after {@code limitRecordsPerLogfile} operations: it is created with its header
 * forced and its directory entry synced before any operation in it is written. That is done ahead, while the
 * log before it fills ({@link NextLog}), so a rotation only swaps writers.
 */
public final class Batcher {
    private static final Logger LOG = LogManager.getLogger(Batcher.class);
    /** Callers yield instead of parking only when at least this many operations wait for the sync, */
    static final long SPIN_MIN_WAITING = 4;
    /** only while a write and force take at most this long on average, */
    static final long SPIN_MAX_SYNC_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /**
     * and for at most this many of them: the rest of the batch in progress, the next one if the caller missed it,
     * its own (each a sync plus applying and completing), and the odd log rotation.
     */
    static final long SPIN_SYNCS = 6;

    private final RecordStore store;
    private final int batchSize;
    private final int limitRecordsPerLogfile;
    private final Consumer<IOException> onFatal;
    private final Thread thread;
    /** The log after the open one, being made or made. Batcher thread only. */
    private final NextLog nextLog;

    private final ReentrantLock queueLock = new ReentrantLock();
    private final Condition queueChanged = queueLock.newCondition();
    /** Guarded by queueLock. */
    private final ArrayDeque<LogRequest> queue = new ArrayDeque<>();
    /** Guarded by queueLock: the sequence given to the last submitted request. */
    private long lastSubmitted;
    /** Guarded by queueLock: no more submissions; the thread drains what is queued and exits. */
    private boolean closed;
    /** Guarded by queueLock: how queued requests still in the queue at exit are answered. */
    private LogRequest.Outcome refusal = new LogRequest.Outcome(Code.PANIC_STOPPED, "the database is stopping");

    /** Batcher thread only. */
    private LogWriter writer;
    /** The batch being written; written by the batcher thread, read by {@link #abort}. */
    private volatile List<LogRequest> inFlight = List.of();
    /** The sequence of the last operation forced to disk; written by the batcher thread only. */
    private volatile long durableSequence;
    /** A moving average of one write and force in nanoseconds, 0 before the first; batcher thread writes only. */
    private volatile long averageSyncNanos;
    /** Forces of the log since this batcher started (each a group commit); written by the batcher thread only. */
    private volatile long syncs;
    /** Operations those forces made durable; written by the batcher thread only. */
    private volatile long syncedOperations;
    /** The number of the open log; written by the batcher thread only. */
    private volatile long currentLog;
    /** The failure that stopped the batcher, or null; written by the batcher thread only. */
    private volatile IOException failure;
    /** Guarded by queueLock: whether the thread has ended (its log closed, the one made ahead deleted). */
    private boolean exited;
    /** Guarded by queueLock: an abort gave up waiting for the thread, stuck in a write or force. */
    private boolean abandoned;
    /** Signalled when the thread ends or is abandoned. */
    private final Condition ended = queueLock.newCondition();
    /** Guarded by queueLock: what runs when the thread ends ({@link #whenExited}), or null. */
    private Runnable atExit;

    /**
     * @param writer       the open log, already created and durable; the batcher owns it from now on
     * @param lastSequence the sequence of the last operation already in the log
     * @param makeLogsInline test seam: make the next log ahead on the batcher thread (at the first batch, then
     *                       right after each rotation), not on a thread of its own, so storage calls come in a
     *                       fixed order
     */
    public Batcher(Storage storage, DbFiles files, RecordStore store, LogWriter writer, long lastSequence,
            int batchSize, int limitRecordsPerLogfile, boolean makeLogsInline, Consumer<IOException> onFatal) {
        this.store = store;
        this.writer = writer;
        this.currentLog = writer.number();
        this.lastSubmitted = lastSequence;
        this.durableSequence = lastSequence;
        this.batchSize = batchSize;
        this.limitRecordsPerLogfile = limitRecordsPerLogfile;
        this.onFatal = onFatal;
        this.nextLog = new NextLog(storage, files, makeLogsInline);
        this.thread = new Thread(this::run, "coffer-batcher");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /**
     * Queues {@code request}; it gets the next sequence number. Returns false, and leaves the request
     * untouched, when the batcher no longer accepts work.
     */
    public boolean submit(LogRequest request) {
        queueLock.lock();
        try {
            if (closed) {
                return false;
            }
            request.assignSequence(++lastSubmitted, spinNanos(lastSubmitted - durableSequence, averageSyncNanos));
            queue.add(request);
            if (queue.size() == 1) {
                queueChanged.signal();
            }
            return true;
        } finally {
            queueLock.unlock();
        }
    }

    /** The answer a refused {@link #submit} should give: PANIC_WAL after a failure, else PANIC_STOPPED. */
    public LogRequest.Outcome refusal() {
        queueLock.lock();
        try {
            return refusal;
        } finally {
            queueLock.unlock();
        }
    }

    /**
     * Stops taking work; the thread writes everything already queued, then exits and closes the log.
     * Waits up to {@code timeoutMillis}, or until an {@link #abort} gives up on the thread; returns whether the
     * thread has exited.
     */
    public boolean drainAndStop(long timeoutMillis) {
        close(null);
        return join(timeoutMillis);
    }

    /**
     * Stops at once: queued requests get PANIC_STOPPED; the batch being written is finished if that
     * takes less than {@code timeoutMillis}, otherwise its callers get PANIC_STOPPED too (their change may still
     * reach the disk if the stuck call ever returns) and the log maker's thread is let go. Returns whether the
     * thread has exited (false means it is stuck in a write or force; it exits if that call ever returns).
     */
    public boolean abort(long timeoutMillis) {
        LogRequest.Outcome stopped = new LogRequest.Outcome(Code.PANIC_STOPPED, "stopped hard before this change was synced");
        for (LogRequest request : close(stopped)) {
            failAndUnstage(request, stopped);
        }
        if (join(timeoutMillis)) {
            return true;
        }
        abandon();
        for (LogRequest request : inFlight) {
            request.complete(stopped);
        }
        nextLog.shutdownMaker();
        return false;
    }

    /**
     * Runs {@code action} once the batcher thread has ended: now, on this thread, if it has (returns true), else on
     * the batcher thread as it ends (returns false). Replaces an action given earlier and not run yet.
     */
    public boolean whenExited(Runnable action) {
        queueLock.lock();
        try {
            if (!exited) {
                atExit = action;
                return false;
            }
        } finally {
            queueLock.unlock();
        }
        action.run();
        return true;
    }

    public long durableSequence() {
        return durableSequence;
    }

    public long currentLog() {
        return currentLog;
    }

    /** Forces of the log since this batcher started, each a group commit of one or more operations. */
    public long syncs() {
        return syncs;
    }

    /** Operations made durable by those forces. */
    public long syncedOperations() {
        return syncedOperations;
    }

    public IOException failure() {
        return failure;
    }

    /** Closes the queue; with a refusal, also empties it and returns what it held. */
    private List<LogRequest> close(LogRequest.Outcome newRefusal) {
        queueLock.lock();
        try {
            closed = true;
            List<LogRequest> removed = new ArrayList<>();
            if (newRefusal != null) {
                refusal = newRefusal;
                removed.addAll(queue);
                queue.clear();
            }
            queueChanged.signalAll();
            return removed;
        } finally {
            queueLock.unlock();
        }
    }

    /**
     * Waits until the thread has ended (true), or until an abort has given up on it or {@code timeoutMillis} have
     * passed (false): a stop draining a batcher stuck in the disk ends as soon as a stopHard gives up on it.
     */
    private boolean join(long timeoutMillis) {
        if (Thread.currentThread() == thread) {
            return false;
        }
        long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        queueLock.lock();
        try {
            while (!exited && !abandoned && nanos > 0) {
                nanos = ended.awaitNanos(nanos);
            }
            return exited;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return exited; // awaitNanos holds the lock again when it throws
        } finally {
            queueLock.unlock();
        }
    }

    /** An abort gives up on a thread stuck in the disk: every wait for it ends now. */
    private void abandon() {
        queueLock.lock();
        try {
            abandoned = true;
            ended.signalAll();
        } finally {
            queueLock.unlock();
        }
    }

    private void run() {
        try {
            List<LogRequest> batch;
            while (!(batch = takeBatch()).isEmpty()) {
                inFlight = batch;
                writeAndForce(batch);
                publish(batch);
                inFlight = List.of();
            }
        } catch (IOException e) {
            fail(e);
        } catch (RuntimeException | Error e) {
            fail(new IOException("batcher failed unexpectedly: " + e, e));
            throw e;
        } finally {
            try {
                closeWriter();
            } finally {
                runAtExit();
            }
        }
    }

    private void runAtExit() {
        Runnable action;
        queueLock.lock();
        try {
            exited = true;
            ended.signalAll();
            action = atExit;
        } finally {
            queueLock.unlock();
        }
        if (action != null) {
            action.run();
        }
    }

    /**
     * Blocks until at least one request is queued (or the queue is closed and empty: returns an empty
     * list), then takes every queued request while {@link #batchIsFull} says there is room.
     */
    private List<LogRequest> takeBatch() {
        queueLock.lock();
        try {
            while (queue.isEmpty()) {
                if (closed) {
                    return List.of();
                }
                queueChanged.awaitUninterruptibly();
            }
            int room = roomInLog();
            List<LogRequest> batch = new ArrayList<>(Math.min(queue.size(), room));
            long bytes = 0;
            while (!queue.isEmpty() && !batchIsFull(batch.size(), bytes, room)) {
                int size = queue.peek().bytes();
                if (!batch.isEmpty() && bytes + size > LogFormat.BATCH_SOFT_LIMIT_BYTES) {
                    break; // a frame holds one operation of any size, or several within the limit the reader accepts
                }
                batch.add(queue.poll());
                bytes += size;
            }
            return batch;
        } finally {
            queueLock.unlock();
        }
    }

    /**
     * The wait decision: how long a caller whose operation leaves {@code waiting} operations unsynced may yield
     * before it parks, given the recent average of one write and force. Waking a parked caller is a system call
     * made on this thread between one sync and the next; with many callers per sync those calls took most of
     * its time, while a caller that yields finds its outcome without one. With few callers, or syncs too slow
     * to wait through awake, callers park at once (MySQL's redo log lets its writers wait the same way).
     */
    static long spinNanos(long waiting, long averageSyncNanos) {
        boolean worthIt = waiting >= SPIN_MIN_WAITING && averageSyncNanos <= SPIN_MAX_SYNC_NANOS;
        return worthIt ? SPIN_SYNCS * averageSyncNanos : 0;
    }

    /** The flush decision: a batch is full at batchSize operations, at the end of the log, or past the byte limit. */
    private boolean batchIsFull(int operations, long bytes, int roomInLog) {
        return operations >= batchSize || operations >= roomInLog || bytes >= LogFormat.BATCH_SOFT_LIMIT_BYTES;
    }

    /** Operations the open log can still take; a full log counts as a fresh one (it is rotated before writing). */
    private int roomInLog() {
        long left = limitRecordsPerLogfile - writer.operations();
        return (int) (left <= 0 ? limitRecordsPerLogfile : left);
    }

    private void writeAndForce(List<LogRequest> batch) throws IOException {
        if (writer.operations() >= limitRecordsPerLogfile) {
            rotate(batch.get(0).operation().sequence());
        } else if (!nextLog.pending()) { // the first batch of this run: every log holds exactly the limit
            nextLog.make(writer.number() + 1, writer.firstSequence() + limitRecordsPerLogfile, 0);
        }
        nextLog.throwIfFailed();
        List<Operation> operations = new ArrayList<>(batch.size());
        long bodyBytes = 0;
        for (LogRequest request : batch) {
            operations.add(request.operation());
            bodyBytes += request.bytes();
        }
        long start = System.nanoTime();
        writer.append(operations, bodyBytes);
        if (Mutation.active() != Mutation.ACK_BEFORE_FORCE) { writer.force(); } // R17 hook
        long took = System.nanoTime() - start;
        averageSyncNanos = averageSyncNanos == 0 ? took : averageSyncNanos + (took - averageSyncNanos) / 8;
        syncs++; // volatile, one writer: no lost update
        syncedOperations += batch.size();
    }

    /**
     * Closes the full log (already forced), takes the next one (made ahead, durable, waited for if it is not yet
     * whole), and starts making the one after it, with as much room preallocated as the full one used.
     */
    private void rotate(long firstSequence) throws IOException {
        long next = writer.number() + 1;
        long fullLogBytes = writer.bytes();
        writer.close();
        writer = null;
        writer = nextLog.take(next, firstSequence);
        currentLog = next;
        nextLog.make(next + 1, firstSequence + limitRecordsPerLogfile, fullLogBytes);
    }

    /** Applies the synced batch to the committed records in log order, then completes its callers. */
    private void publish(List<LogRequest> batch) {
        for (LogRequest request : batch) {
            Operation operation = request.operation();
            List<Staged> staged = request.staged();
            for (int i = 0; i < operation.changes().size(); i++) {
                Change change = operation.changes().get(i);
                store.commit(change.key(), staged.get(i).record()); // the record staged for it (null: a deletion)
                store.unstage(change.key(), staged.get(i));
            }
        }
        durableSequence = batch.get(batch.size() - 1).operation().sequence();
        for (LogRequest request : batch) {
            request.complete(LogRequest.Outcome.OK);
        }
    }

    /** The fatal path: every unfinished request gets PANIC_WAL, later submissions are refused, the listener is told. */
    private void fail(IOException e) {
        failure = e;
        LOG.error("writing the log failed; the database stops accepting changes", e);
        LogRequest.Outcome panic = new LogRequest.Outcome(Code.PANIC_WAL, "writing or syncing the log failed: " + e.getMessage());
        List<LogRequest> queued = close(panic);
        onFatal.accept(e); // the database is failed before any caller hears of it
        for (LogRequest request : inFlight) {
            failAndUnstage(request, panic);
        }
        for (LogRequest request : queued) {
            failAndUnstage(request, panic);
        }
    }

    private void failAndUnstage(LogRequest request, LogRequest.Outcome outcome) {
        Operation operation = request.operation();
        for (int i = 0; i < operation.changes().size(); i++) {
            store.unstage(operation.changes().get(i).key(), request.staged().get(i));
        }
        request.complete(outcome);
    }

    private void closeWriter() {
        nextLog.discard();
        if (writer == null) {
            return;
        }
        try {
            writer.close();
        } catch (IOException e) {
            LOG.warn("closing log {} failed (its content was already forced)", writer.number(), e);
        }
    }
}
