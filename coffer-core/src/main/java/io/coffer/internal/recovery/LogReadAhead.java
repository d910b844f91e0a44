package io.coffer.internal.recovery;

import io.coffer.internal.files.DbFiles;
import io.coffer.internal.files.Limits;
import io.coffer.internal.io.Storage;
import io.coffer.internal.io.StorageFile;
import io.coffer.internal.wal.LogReader;
import io.coffer.internal.wal.Operation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * Reads the logs to replay on a helper thread ("coffer-log-reader"), one after another, while the recovering
 * thread applies what was read: checking frames and decoding them (checksums, UTF-8, copies) takes about as
 * long as applying them, so on two cores the two halves of a replay overlap.
 *
 * <p>Each log arrives as chunks of its operations, in order, then its {@link LogReader.Scan}. The reader closes
 * a log before handing over its scan, so the recovering thread may then reopen it (to cut a torn tail). The
 * reader is at most {@link #CHUNKS_AHEAD} chunks ahead; it stops early when {@link #close} is called (recovery
 * refused a log) or when reading fails.
 *
 * <p>{@link #next} and {@link #close} are for the recovering thread only.
 */
final class LogReadAhead implements AutoCloseable {
    static final int CHUNK = 256;
    static final int CHUNKS_AHEAD = 16;

    /** One thing handed over: a chunk of operations, the end of a log, or the failure that stopped the reader. */
    private record Item(List<Operation> operations, LogReader.Scan scan, Throwable failure) {
    }

    /** Thrown into the log reader to abandon a log when recovery has stopped waiting for it. */
    private static final class Abandoned extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Abandoned() {
            super(null, null, false, false);
        }
    }

    private final Storage storage;
    private final DbFiles files;
    private final Limits limits;
    private final List<Long> logs;
    private final BlockingQueue<Item> handed = new ArrayBlockingQueue<>(CHUNKS_AHEAD);
    private final Thread thread;
    /** Set by the recovering thread; read by the reader. */
    private volatile boolean closed;
    /** The window buffer reused from log to log (a log of 1,000 operations would otherwise get a new one); reader thread only. */
    private ByteBuffer window;
    /** The operations read but not yet handed over; reader thread only. */
    private List<Operation> chunk = new ArrayList<>(CHUNK);

    LogReadAhead(Storage storage, DbFiles files, Limits limits, List<Long> logs) {
        this.storage = storage;
        this.files = files;
        this.limits = limits;
        this.logs = logs;
        this.thread = new Thread(this::readAll, "coffer-log-reader");
        this.thread.setDaemon(true);
        if (!logs.isEmpty()) {
            this.thread.start();
        }
    }

    /**
     * Hands every operation of the next log to {@code sink}, in order, and returns how the log's scan ended.
     *
     * @throws IOException when the reader could not open or read the log
     */
    LogReader.Scan next(Consumer<Operation> sink) throws IOException {
        while (true) {
            Item item = take();
            if (item.operations() != null) {
                item.operations().forEach(sink);
            } else if (item.scan() != null) {
                return item.scan();
            } else if (item.failure() instanceof IOException e) {
                throw e;
            } else {
                throw new IllegalStateException("reading the logs failed: " + item.failure(), item.failure());
            }
        }
    }

    /** Stops the reader if it is still reading, and waits for it to exit. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private Item take() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return handed.take();
                } catch (InterruptedException e) {
                    interrupted = true; // the reader always hands over an end: a scan or a failure
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void readAll() {
        try {
            for (long number : logs) {
                LogReader.Scan scan;
                try (StorageFile file = storage.open(files.log(number))) {
                    scan = readOne(file, number);
                }
                hand(new Item(null, scan, null));
            }
        } catch (Abandoned | InterruptedException e) {
            // recovery stopped waiting: nothing more to hand over
        } catch (Exception | Error e) {
            try {
                hand(new Item(null, null, e));
            } catch (InterruptedException stopped) {
                // recovery stopped waiting
            }
        }
    }

    private LogReader.Scan readOne(StorageFile file, long number) throws IOException, InterruptedException {
        window = LogReader.window(file.size(), window);
        LogReader.Scan scan = LogReader.read(file, number, limits, this::add, window);
        if (!chunk.isEmpty()) {
            hand(new Item(chunk, null, null));
            chunk = new ArrayList<>(CHUNK);
        }
        return scan;
    }

    /** Adds one operation to the chunk, handing it over when full. */
    private void add(Operation operation) {
        chunk.add(operation);
        if (chunk.size() == CHUNK) {
            try {
                hand(new Item(chunk, null, null));
            } catch (InterruptedException e) {
                throw new Abandoned(); // out of LogReader.read, which takes no checked exception from its sink
            }
            chunk = new ArrayList<>(CHUNK);
        }
    }

    private void hand(Item item) throws InterruptedException {
        if (closed) {
            throw new InterruptedException("recovery stopped waiting");
        }
        handed.put(item);
    }
}
