package io.coffer.bench;

import io.coffer.Db;
import io.coffer.reports.RecordsListReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code recordsListWithPrefix} returning exactly {@code k} keys from a store of {@code size} records.
 *
 * <p>Keys are {@code "k"} plus 7 zero-padded digits ({@code k0000000}..{@code k0999999}), so a prefix of
 * {@code 7 - log10(k)} digits matches exactly {@code k} keys in both store sizes. Every call takes a random
 * such prefix and checks it got {@code k} keys. The target holds if the time grows with k and not with
 * the store size (compare size 100,000 with 1,000,000 at the same k).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class PrefixBench {
    @Param({"100000", "1000000"})
    public int size;

    @Param({"10", "1000"})
    public int k;

    private Path dir;
    private Db db;
    private String[] prefixes;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        if (size % k != 0 || !Integer.toString(k).matches("10*") || k > 1_000_000 || size > 10_000_000) {
            throw new IllegalArgumentException("k must be a power of ten dividing size, size at most 10,000,000");
        }
        dir = BenchSupport.newDir("prefix");
        db = BenchSupport.create(BenchSupport.builder(dir).maxRecsPerOperation(100_000));
        BenchSupport.bulkLoad(db, size, 50_000, PrefixBench::key, i -> BenchSupport.utf8("v" + i));
        BenchSupport.ok(db.start(), "start");
        int digits = 7 - Integer.toString(k).length() + 1;
        prefixes = new String[size / k];
        for (int i = 0; i < prefixes.length; i++) {
            prefixes[i] = "k" + String.format("%0" + digits + "d", i);
        }
    }

    static String key(int i) {
        return String.format("k%07d", i);
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

    @Benchmark
    public RecordsListReport withPrefix() {
        String prefix = prefixes[ThreadLocalRandom.current().nextInt(prefixes.length)];
        RecordsListReport report = BenchSupport.ok(db.recordsListWithPrefix(prefix), "recordsListWithPrefix");
        if (report.keys().size() != k) {
            throw new IllegalStateException("prefix " + prefix + " listed " + report.keys().size() + " keys, expected " + k);
        }
        return report;
    }
}
