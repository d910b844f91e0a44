package io.coffer.bench;

import io.coffer.Db;
import io.coffer.reports.ReadListReport;
import io.coffer.reports.TransactionReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
 * The handler {@code exchange} (swap the values of two records), in the three Go shapes:
 *
 * <ul>
 *   <li>{@code sequence} ({@code TransactionSequence}): one thread, keys "101" and "102" of 500 records
 *       "0".."499" (value = key); time per transaction, which must stay near one sync.</li>
 *   <li>{@code par32NotConcurrent} ({@code TransactionPar32NotConcurent}): 32 threads over 70,000 records
 *       "0".."69999" (value "a"+key+"b"); each transaction takes the next two counter values modulo 65,536
 *       and the counter then skips 100, so transactions in flight never share a key.</li>
 *   <li>{@code par32HalfConcurrent} ({@code TransactionPar32HalfConcurent}): the same records; transaction
 *       number i swaps keys i and i+1 (mod 65,536), so each shares one key with the one before and one with
 *       the one after: half of every pair is contended.</li>
 * </ul>
 * At teardown the values are checked: swaps only permute them, so the multiset of values must be the one
 * loaded (a lost or torn update would break it). Before each measurement iteration {@link SyncProbe}
 * measures the disk's sync latency (untimed).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class TransactionBench {
    static final int SMALL_RECORDS = 500;
    static final int LARGE_RECORDS = 70_000;
    static final int KEY_SPACE = 1 << 16;

    /** 500 records, value = key. */
    @State(Scope.Benchmark)
    public static class Small extends MeteredState {
        private Path dir;
        Db db;
        final List<String> pair = List.of("101", "102");

        public Small() {
            super(true);
        }

        @Override
        protected Db meteredDb() {
            return db;
        }

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            dir = BenchSupport.newDir("tx-seq");
            db = BenchSupport.create(BenchSupport.builder(dir));
            BenchSupport.bulkLoad(db, SMALL_RECORDS, 1000, Integer::toString, i -> BenchSupport.utf8(Integer.toString(i)));
            BenchSupport.ok(db.start(), "start");
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            try {
                ReadListReport r = BenchSupport.ok(db.readList(pair), "readList");
                List<String> values = new ArrayList<>();
                r.data().values().forEach(v -> values.add(new String(v, StandardCharsets.UTF_8)));
                Collections.sort(values);
                if (!values.equals(pair)) {
                    throw new IllegalStateException("after the swaps keys 101/102 hold " + values);
                }
                BenchSupport.ok(db.stop(), "stop");
            } finally {
                db.close();
                BenchSupport.deleteRecursively(dir);
            }
        }
    }

    /** 70,000 records, value "a"+key+"b", and the shared counter of the parallel shapes. */
    @State(Scope.Benchmark)
    public static class Large extends MeteredState {
        private Path dir;
        Db db;
        final AtomicLong counter = new AtomicLong();
        final String[] keys = new String[KEY_SPACE];

        public Large() {
            super(true);
        }

        @Override
        protected Db meteredDb() {
            return db;
        }

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            dir = BenchSupport.newDir("tx-par");
            for (int i = 0; i < KEY_SPACE; i++) {
                keys[i] = Integer.toString(i);
            }
            db = BenchSupport.create(BenchSupport.builder(dir));
            BenchSupport.bulkLoad(db, LARGE_RECORDS, 1000, Integer::toString, Large::value);
            BenchSupport.ok(db.start(), "start");
        }

        static byte[] value(int i) {
            return BenchSupport.utf8("a" + i + "b");
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            try {
                List<String> found = new ArrayList<>(LARGE_RECORDS);
                List<String> expected = new ArrayList<>(LARGE_RECORDS);
                List<String> chunk = new ArrayList<>(1000);
                for (int i = 0; i < LARGE_RECORDS; i++) {
                    expected.add("a" + i + "b");
                    chunk.add(Integer.toString(i));
                    if (chunk.size() == 1000 || i == LARGE_RECORDS - 1) {
                        ReadListReport r = BenchSupport.ok(db.readList(chunk), "readList");
                        r.data().values().forEach(v -> found.add(new String(v, StandardCharsets.UTF_8)));
                        chunk.clear();
                    }
                }
                Collections.sort(found);
                Collections.sort(expected);
                if (!found.equals(expected)) {
                    throw new IllegalStateException("after " + counter.get() + " swaps the values are no longer a permutation"
                            + " of the loaded ones (" + found.size() + " values read): an update was lost or duplicated");
                }
                BenchSupport.ok(db.stop(), "stop");
            } finally {
                db.close();
                BenchSupport.deleteRecursively(dir);
            }
        }
    }

    @Benchmark
    @Threads(1)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public TransactionReport sequence(Small s) {
        return BenchSupport.ok(s.db.transaction("exchange", s.pair, null), "transaction");
    }

    @Benchmark
    @Threads(32)
    public TransactionReport par32NotConcurrent(Large l) {
        long base = l.counter.getAndAdd(102);
        List<String> pair = List.of(l.keys[(int) ((base + 1) % KEY_SPACE)], l.keys[(int) ((base + 2) % KEY_SPACE)]);
        return BenchSupport.ok(l.db.transaction("exchange", pair, null), "transaction");
    }

    @Benchmark
    @Threads(32)
    public TransactionReport par32HalfConcurrent(Large l) {
        long i = l.counter.getAndIncrement();
        List<String> pair = List.of(l.keys[(int) (i % KEY_SPACE)], l.keys[(int) ((i + 1) % KEY_SPACE)]);
        return BenchSupport.ok(l.db.transaction("exchange", pair, null), "transaction");
    }
}
