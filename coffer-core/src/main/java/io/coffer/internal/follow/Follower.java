package io.coffer.internal.follow;

import io.coffer.internal.Mutation;
import io.coffer.internal.checkpoint.CheckpointEntry;
import io.coffer.internal.checkpoint.CheckpointWriter;
import io.coffer.internal.files.DbFiles;
import io.coffer.internal.files.Limits;
import io.coffer.internal.io.Storage;
import io.coffer.internal.recovery.Recovery;
import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The follower: turns closed logs into checkpoints so that recovery stays short and old logs can go.
 *
 * <p>Every {@code followPause} it counts the closed logs after the newest checkpoint (never the open one).
 * When there are at least {@code logsByCheckpoint}, it rebuilds their state the way recovery does, in a
 * copy of its own (the newest checkpoint plus those logs; never the live records), and writes checkpoint
 * N, named after the last log it covers. Only once that checkpoint is forced, renamed and its directory
 * entry forced does it delete (with {@code removeUnlessLogs}) the logs and older checkpoints N covers.
 *
 * <p>It shares only the disk with the write path: it reads closed files the batcher no longer touches. A
 * failure is logged and reported by {@link #lastError()}; it leaves every file as it was, since a
 * checkpoint is published by rename only when complete. A stop gives up the checkpoint being written the
 * same way, so that neither stop nor stopHard waits for a pass over a large store. The thread is
 * "coffer-follower"; {@link #start}, {@link #stop} and {@link #removeCovered} are called by the thread running
 * the lifecycle.
 */
public final class Follower {
    private static final Logger LOG = LogManager.getLogger(Follower.class);
    private static final long STOP_WAIT_MILLIS = 120_000;

    private final Storage storage;
    private final DbFiles files;
    private final Limits limits;
    private final int logsByCheckpoint;
    private final boolean removeUnlessLogs;
    private final long pauseNanos;
    private final LongSupplier openLog;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    /** Guarded by lock: the running thread, or null. */
    private Thread thread;
    /** Guarded by lock: the running thread's life, or null. */
    private Life life;
    /** Written by the follower thread; read by any. */
    private volatile String lastError;
    private volatile long checkpointsWritten;
    private volatile long newestCheckpoint;

    public Follower(Storage storage, DbFiles files, Limits limits, int logsByCheckpoint, boolean removeUnlessLogs,
            Duration pause, LongSupplier openLog) {
        this.storage = storage;
        this.files = files;
        this.limits = limits;
        this.logsByCheckpoint = logsByCheckpoint;
        this.removeUnlessLogs = removeUnlessLogs;
        this.pauseNanos = pause.toNanos();
        this.openLog = openLog;
    }

    /**
     * One follower thread's life: {@link #stop} ends the one it finds, so a thread that outlived its stop's wait
     * (stuck in the disk) never takes up work again when a later start gives the follower a new thread.
     */
    private static final class Life {
        /** Set by stop; read by the follower thread between passes and while it writes a checkpoint. */
        volatile boolean over;
    }

    /** What a pass throws when the stop of its thread came while it was writing: the checkpoint is given up. */
    private static final class PassAbandoned extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PassAbandoned() {
            super("stopped", null, false, false);
        }
    }

    public void start() {
        lock.lock();
        try {
            if (thread != null) {
                return;
            }
            Life started = new Life();
            life = started;
            thread = new Thread(() -> run(started), "coffer-follower");
            thread.setDaemon(true);
            thread.start();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the thread and waits for it (bounded). A checkpoint it is writing is given up (its {@code .check} file
     * deleted, every log kept): stopHard must not wait for it, and stop writes one of its own. Idempotent.
     */
    public void stop() {
        Thread running;
        lock.lock();
        try {
            if (life != null) {
                life.over = true;
            }
            life = null;
            wake.signalAll();
            running = thread;
            thread = null;
        } finally {
            lock.unlock();
        }
        if (running != null && running != Thread.currentThread()) {
            try {
                running.join(STOP_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (running.isAlive()) {
                LOG.warn("the follower is still writing a checkpoint after {} ms; it will finish on its own", STOP_WAIT_MILLIS);
            }
        }
    }

    public String lastError() {
        return lastError;
    }

    public long checkpointsWritten() {
        return checkpointsWritten;
    }

    /** The newest checkpoint this follower wrote, or 0. */
    public long newestCheckpoint() {
        return newestCheckpoint;
    }

    private void run(Life life) {
        while (awaitPause(life)) {
            try {
                followOnce(life);
                lastError = null;
            } catch (PassAbandoned e) {
                LOG.info("the checkpoint being written was given up: the follower is stopping");
            } catch (IOException | Recovery.RecoveryException | RuntimeException e) {
                lastError = e.getMessage() == null ? e.toString() : e.getMessage();
                LOG.error("the follower could not write a checkpoint; it will try again after the pause", e);
            }
        }
    }

    /** Waits one pause; false once this life is over. */
    private boolean awaitPause(Life life) {
        lock.lock();
        try {
            long nanos = pauseNanos;
            while (!life.over && nanos > 0) {
                nanos = wake.awaitNanos(nanos);
            }
            return !life.over;
        } catch (InterruptedException e) {
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * One pass: if enough closed logs follow the newest checkpoint, checkpoint them. Returns the number of
     * the checkpoint written, or 0. Follower thread (tests may call it directly while the follower is stopped).
     */
    public long followOnce() throws IOException, Recovery.RecoveryException {
        return followOnce(new Life());
    }

    /** One pass that gives up its checkpoint (throws {@link PassAbandoned}) once {@code life} is over. */
    private long followOnce(Life life) throws IOException, Recovery.RecoveryException {
        long open = openLog.getAsLong();
        List<Long> checkpoints = files.numbers(storage, DbFiles.CHECKPOINT);
        long newest = checkpoints.isEmpty() ? 0 : checkpoints.get(checkpoints.size() - 1);
        List<Long> closed = files.numbers(storage, DbFiles.LOG).stream().filter(n -> n > newest && n < open).toList();
        if (closed.isEmpty() || closed.size() < logsByCheckpoint) {
            return 0;
        }
        long number = closed.get(closed.size() - 1);
        Recovery.Result state = Recovery.ofClosedLogs(storage, files, limits, number + 1).run();
        if (life.over) {
            throw new PassAbandoned();
        }
        if (Mutation.active() == Mutation.DELETE_BEFORE_CHECKPOINT_DURABLE && removeUnlessLogs) { removeCovered(number); } // R17 hook
        Iterator<CheckpointEntry> entries = checkpointEntries(state.sortedKeys().iterator(), state.records()::get); // in key order: loading it needs no sort
        CheckpointWriter.write(storage, files, number, state.lastSequence(), untilOver(life, entries));
        newestCheckpoint = number;
        checkpointsWritten++;
        LOG.info("checkpoint {} covers {} logs: {} records up to operation {}", number, closed.size(),
                state.records().size(), state.lastSequence());
        if (removeUnlessLogs) {
            removeCovered(number);
        }
        return number;
    }

    /**
     * Deletes the logs and older checkpoints that the durable checkpoint {@code checkpoint} covers, then
     * forces the directory. A deletion that fails is logged and retried at the next checkpoint: a covered
     * file left behind is harmless.
     */
    public void removeCovered(long checkpoint) {
        try {
            boolean deleted = false;
            for (long log : files.numbers(storage, DbFiles.LOG)) {
                if (log <= checkpoint) {
                    deleted |= delete(files.log(log));
                }
            }
            for (long older : files.numbers(storage, DbFiles.CHECKPOINT)) {
                if (older < checkpoint) {
                    deleted |= delete(files.checkpoint(older));
                }
            }
            if (deleted) {
                storage.syncDirectory(files.dir());
            }
        } catch (IOException e) {
            LOG.warn("removing files covered by checkpoint {} failed; they are harmless and will be retried", checkpoint, e);
        }
    }

    private boolean delete(java.nio.file.Path file) {
        try {
            storage.delete(file);
            return true;
        } catch (IOException e) {
            LOG.warn("could not delete {}", file.getFileName(), e);
            return false;
        }
    }

    /** {@code entries}, throwing {@link PassAbandoned} (before the checkpoint is published) once {@code life} is over. */
    private static Iterator<CheckpointEntry> untilOver(Life life, Iterator<CheckpointEntry> entries) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                if (life.over) {
                    throw new PassAbandoned();
                }
                return entries.hasNext();
            }

            @Override
            public CheckpointEntry next() {
                return entries.next();
            }
        };
    }

    /**
     * The records of {@code sortedKeys}, in that order, as checkpoint entries: each packed record is looked up
     * in {@code records} as it is reached and not copied (records are immutable).
     */
    public static Iterator<CheckpointEntry> checkpointEntries(Iterator<String> sortedKeys, Function<String, byte[]> records) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return sortedKeys.hasNext();
            }

            @Override
            public CheckpointEntry next() {
                String key = sortedKeys.next();
                return CheckpointEntry.of(key, records.apply(key));
            }
        };
    }
}
