package io.coffer.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The sync latency right beside a durable benchmark: before each of its measurement iterations (in an
 * untimed iteration setup), 300 ms of 4 KiB append + {@code force(false)} on the same disk, exactly as
 * {@link FsyncCeiling} does. The targets come from {@link FsyncCeiling}; on a shared machine the disk's
 * latency moves from second to second, so the table shows this probe next to each durable row to tell
 * whether the disk was in the same state while that row ran.
 *
 * <p>Each iteration appends one line {@code median p10 p90 samples} (µs) to
 * {@code <meta>/sync-<Class.method>.txt}.
 */
final class SyncProbe {
    static final long PROBE_MILLIS = 300;

    private SyncProbe() {
    }

    /** Probes before a measurement iteration; does nothing before warmup iterations or without a meta dir. */
    static void beforeIteration(BenchmarkParams benchmark, IterationParams iteration) throws IOException {
        String meta = System.getProperty("coffer.bench.meta");
        if (meta == null || iteration.getType() != IterationType.MEASUREMENT) {
            return;
        }
        double[] micros = measure(PROBE_MILLIS);
        Arrays.sort(micros);
        String line = String.format(Locale.ROOT, "%.1f %.1f %.1f %d%n", percentile(micros, 50), percentile(micros, 10),
                percentile(micros, 90), micros.length);
        Path dir = Paths.get(meta);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(fileName(shortName(benchmark.getBenchmark()))), line, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static String fileName(String benchmark) {
        return "sync-" + benchmark + ".txt";
    }

    /** {@code io.coffer.bench.WriteBench.hotKeys} → {@code WriteBench.hotKeys}. */
    static String shortName(String benchmark) {
        int method = benchmark.lastIndexOf('.');
        return benchmark.substring(benchmark.lastIndexOf('.', method - 1) + 1);
    }

    /** Latencies in µs of 4 KiB append + force(false) for about {@code millis} (at least 20 samples). */
    static double[] measure(long millis) throws IOException {
        Path dir = BenchSupport.newDir("probe");
        try (FileChannel channel = FileChannel.open(dir.resolve("probe.dat"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer block = ByteBuffer.allocateDirect(4096);
            double[] samples = new double[1024];
            int n = 0;
            long end = System.nanoTime() + millis * 1_000_000;
            while ((System.nanoTime() < end || n < 20) && n < 100_000) {
                block.clear();
                long t0 = System.nanoTime();
                while (block.hasRemaining()) {
                    channel.write(block);
                }
                channel.force(false);
                if (n == samples.length) {
                    samples = Arrays.copyOf(samples, n * 2);
                }
                samples[n++] = (System.nanoTime() - t0) / 1000.0;
            }
            return Arrays.copyOf(samples, n);
        } finally {
            BenchSupport.deleteRecursively(dir);
        }
    }

    /** Median of the per-iteration medians in the probe file, or NaN if there is none. */
    static double medianOfFile(Path meta, String benchmark) throws IOException {
        Path file = meta.resolve(fileName(benchmark));
        if (!Files.exists(file)) {
            return Double.NaN;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        double[] medians = lines.stream().filter(l -> !l.isBlank()).mapToDouble(l -> Double.parseDouble(l.split(" ")[0]))
                .sorted().toArray();
        return medians.length == 0 ? Double.NaN : percentile(medians, 50);
    }

    /** The {@code p}-th percentile of sorted {@code values} (linear interpolation). */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 1) {
            return sorted[0];
        }
        double rank = p / 100 * (sorted.length - 1);
        int low = (int) Math.floor(rank);
        int high = Math.min(sorted.length - 1, low + 1);
        return sorted[low] + (rank - low) * (sorted[high] - sorted[low]);
    }
}
