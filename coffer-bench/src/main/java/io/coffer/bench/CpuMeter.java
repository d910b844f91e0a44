package io.coffer.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * How many cores the benchmark JVM kept busy during each measurement iteration (process CPU time ÷ wall
 * time, all threads: callers, batcher, GC, JMH). With the JMH score it gives the CPU cost per operation,
 * which other work on a shared machine disturbs far less than the wall-clock figure: a durable benchmark
 * that runs well below its sync ceiling with about 2 cores busy is CPU-bound; one with little CPU is
 * waiting (for the disk, for a lock, or for a core the machine gave to someone else).
 *
 * <p>Call {@link #start()} in an iteration setup and {@link #stop} in the iteration teardown; each
 * measurement iteration appends one line (cores busy) to {@code <meta>/cores-<Class.method>.txt}.
 */
final class CpuMeter {
    private long cpuStart;
    private long wallStart;

    void start() {
        cpuStart = processCpuNanos();
        wallStart = System.nanoTime();
    }

    void stop(BenchmarkParams benchmark, IterationParams iteration) throws IOException {
        long cpu = processCpuNanos() - cpuStart;
        long wall = System.nanoTime() - wallStart;
        String meta = System.getProperty("coffer.bench.meta");
        if (meta == null || iteration.getType() != IterationType.MEASUREMENT || cpuStart < 0 || wall <= 0) {
            return;
        }
        Path dir = Paths.get(meta);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(fileName(SyncProbe.shortName(benchmark.getBenchmark()))),
                String.format(Locale.ROOT, "%.3f%n", cpu / (double) wall), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    static String fileName(String benchmark) {
        return "cores-" + benchmark + ".txt";
    }

    /** CPU time of this JVM so far, or -1 if the platform does not say. */
    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }
}
