package io.coffer.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs the whole suite through the JMH Runner API (one fork per benchmark), then {@link HeapPerRecord} in a
 * JVM of its own, and prints one table: every figure next to its PERFORMANCE.md target, the target
 * computed from this run's measured sync latency, the ratio and PASS/FAIL. The table is also written to
 * {@code <dir of benchmarks.jar>/bench-table.md}, the raw JMH results to {@code jmh-result.json} beside it.
 *
 * <pre>
 *   java -cp coffer-bench/target/benchmarks.jar io.coffer.bench.RunAll [options]
 *     --quick            1 warmup + 2 measurement iterations of 1 s, 200,000-record recovery and heap runs
 *                        (a smoke run of 1-2 minutes; its figures are not the ones to quote)
 *     --include REGEX    only the JMH benchmarks matching REGEX (repeatable); the table shows the rest as not run
 *     --no-heap          skip HeapPerRecord
 *     --dir DIR          where trial directories are created: the disk under test (default java.io.tmpdir)
 *     --out FILE         where to write the table (default target/bench-table.md beside the jar)
 * </pre>
 * Exit status: 0 when every benchmark produced a figure (targets may still FAIL), 2 when some did not.
 */
public final class RunAll {
    private RunAll() {
    }

    public static void main(String[] args) throws IOException, RunnerException, InterruptedException {
        boolean quick = false;
        boolean heap = true;
        List<String> includes = new ArrayList<>();
        Path target = targetDir();
        Path dataDir = Paths.get(System.getProperty("java.io.tmpdir"));
        Path out = target.resolve("bench-table.md");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--no-heap" -> heap = false;
                case "--include" -> includes.add(value(args, ++i));
                case "--dir" -> dataDir = Paths.get(value(args, ++i));
                case "--out" -> out = Paths.get(value(args, ++i));
                case "-h", "--help" -> {
                    System.out.println("usage: RunAll [--quick] [--include REGEX]... [--no-heap] [--dir DIR] [--out FILE]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + " (try --help)");
            }
        }
        Files.createDirectories(dataDir);
        Path meta = target.resolve("bench-meta");
        BenchSupport.deleteRecursively(meta);
        Files.createDirectories(meta);
        long started = System.nanoTime();
        String loadAtStart = BenchTable.loadAverage();

        ChainedOptionsBuilder options = new OptionsBuilder()
                .forks(1)
                .shouldFailOnError(false)
                .jvmArgsAppend("-Xms2g", "-Xmx4g", "-Dcoffer.bench.dir=" + dataDir.toAbsolutePath(),
                        "-Dcoffer.bench.meta=" + meta.toAbsolutePath())
                .result(target.resolve("jmh-result.json").toString())
                .resultFormat(ResultFormatType.JSON);
        if (includes.isEmpty()) {
            options.include("io\\.coffer\\.bench\\..*");
        } else {
            includes.forEach(options::include);
        }
        int heapRecords = 1_000_000;
        if (quick) {
            options.warmupIterations(1).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(2).measurementTime(TimeValue.seconds(1))
                    .param("records", "200000");
            heapRecords = 200_000;
        }
        Collection<RunResult> results = new Runner(options.build()).run();

        Map<String, BenchTable.Figure> figures = new TreeMap<>();
        for (RunResult run : results) {
            String benchmark = run.getParams().getBenchmark();
            String name = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
            Map<String, String> params = new LinkedHashMap<>();
            for (String key : run.getParams().getParamsKeys()) {
                params.put(key, run.getParams().getParam(key));
            }
            Result<?> primary = run.getPrimaryResult();
            Statistics stats = primary.getStatistics();
            figures.put(BenchTable.id(name, params), new BenchTable.Figure(stats.getPercentile(50), stats.getMin(),
                    stats.getMax(), stats.getN(), primary.getScoreUnit(), params));
        }

        BenchTable.Heap heapResult = null;
        if (heap) {
            heapResult = runHeap(heapRecords, dataDir);
        }
        double minutes = (System.nanoTime() - started) / 60e9;
        String table = new BenchTable(figures, heapResult, meta, quick, heap, dataDir, minutes, loadAtStart).render();
        System.out.println();
        System.out.println(table);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, table, StandardCharsets.UTF_8);
        System.out.println("written to " + out.toAbsolutePath());
        if (!includes.isEmpty()) {
            return;
        }
        List<String> missing = BenchTable.missing(figures, heap, heapResult);
        if (!missing.isEmpty()) {
            System.err.println("no figure for: " + missing + " (see the JMH output above for the error)");
            System.exit(2);
        }
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    /** The directory of the jar (or classes directory) this class was loaded from: coffer-bench/target. */
    private static Path targetDir() {
        try {
            Path location = Paths.get(RunAll.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return location.getParent();
        } catch (URISyntaxException | RuntimeException e) {
            return Paths.get("target");
        }
    }

    /** Runs {@link HeapPerRecord} in a JVM of its own and reads its last line; null if it failed. */
    private static BenchTable.Heap runHeap(int records, Path dataDir) throws IOException, InterruptedException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xms2g", "-Xmx4g", "-XX:+UseG1GC",
                "-Dcoffer.bench.dir=" + dataDir.toAbsolutePath(), "-cp", System.getProperty("java.class.path"),
                HeapPerRecord.class.getName(), Integer.toString(records));
        pb.redirectErrorStream(true);
        System.out.println("# HeapPerRecord: " + String.join(" ", pb.command()));
        Process process = pb.start();
        BenchTable.Heap heap = null;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                System.out.println(line);
                if (line.startsWith("HEAP_PER_RECORD ")) {
                    Map<String, String> kv = new LinkedHashMap<>();
                    for (String part : line.substring("HEAP_PER_RECORD ".length()).split(" ")) {
                        String[] pair = part.split("=", 2);
                        kv.put(pair[0], pair[1]);
                    }
                    heap = new BenchTable.Heap(Long.parseLong(kv.get("records")), Long.parseLong(kv.get("before")),
                            Long.parseLong(kv.get("after")), Double.parseDouble(kv.get("beyondPayload")));
                }
            }
        }
        int exit = process.waitFor();
        if (exit != 0) {
            System.err.println("HeapPerRecord exited with " + exit);
            return null;
        }
        return heap;
    }
}
