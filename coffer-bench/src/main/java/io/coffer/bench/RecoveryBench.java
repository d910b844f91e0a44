package io.coffer.bench;

import io.coffer.Db;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Time of {@code Db.builder(dir).create()} (recovery) followed by {@code close()}, on a directory prepared
 * once per trial by a running database holding {@code records} records (16-byte keys, {@code valueBytes}-byte
 * values):
 *
 * <ul>
 *   <li>{@code logs}: written with {@code writeList} of 100 records per operation (the Go prefill shape)
 *       by 4 threads, then {@code stopHard()}: no checkpoint, recovery replays every log.</li>
 *   <li>{@code logs1}: written with single-record {@code write} by 64 threads, then {@code stopHard()}:
 *       one operation per record, the costliest log to replay.</li>
 *   <li>{@code logsRandom}: as {@code logs}, with keys that look random ({@link #randomKey}) instead of a
 *       zero-padded counter, which a hash map hands over almost in key order.</li>
 *   <li>{@code checkpoint}: written as {@code logs}, then a clean {@code stop()}: one checkpoint, the logs it
 *       covers removed; recovery loads the checkpoint.</li>
 * </ul>
 * Recovery only reads (no torn tail, no leftovers), so every invocation sees the same directory. The
 * record count and the directory's bytes are left in the meta directory for RunAll, which turns the time
 * into records/s and MiB/s. At teardown the recovered record count is checked.
 *
 * <p>Recovery runs on the thread that calls {@code create()}, so that thread's CPU time per invocation is
 * also recorded ({@code <meta>/cpu-<name>.txt}, one line per measurement iteration): on a shared machine it
 * tells the engine's own cost apart from time spent waiting for a core.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class RecoveryBench {
    @Param({"logs", "logs1", "logsRandom", "checkpoint"})
    public String source;

    @Param({"1000000"})
    public int records;

    @Param({"100"})
    public int valueBytes;

    private Path dir;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private long cpuNanos;
    private long invocations;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = BenchSupport.newDir("recovery-" + source);
        long started = System.nanoTime();
        Db db = BenchSupport.createStarted(BenchSupport.builder(dir));
        try {
            if (source.equals("logs1")) {
                load(db, 64, 1);
            } else {
                load(db, 4, 100);
            }
            if (source.equals("checkpoint")) {
                BenchSupport.ok(db.stop(), "stop");
            } else {
                BenchSupport.ok(db.stopHard(), "stopHard");
            }
        } finally {
            db.close();
        }
        List<String> logs = BenchSupport.filesEndingWith(dir, ".log");
        List<String> checkpoints = BenchSupport.filesEndingWith(dir, ".checkpoint");
        if (source.equals("checkpoint") ? checkpoints.size() != 1 : !checkpoints.isEmpty()) {
            throw new IllegalStateException(source + ": the prepared directory holds checkpoints " + checkpoints + " and logs " + logs);
        }
        Properties facts = new Properties();
        facts.setProperty("records", Integer.toString(records));
        facts.setProperty("valueBytes", Integer.toString(valueBytes));
        facts.setProperty("bytes", Long.toString(BenchSupport.directoryBytes(dir)));
        facts.setProperty("logFiles", Integer.toString(logs.size()));
        facts.setProperty("checkpointFiles", Integer.toString(checkpoints.size()));
        facts.setProperty("prepareSeconds", String.format("%.1f", (System.nanoTime() - started) / 1e9));
        BenchSupport.writeMeta(metaName(source, records, valueBytes), facts);
    }

    static String metaName(String source, int records, int valueBytes) {
        return "recovery-" + source + "-" + records + "-" + valueBytes;
    }

    static String key(int i) {
        return String.format("key-%012d", i);
    }

    /**
     * The {@code i}th of a million distinct keys that look random: 16 hexadecimal digits of {@code i} times an odd
     * constant (a bijection), like hashed or generated identifiers. Unlike the counter keys, a hash map hands
     * them over in no order, so recovery pays a full sort for the skip list.
     */
    static String randomKey(int i) {
        return String.format("%016x", i * 0x9E3779B97F4A7C15L);
    }

    private byte[] value(int i) {
        byte[] v = new byte[valueBytes];
        byte[] digits = BenchSupport.utf8(Integer.toString(i));
        for (int j = 0; j < v.length; j++) {
            v[j] = j < digits.length ? digits[j] : (byte) ('a' + j % 26);
        }
        return v;
    }

    /** Writes the records from {@code threads} threads, {@code perOperation} records per call. */
    private void load(Db db, int threads, int perOperation) throws InterruptedException, ExecutionException {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            int slice = (records + threads - 1) / threads;
            for (int t = 0; t < threads; t++) {
                int from = Math.min(records, t * slice);
                int to = Math.min(records, from + slice);
                done.add(pool.submit(() -> {
                    if (perOperation == 1) {
                        for (int i = from; i < to; i++) {
                            BenchSupport.ok(db.write(key(i), value(i)), "write");
                        }
                    } else {
                        BenchSupport.writeLoad(db, from, to, perOperation,
                                source.equals("logsRandom") ? RecoveryBench::randomKey : RecoveryBench::key, this::value);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try {
            Db db = BenchSupport.create(BenchSupport.builder(dir));
            try {
                long count = BenchSupport.ok(db.countUnsafe(), "countUnsafe").count();
                if (count != records) {
                    throw new IllegalStateException("recovered " + count + " records, expected " + records);
                }
            } finally {
                db.close();
            }
        } finally {
            BenchSupport.deleteRecursively(dir);
        }
    }

    @Setup(Level.Iteration)
    public void resetCpu() {
        cpuNanos = 0;
        invocations = 0;
    }

    /** Leaves the mean CPU time of the opening thread per create(), in ms, for RunAll. */
    @TearDown(Level.Iteration)
    public void recordCpu(IterationParams iteration) throws IOException {
        String meta = System.getProperty("coffer.bench.meta");
        if (meta == null || iteration.getType() != IterationType.MEASUREMENT || invocations == 0) {
            return;
        }
        Files.createDirectories(Paths.get(meta));
        Files.writeString(Paths.get(meta, "cpu-" + metaName(source, records, valueBytes) + ".txt"),
                String.format(Locale.ROOT, "%.3f%n", cpuNanos / 1e6 / invocations), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Benchmark
    public long create() {
        long cpu = threads.getCurrentThreadCpuTime();
        Db db = BenchSupport.create(BenchSupport.builder(dir));
        db.close();
        cpuNanos += threads.getCurrentThreadCpuTime() - cpu;
        invocations++;
        return records;
    }
}
