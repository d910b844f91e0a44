package io.coffer.internal.batch;

import io.coffer.internal.files.DbFiles;
import io.coffer.internal.io.Storage;
import io.coffer.internal.wal.LogWriter;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The next log, made whole before it is needed. While the batcher fills log N, log N+1 is created with its
 * header (whose first sequence is where log N will end: N holds exactly {@code limitRecordsPerLogfile}
 * operations when it is closed), its preallocated zeros, its force and its directory entry's sync, off the
 * batcher thread, so that a rotation only swaps writers. Making a log takes about four syncs (~750 us on the
 * project machine), during which every caller of the batch that needed it used to wait.
 *
 * <p>Until it is taken, the log holds no frame: a crash leaves it as an empty last log whose first sequence
 * runs ahead of the logs before it, which recovery deletes (it holds nothing), as a clean stop does here.
 *
 * <p>A failure making the log is a log write failure: what it left is deleted at once, and it is fatal at the
 * batcher's next batch ({@link #throwIfFailed}), never retried.
 *
 * <p>Batcher thread only, except {@link #shutdownMaker}. The making itself runs on the maker: a thread of its own,
 * or the batcher thread when the test seam asks for it, so that storage calls come in a fixed order.
 */
final class NextLog {
    private static final Logger LOG = LogManager.getLogger(NextLog.class);

    private final Storage storage;
    private final DbFiles files;
    /** Its own single thread, or null when logs are made on the calling thread. */
    private final ExecutorService maker;
    /** The log being made, or made and not taken; null when none. Batcher thread only. */
    private CompletableFuture<LogWriter> making;
    /** The number of the log in {@link #making}. Batcher thread only. */
    private long number;

    NextLog(Storage storage, DbFiles files, boolean inline) {
        this.storage = storage;
        this.files = files;
        this.maker = inline ? null : Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "coffer-log-maker");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts making log {@code number}, whose first operation will be {@code firstSequence}. */
    void make(long number, long firstSequence, long expectedBytes) {
        this.number = number;
        CompletableFuture<LogWriter> result = new CompletableFuture<>();
        making = result;
        Runnable task = makeTask(result, number, firstSequence, expectedBytes);
        if (maker == null) {
            task.run();
            return;
        }
        try {
            maker.execute(task);
        } catch (RejectedExecutionException e) { // the maker was let go by an abort: a making failure like any other
            result.completeExceptionally(new IOException("log " + number + " cannot be made: the database was stopped hard", e));
        }
    }

    /** Whether a log is being made or made and not taken yet. */
    boolean pending() {
        return making != null;
    }

    private Runnable makeTask(CompletableFuture<LogWriter> result, long number, long firstSequence, long expectedBytes) {
        return () -> {
            try {
                result.complete(LogWriter.create(storage, files, number, firstSequence, expectedBytes));
            } catch (IOException | RuntimeException e) {
                deleteLeftover(number, e);
                result.completeExceptionally(e);
            }
        };
    }

    /** Deletes what a failed making left, so that no log whose entry may not be durable stays in the directory. */
    private void deleteLeftover(long number, Exception cause) {
        try {
            deleteLog(number);
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private void deleteLog(long number) throws IOException {
        storage.delete(files.log(number));
        storage.syncDirectory(files.dir());
    }

    /** Throws what making the next log threw, if it has failed already. */
    void throwIfFailed() throws IOException {
        if (making != null && making.isCompletedExceptionally()) {
            take(number);
        }
    }

    /**
     * Takes log {@code number}, waiting for it if it is not whole yet, and checks that it continues at
     * {@code firstSequence}; throws what making it threw.
     */
    LogWriter take(long number, long firstSequence) throws IOException {
        LogWriter log = take(number);
        if (log.firstSequence() != firstSequence) {
            closeAndDelete(log);
            throw new IOException("log " + number + " was made to start at operation " + log.firstSequence()
                    + " but the next operation is " + firstSequence);
        }
        return log;
    }

    private LogWriter take(long number) throws IOException {
        CompletableFuture<LogWriter> taken = making;
        making = null;
        if (taken == null || this.number != number) {
            throw new IllegalStateException("log " + number + " was never made ahead");
        }
        try {
            return taken.join();
        } catch (CompletionException e) {
            throw asIOException(number, e.getCause());
        }
    }

    /**
     * Discards the log made ahead and not taken: waits for it, closes it and deletes it, durably; then stops the
     * maker. A failure is only logged: the log holds nothing, and recovery deletes it if it is left.
     */
    void discard() {
        try {
            if (making != null) {
                discard(number);
            }
        } finally {
            if (maker != null) {
                maker.shutdown();
            }
        }
    }

    private void discard(long number) {
        try {
            closeAndDelete(take(number));
        } catch (IOException e) {
            LOG.warn("making log {} ahead failed (what it left was deleted then)", number, e);
        }
    }

    private void closeAndDelete(LogWriter log) {
        try {
            log.close();
        } catch (IOException e) {
            LOG.warn("closing the unused log {} failed", log.number(), e);
        }
        try {
            deleteLog(log.number());
        } catch (IOException e) {
            LOG.warn("could not delete the unused log {}; it holds nothing, and the next open deletes it", log.number(), e);
        }
    }

    /**
     * Lets the maker's thread end once it has made the log it may be making, so that a batcher stuck in a write or
     * force does not keep it too; a later {@link #make} fails. Any thread (the aborting one).
     */
    void shutdownMaker() {
        if (maker != null) {
            maker.shutdown();
        }
    }

    private static IOException asIOException(long number, Throwable cause) {
        if (cause instanceof IOException io) {
            return io;
        }
        return new IOException("making log " + number + " failed: " + cause, cause);
    }
}
