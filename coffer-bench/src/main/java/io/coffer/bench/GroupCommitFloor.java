package io.coffer.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The floor of this machine for durable writes from 32 threads: a bare group commit with nothing of the engine
 * around it. Each caller queues the bytes of {@code WriteBench.distinctKeys}' key and value and waits as the
 * engine's callers do: it yields for up to six average syncs, then parks; one thread takes everything queued,
 * writes it over zeros already written and forced (as the engine's preallocated log is), forces it with
 * {@code force(false)}, then marks each caller done, waking only those that parked. That is the shape of the
 * engine's batcher without checks, key locks, maps, frames, checksums or log rotation, so the engine's write
 * rows divided by this one is the engine's own cost, as the read floor is for reads; and this row divided by
 * the durable target says what the machine allows a caller-per-sync design at all.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(32)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class GroupCommitFloor extends MeteredState {
    private static final long FILE_BYTES = 64L << 20;
    /** As the engine: callers yield only while a sync takes at most 1 ms on average (beyond, they park at once). */
    private static final long MAX_SPIN_SYNC_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** One queued write and its caller. */
    private static final class Waiter {
        final Thread caller = Thread.currentThread();
        final byte[] bytes;
        volatile boolean synced;
        volatile boolean parked;

        Waiter(byte[] bytes) {
            this.bytes = bytes;
        }
    }

    private final AtomicLong counter = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition queued = lock.newCondition();
    /** Guarded by lock. */
    private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    /** Guarded by lock. */
    private boolean stopping;
    private Path dir;
    private FileChannel file;
    private Thread writer;
    /** Writer thread only until the trial ends. */
    private long synced;
    /** A moving average of one write and force; written by the writer thread, read by callers. */
    private volatile long averageSyncNanos;

    public GroupCommitFloor() {
        super(true);
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = BenchSupport.newDir("floor");
        file = BenchSupport.preallocatedZeros(dir.resolve("preallocated.dat"), FILE_BYTES);
        writer = new Thread(this::writeLoop, "floor-writer");
        writer.start();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException, InterruptedException {
        lock.lock();
        try {
            stopping = true;
            queued.signal();
        } finally {
            lock.unlock();
        }
        writer.join();
        file.close();
        BenchSupport.deleteRecursively(dir);
        if (synced != counter.get()) {
            throw new IllegalStateException(synced + " writes synced, " + counter.get() + " made");
        }
    }

    @Benchmark
    public boolean write() {
        String key = Long.toString(counter.incrementAndGet());
        Waiter waiter = new Waiter(BenchSupport.utf8(key + "aaa" + key + "bbb"));
        lock.lock();
        try {
            queue.add(waiter);
            if (queue.size() == 1) {
                queued.signal();
            }
        } finally {
            lock.unlock();
        }
        long sync = averageSyncNanos;
        long deadline = System.nanoTime() + (sync <= MAX_SPIN_SYNC_NANOS ? 6 * sync : 0);
        while (!waiter.synced && System.nanoTime() - deadline < 0) {
            Thread.yield();
        }
        if (!waiter.synced) {
            waiter.parked = true;
            while (!waiter.synced) {
                LockSupport.park(this);
            }
        }
        return true;
    }

    private void writeLoop() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        long position = 0;
        try {
            List<Waiter> batch;
            while ((batch = take()) != null) {
                buffer.clear();
                for (Waiter waiter : batch) {
                    buffer.put(waiter.bytes);
                }
                buffer.flip();
                if (position + buffer.remaining() > FILE_BYTES) {
                    position = 0;
                }
                long start = System.nanoTime();
                while (buffer.hasRemaining()) {
                    position += file.write(buffer, position);
                }
                file.force(false);
                long took = System.nanoTime() - start;
                averageSyncNanos = averageSyncNanos == 0 ? took : averageSyncNanos + (took - averageSyncNanos) / 8;
                synced += batch.size();
                for (Waiter waiter : batch) {
                    waiter.synced = true;
                    if (waiter.parked) {
                        LockSupport.unpark(waiter.caller);
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("the floor's write failed", e);
        }
    }

    /** Everything queued (waiting for at least one), or null once stopping with nothing queued. */
    private List<Waiter> take() {
        lock.lock();
        try {
            while (queue.isEmpty()) {
                if (stopping) {
                    return null;
                }
                queued.awaitUninterruptibly();
            }
            List<Waiter> batch = new ArrayList<>(queue);
            queue.clear();
            return batch;
        } finally {
            lock.unlock();
        }
    }
}
