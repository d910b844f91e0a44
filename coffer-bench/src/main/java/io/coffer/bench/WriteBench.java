package io.coffer.bench;

import io.coffer.Db;
import io.coffer.reports.Report;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * Durable {@code write} from 32 threads (the Go {@code WriteParallel32*} shapes): every call returns after
 * its record is fsynced, so throughput is bounded by {@code 32 / sync latency} unless the batcher groups
 * more callers than that into one sync (it cannot: each caller waits for its own).
 *
 * <ul>
 *   <li>{@code distinctKeys} (Go {@code NotConcurent}): key = decimal value of a global atomic counter,
 *       value {@code "aaa"+key+"bbb"}; the store grows for the whole trial.</li>
 *   <li>{@code hotKeys} (Go {@code HiConcurent}): the same, but the key is one of 16 keys, so many writers
 *       overwrite the same records at once.</li>
 * </ul>
 * At teardown the record count is checked (every acknowledged distinct key is there; exactly 16 hot keys).
 * Before each measurement iteration {@link SyncProbe} measures the disk's sync latency (untimed).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(32)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class WriteBench extends MeteredState {
    static final int HOT_KEYS = 16;

    private final AtomicLong counter = new AtomicLong();
    private final AtomicLong hotWrites = new AtomicLong();
    private final String[] hot = new String[HOT_KEYS];
    private Path dir;
    private Db db;

    public WriteBench() {
        super(true);
    }

    @Override
    protected Db meteredDb() {
        return db;
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = BenchSupport.newDir("write");
        db = BenchSupport.createStarted(BenchSupport.builder(dir));
        for (int i = 0; i < HOT_KEYS; i++) {
            hot[i] = "hot" + i;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try {
            long count = BenchSupport.ok(db.count(), "count").count();
            long expected = hotWrites.get() > 0 ? Math.min(HOT_KEYS, hotWrites.get()) : 0;
            expected += counter.get();
            if (count != expected) {
                throw new IllegalStateException("after the trial the store holds " + count + " records, expected " + expected);
            }
            BenchSupport.ok(db.stop(), "stop");
        } finally {
            db.close();
            BenchSupport.deleteRecursively(dir);
        }
    }

    @Benchmark
    public Report distinctKeys() {
        String key = Long.toString(counter.incrementAndGet());
        return BenchSupport.ok(db.write(key, BenchSupport.utf8("aaa" + key + "bbb")), "write");
    }

    @Benchmark
    public Report hotKeys() {
        long n = hotWrites.incrementAndGet();
        String key = hot[(int) (n % HOT_KEYS)];
        return BenchSupport.ok(db.write(key, BenchSupport.utf8("aaa" + n + "bbb")), "write");
    }
}
