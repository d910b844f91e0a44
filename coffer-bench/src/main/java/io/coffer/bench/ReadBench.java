package io.coffer.bench;

import io.coffer.Db;
import io.coffer.reports.ReadReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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
 * {@code read} from 2 threads (one per core of the project machine) over 100,000 records "0".."99999"
 * (value "aaa"+key+"bbb"), each thread walking the keys from its own random start with a large odd stride
 * so consecutive reads touch unrelated records. Each read returns a copy of the value.
 *
 * <p>{@link #bareMap} is the floor of this machine for the same work: a {@link ConcurrentHashMap} holding the same
 * key instances and values, looked up and copied in the same order, with nothing of the engine around it. The
 * keys are spread over the heap, so both are bound by memory latency; the ratio of the two is the engine's own
 * cost, as the sync ceiling is for the durable rows.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(2)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class ReadBench extends MeteredState {
    static final int RECORDS = 100_000;
    private static final int STRIDE = 7_919;

    private Path dir;
    Db db;
    final String[] keys = new String[RECORDS];
    final ConcurrentHashMap<String, byte[]> bare = new ConcurrentHashMap<>();

    public ReadBench() {
        super(false);
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = BenchSupport.newDir("read");
        for (int i = 0; i < RECORDS; i++) {
            keys[i] = Integer.toString(i);
        }
        db = BenchSupport.create(BenchSupport.builder(dir));
        BenchSupport.bulkLoad(db, RECORDS, 1000, i -> keys[i], i -> BenchSupport.utf8("aaa" + i + "bbb"));
        BenchSupport.ok(db.start(), "start");
        for (int i = 0; i < RECORDS; i++) {
            bare.put(keys[i], BenchSupport.utf8("aaa" + i + "bbb"));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try {
            BenchSupport.ok(db.stop(), "stop");
        } finally {
            db.close();
            BenchSupport.deleteRecursively(dir);
        }
    }

    /** Each thread's position in the key array. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            next = ThreadLocalRandom.current().nextInt(RECORDS);
        }
    }

    @Benchmark
    public ReadReport read(Cursor cursor) {
        int i = cursor.next;
        cursor.next = (i + STRIDE) % RECORDS;
        ReadReport report = db.read(keys[i]);
        if (!report.isCodeOk()) {
            throw new IllegalStateException("read " + keys[i] + " failed: " + report.code() + ": " + report.error());
        }
        return report;
    }

    /** The floor: a bare hash map lookup and value copy, same keys, same order. */
    @Benchmark
    public byte[] bareMap(Cursor cursor) {
        int i = cursor.next;
        cursor.next = (i + STRIDE) % RECORDS;
        return bare.get(keys[i]).clone();
    }
}
