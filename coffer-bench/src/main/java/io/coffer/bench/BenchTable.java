package io.coffer.bench;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Turns the JMH figures of one run into the table of PERFORMANCE.md: figure, target as written, target
 * computed from this run's sync latency, the Go figure for scale, the ratio and the verdict.
 *
 * <p>"× target" is always "how many times the target the figure achieves": figure / target for rates,
 * target / figure for times and bytes. At least 1.00 passes.
 */
final class BenchTable {
    /** One benchmark's result: the median and range of its measurement iterations. */
    record Figure(double median, double min, double max, long iterations, String unit, Map<String, String> params) {
    }

    /** HeapPerRecord's result. */
    record Heap(long records, long before, long after, double beyondPayload) {
    }

    // The Go figures of PERFORMANCE.md (ns/op, two runs); the table compares with the faster run.
    static final double GO_WRITE_NOT_CONCURRENT_NS = Math.min(15_241, 10_660);
    static final double GO_WRITE_HI_CONCURRENT_NS = Math.min(15_045, 12_883);
    static final double GO_TX_SEQUENCE_NS = Math.min(428_704, 197_554);
    static final double GO_TX_NOT_CONCURRENT_NS = Math.min(30_844, 11_750);
    static final double GO_TX_HALF_CONCURRENT_NS = Math.min(21_907, 11_569);

    static final double READS_PER_SECOND_TARGET = 10_000_000;
    static final double REPLAY_RECORDS_PER_SECOND_TARGET = 1_000_000;
    static final double CHECKPOINT_MIB_PER_SECOND_TARGET = 200;
    static final double HEAP_BYTES_AIM = 80;
    /**
     * "Not with the store size", made checkable: at the same k, a 10× larger store may cost less than
     * √10 ≈ 3.16× more, i.e. the growth is closer (on a log scale) to flat (×1, O(log n + k)) than to linear
     * (×10, a scan of the store). O(log n + k) plus the cache misses of a larger map stays well below it.
     */
    static final double PREFIX_STORE_GROWTH_MAX = Math.sqrt(10);

    private final Map<String, Figure> figures;
    private final Heap heap;
    private final Path meta;
    private final boolean quick;
    private final boolean heapRequested;
    private final Path dataDir;
    private final double minutes;
    private final String loadAtStart;
    private final List<String[]> rows = new ArrayList<>();

    BenchTable(Map<String, Figure> figures, Heap heap, Path meta, boolean quick, boolean heapRequested, Path dataDir,
            double minutes, String loadAtStart) {
        this.figures = figures;
        this.heap = heap;
        this.meta = meta;
        this.quick = quick;
        this.heapRequested = heapRequested;
        this.dataDir = dataDir;
        this.minutes = minutes;
        this.loadAtStart = loadAtStart;
    }

    /** The key of a figure: {@code Class.method} plus its parameters in name order. */
    static String id(String name, Map<String, String> params) {
        return params.isEmpty() ? name : name + new TreeMap<>(params);
    }

    /** The benchmarks a complete run must have produced, by name and the parameters that tell them apart. */
    static List<String> missing(Map<String, Figure> figures, boolean heapRequested, Heap heap) {
        List<String> missing = new ArrayList<>();
        for (String name : List.of("FsyncCeiling.append4KiBForce", "FsyncCeiling.append1MiBForce",
                "FsyncCeiling.overwrite4KiBForce", "WriteBench.distinctKeys",
                "WriteBench.hotKeys", "TransactionBench.sequence", "TransactionBench.par32NotConcurrent",
                "TransactionBench.par32HalfConcurrent", "ReadBench.read", "ReadBench.bareMap", "GroupCommitFloor.write")) {
            if (find(figures, name, Map.of()) == null) {
                missing.add(name);
            }
        }
        for (String size : List.of("100000", "1000000")) {
            for (String k : List.of("10", "1000")) {
                if (find(figures, "PrefixBench.withPrefix", Map.of("size", size, "k", k)) == null) {
                    missing.add("PrefixBench.withPrefix size=" + size + " k=" + k);
                }
            }
        }
        for (String source : List.of("logs", "logs1", "logsRandom", "checkpoint")) {
            if (find(figures, "RecoveryBench.create", Map.of("source", source)) == null) {
                missing.add("RecoveryBench.create source=" + source);
            }
        }
        if (heapRequested && heap == null) {
            missing.add("HeapPerRecord");
        }
        return missing;
    }

    /** The figure of {@code name} whose parameters include {@code params}, or null. */
    static Figure find(Map<String, Figure> figures, String name, Map<String, String> params) {
        for (Map.Entry<String, Figure> e : figures.entrySet()) {
            String id = e.getKey();
            if ((id.equals(name) || id.startsWith(name + "{")) && e.getValue().params().entrySet().containsAll(params.entrySet())) {
                return e.getValue();
            }
        }
        return null;
    }

    private Figure find(String name, Map<String, String> params) {
        return find(figures, name, params);
    }

    String render() throws IOException {
        Figure sync = find("FsyncCeiling.append4KiBForce", Map.of());
        Figure bandwidth = find("FsyncCeiling.append1MiBForce", Map.of());
        double syncMicros = sync == null ? Double.NaN : sync.median();
        double ceiling = 32 / (syncMicros / 1e6);
        double durableTarget = durableTarget(syncMicros);

        StringBuilder sb = new StringBuilder();
        sb.append("## Coffer for Java: benchmark table\n\n");
        sb.append("- Run: ").append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
                .append(String.format(Locale.ROOT, ", %.1f min, ", minutes))
                .append(quick ? "**--quick smoke settings (1 warmup + 2 measurement iterations of 1 s, 200,000-record "
                        + "recovery and heap runs): not figures to quote**"
                        : "full settings (1 fork per benchmark, warmup 2 × 2 s, measurement 5 × 2 s)")
                .append("; figures are medians of the measurement iterations.\n");
        sb.append("- Engine: ").append(engineVersion()).append('\n');
        sb.append("- Machine: ").append(machine()).append('\n');
        sb.append("- Load average (1, 5, 15 min) at start: ").append(loadAtStart).append("; at end: ").append(loadAverage())
                .append(" (the machine is shared: other work running beside the benchmarks lowers every figure)\n");
        sb.append("- Data directory: ").append(disk()).append("\n");
        if (sync != null) {
            sb.append(String.format(Locale.ROOT, "- **Sync ceiling of this run: %s µs per sync (4 KiB append + force(false), "
                    + "iterations %s–%s µs) = %s syncs/s.** 32 synchronous callers can reach at most 32 / sync = %s ops/s; "
                    + "the durable target 0.8 × 32 / sync = **%s ops/s**. Every target below is computed from this sync latency; "
                    + "each durable row also shows the median sync latency probed on the same disk (300 ms of the "
                    + "same appends) right before each of its measurement iterations: when it differs much from the "
                    + "ceiling, the disk was busy with other work and the verdict of that row is uncertain.", num(syncMicros), num(sync.min()),
                    num(sync.max()), num(1e6 / syncMicros), num(ceiling), num(durableTarget)));
            if (bandwidth != null) {
                sb.append(String.format(Locale.ROOT, " Sequential durable writes (1 MiB append + force): %s MiB/s.",
                        num(1e6 / bandwidth.median())));
            }
            sb.append('\n');
        } else {
            sb.append("- **FsyncCeiling did not run: no target computed from the sync latency.**\n");
        }
        sb.append('\n');

        // ---- rows ----
        if (sync != null) {
            rowRaw("fsync: 4 KiB append + force(false), 1 thread", "**" + num(sync.median()) + " µs/sync**"
                    + cpuNote("FsyncCeiling.append4KiBForce", sync, "µs/op"), num(sync.min()) + "–" + num(sync.max()),
                    "the ceiling (measured)", "—", "—", "—", "ceiling");
        }
        Figure overwrite = find("FsyncCeiling.overwrite4KiBForce", Map.of());
        if (overwrite != null) {
            rowRaw("fsync: 4 KiB over preallocated zeros + force(false), 1 thread (what the engine's log pays)",
                    num(overwrite.median()) + " µs/sync" + (sync == null ? "" : String.format(Locale.ROOT, " (%.2f × the ceiling)",
                            overwrite.median() / sync.median())), num(overwrite.min()) + "–" + num(overwrite.max()),
                    "— (targets use the ceiling)", "—", "—", "—", "info");
        }
        if (bandwidth != null) {
            rowRaw("fsync: 1 MiB append + force(false), 1 thread", num(1e6 / bandwidth.median()) + " MiB/s",
                    num(1e6 / bandwidth.max()) + "–" + num(1e6 / bandwidth.min()), "—", "—", "—", "—", "info");
        }
        rate("write, 32 threads, distinct keys", "WriteBench.distinctKeys",
                "≥ 0.8 × 32 / sync, and faster than Go", syncMicros, GO_WRITE_NOT_CONCURRENT_NS, true);
        rate("write, 32 threads, 16 hot keys", "WriteBench.hotKeys",
                "≥ 0.8 × 32 / sync, and faster than Go", syncMicros, GO_WRITE_HI_CONCURRENT_NS, true);
        writeFloorRow(syncMicros);
        Figure seq = find("TransactionBench.sequence", Map.of());
        if (seq != null) {
            double target = 1.3 * syncMicros;
            double probed = syncBeside("TransactionBench.sequence");
            durableRow("transaction exchange, 1 thread (keys 101, 102 of 500)", "TransactionBench.sequence", seq, "µs/op", "≤ 1.3 × sync latency",
                    "≤ " + num(target) + " µs/op" + besideNote("TransactionBench.sequence"), num(GO_TX_SEQUENCE_NS / 1000) + " µs/op",
                    target / seq.median(), 1.3 * probed / seq.median(), false);
        } else {
            notRun("transaction exchange, 1 thread");
        }
        rate("transaction exchange, 32 threads, 70,000 records, keys spread", "TransactionBench.par32NotConcurrent",
                "≥ 0.8 × 32 / sync", syncMicros, GO_TX_NOT_CONCURRENT_NS, false);
        Figure half = find("TransactionBench.par32HalfConcurrent", Map.of());
        if (half != null) {
            double target = durableTarget(syncMicros);
            double probed = syncBeside("TransactionBench.par32HalfConcurrent");
            durableRow("transaction exchange, 32 threads, 70,000 records, half-overlapping pairs",
                    "TransactionBench.par32HalfConcurrent", half, "ops/s",
                    "none stated (the spread target shown for scale)",
                    "(≥ " + num(target) + " ops/s)" + besideNote("TransactionBench.par32HalfConcurrent"),
                    num(1e9 / GO_TX_HALF_CONCURRENT_NS) + " ops/s (loses updates)", half.median() / target,
                    half.median() / durableTarget(probed), true);
        } else {
            notRun("transaction exchange, 32 threads, half-overlapping");
        }
        Figure read = find("ReadBench.read", Map.of());
        if (read != null) {
            double r = read.median() / READS_PER_SECOND_TARGET;
            rowRaw("read, 2 threads, 100,000 records", "**" + num(read.median()) + " ops/s**" + cpuNote("ReadBench.read", read, "ops/s"),
                    num(read.min()) + "–" + num(read.max()), "≥ 10,000,000 reads/s", "≥ 10,000,000 ops/s", "—", ratio(r), verdict(r));
        } else {
            notRun("read, 2 threads");
        }
        Figure floor = find("ReadBench.bareMap", Map.of());
        if (floor != null) {
            rowRaw("read floor: a bare ConcurrentHashMap get + value copy, same keys, 2 threads", num(floor.median()) + " ops/s"
                    + (read == null ? "" : String.format(Locale.ROOT, " (the engine's read is %.2f × this)", read.median() / floor.median())),
                    num(floor.min()) + "–" + num(floor.max()), "— (memory latency, not the engine)", "—", "—", "—", "info");
        }
        prefixRows();
        recoveryRows();
        if (heap != null) {
            rowRaw(String.format(Locale.ROOT, "memory: heap per record beyond 16 B key + 16 B value (%,d records)", heap.records()),
                    num(heap.beyondPayload()) + " B/record",
                    String.format(Locale.ROOT, "heap %s → %s MiB", num(heap.before() / 1048576.0), num(heap.after() / 1048576.0)),
                    "measured and reported; ≤ 80 is the aim", "≤ 80 B/record", "—",
                    ratio(HEAP_BYTES_AIM / heap.beyondPayload()), verdict(HEAP_BYTES_AIM / heap.beyondPayload()));
        } else {
            notRun("memory: heap per record (HeapPerRecord)");
        }

        sb.append("| benchmark | figure (median) | iterations min–max | target (PERFORMANCE.md) | target this run "
                + "| Go (faster of 2 runs, not durable) | × target | result |\n");
        sb.append("|---|---|---|---|---|---|---|---|\n");
        for (String[] r : rows) {
            sb.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        long pass = rows.stream().filter(r -> r[7].equals("PASS")).count();
        long fail = rows.stream().filter(r -> r[7].startsWith("FAIL")).count();
        long notRun = rows.stream().filter(r -> r[7].startsWith("NOT RUN")).count();
        long uncertain = rows.stream().filter(r -> r[7].startsWith("UNCERTAIN")).count();
        sb.append(String.format(Locale.ROOT, "%n%d PASS, %d FAIL, %d UNCERTAIN, %d not run. \"× target\": how many times its "
                + "target the figure reaches (figure ÷ target for rates, target ÷ figure for times and bytes); ≥ 1.00 passes. "
                + "Durable rows are judged by the ceiling above; \"by probe\" is the same ratio with the sync latency probed "
                + "beside that row, and UNCERTAIN marks rows where the two verdicts differ.%n", pass, fail, uncertain, notRun));
        return sb.toString();
    }

    /** A throughput row against the sync target and (if {@code goMustBeBeaten}) the Go figure too. */
    private void rate(String label, String name, String written, double syncMicros, double goNs, boolean goMustBeBeaten) {
        Figure f = find(name, Map.of());
        if (f == null) {
            notRun(label);
            return;
        }
        double durable = durableTarget(syncMicros);
        double go = 1e9 / goNs;
        double target = goMustBeBeaten ? Math.max(durable, go) : durable;
        double probed = durableTarget(syncBeside(name));
        double probedTarget = goMustBeBeaten ? Math.max(probed, go) : probed;
        String thisRun = "≥ " + num(durable) + " ops/s" + (goMustBeBeaten ? " and > " + num(go) : "") + besideNote(name);
        durableRow(label, name, f, "ops/s", written, thisRun, num(go) + " ops/s", f.median() / target, f.median() / probedTarget,
                false);
    }

    /**
     * A durable row: judged by the FsyncCeiling target and, as a cross-check, by the target computed from the
     * sync latency probed beside it. When the two disagree the disk changed under the run: UNCERTAIN.
     */
    private void durableRow(String label, String name, Figure f, String unit, String written, String thisRun, String go,
            double byCeiling, double byProbe, boolean informative) {
        String ratios = ratio(byCeiling) + (Double.isNaN(byProbe) ? "" : " (by probe " + ratio(byProbe) + ")");
        String verdict;
        if (informative) {
            verdict = "info";
        } else if (Double.isNaN(byProbe) || (byCeiling >= 1) == (byProbe >= 1)) {
            verdict = verdict(byCeiling);
        } else {
            verdict = byCeiling >= 1 ? "UNCERTAIN: PASS by the ceiling, FAIL by the probe"
                    : "UNCERTAIN: FAIL by the ceiling, PASS by the probe";
        }
        rowRaw(label, "**" + num(f.median()) + " " + unit + "**" + cpuNote(name, f, unit), num(f.min()) + "–" + num(f.max()),
                written, thisRun, go, ratios, verdict);
    }

    /**
     * " (1.8 cores busy, 25 µs CPU/op, 14.2 ops per sync)" from CpuMeter's and SyncShareMeter's files, leaving out
     * what has no file.
     */
    private String cpuNote(String name, Figure f, String unit) {
        double cores = medianOrNaN(meta.resolve(CpuMeter.fileName(name)));
        double perSync = medianOrNaN(meta.resolve(SyncShareMeter.fileName(name)));
        String shared = Double.isNaN(perSync) ? "" : num(perSync) + " ops per sync";
        if (Double.isNaN(cores)) {
            return shared.isEmpty() ? "" : " (" + shared + ")";
        }
        double cpuMicrosPerOp = unit.equals("ops/s") ? cores * 1e6 / f.median() : cores * f.median();
        return " (" + num(cores) + " cores busy, " + num(cpuMicrosPerOp) + " µs CPU/op" + (shared.isEmpty() ? "" : ", " + shared)
                + ")";
    }

    /** The median line of a meter's file, or NaN when there is none. */
    private static double medianOrNaN(Path file) {
        try {
            return medianLine(file);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** 0.8 × 32 / sync, in ops/s, for a sync latency in µs. */
    /** The bare group commit of the same callers: what the machine allows before the engine does anything. */
    private void writeFloorRow(double syncMicros) {
        Figure floor = find("GroupCommitFloor.write", Map.of());
        if (floor == null) {
            return;
        }
        Figure distinct = find("WriteBench.distinctKeys", Map.of());
        Figure hotKeys = find("WriteBench.hotKeys", Map.of());
        String engine = distinct == null || hotKeys == null ? ""
                : String.format(Locale.ROOT, "; the engine's writes are %.2f (distinct) and %.2f (hot) × this",
                        distinct.median() / floor.median(), hotKeys.median() / floor.median());
        rowRaw("write floor: a bare group commit of the same 32 callers (queue, one write over zeros + force(false) per batch; callers yield, then park)",
                num(floor.median()) + " ops/s" + cpuNote("GroupCommitFloor.write", floor, "ops/s")
                        + String.format(Locale.ROOT, " (%.2f × the durable target%s)", floor.median() / durableTarget(syncMicros), engine),
                num(floor.min()) + "–" + num(floor.max()), "— (the machine's syncs and wake-ups, not the engine)", "—", "—", "—", "info");
    }

    static double durableTarget(double syncMicros) {
        return 0.8 * 32 / (syncMicros / 1e6);
    }

    /** The median sync latency SyncProbe measured before {@code benchmark}'s measurement iterations, or NaN. */
    private double syncBeside(String benchmark) {
        try {
            return SyncProbe.medianOfFile(meta, benchmark);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private String besideNote(String benchmark) {
        double probed = syncBeside(benchmark);
        return Double.isNaN(probed) ? "" : "; sync probed beside it: " + num(probed) + " µs";
    }

    private void prefixRows() {
        Map<String, Figure> p = new TreeMap<>();
        for (String size : List.of("100000", "1000000")) {
            for (String k : List.of("10", "1000")) {
                Figure f = find("PrefixBench.withPrefix", Map.of("size", size, "k", k));
                String label = String.format(Locale.ROOT, "recordsListWithPrefix, k = %,d of %,d records", Integer.parseInt(k),
                        Integer.parseInt(size));
                if (f == null) {
                    notRun(label);
                    continue;
                }
                p.put(size + "/" + k, f);
                row(label, f, "µs/op", 1, "grows with k, not with the store size", "see the growth rows", "—", Double.NaN, "info");
            }
        }
        for (String k : List.of("10", "1000")) {
            Figure small = p.get("100000/" + k);
            Figure large = p.get("1000000/" + k);
            if (small != null && large != null) {
                double growth = large.median() / small.median();
                rowRaw("prefix growth with store size ×10 (k = " + k + ")", "×" + num(growth), "—", "not with the store size",
                        "≤ ×" + num(PREFIX_STORE_GROWTH_MAX) + " = √10 (this table's bound; a scan: ×10)", "—", ratio(PREFIX_STORE_GROWTH_MAX / growth),
                        verdict(PREFIX_STORE_GROWTH_MAX / growth));
            }
        }
        Figure k10 = p.get("1000000/10");
        Figure k1000 = p.get("1000000/1000");
        if (k10 != null && k1000 != null) {
            double growth = k1000.median() / k10.median();
            rowRaw("prefix growth with k ×100 (1,000,000 records)", "×" + num(growth), "—", "grows with k",
                    "informative: a fixed cost per call plus a cost per key", "—", "—", "info");
        }
    }

    private void recoveryRows() throws IOException {
        for (String source : List.of("logs", "logs1", "logsRandom", "checkpoint")) {
            String label = switch (source) {
                case "logs" -> "recovery: replay logs only (100 records per operation)";
                case "logs1" -> "recovery: replay logs only (1 record per operation)";
                case "logsRandom" -> "recovery: replay logs only (100 records per operation, random keys)";
                default -> "recovery: load one checkpoint (after a clean stop)";
            };
            Figure f = find("RecoveryBench.create", Map.of("source", source));
            if (f == null) {
                notRun(label);
                continue;
            }
            Properties facts = facts(RecoveryBench.metaName(source, Integer.parseInt(f.params().get("records")),
                    Integer.parseInt(f.params().get("valueBytes"))));
            if (facts == null) {
                rowRaw(label, num(f.median()) + " ms", "—", "—", "—", "—", "—", "FAIL: no facts file from the trial");
                continue;
            }
            long records = Long.parseLong(facts.getProperty("records"));
            double mib = Long.parseLong(facts.getProperty("bytes")) / 1048576.0;
            double seconds = f.median() / 1000;
            double recordsPerSecond = records / seconds;
            double mibPerSecond = mib / seconds;
            String detail = String.format(Locale.ROOT, "%s ms for %,d records of %d B values, %s MiB in %s log(s) + %s checkpoint(s)",
                    num(f.median()), records, Integer.parseInt(facts.getProperty("valueBytes")), num(mib),
                    facts.getProperty("logFiles"), facts.getProperty("checkpointFiles"));
            double cpuMillis = medianLine(meta.resolve("cpu-" + RecoveryBench.metaName(source,
                    Integer.parseInt(f.params().get("records")), Integer.parseInt(f.params().get("valueBytes"))) + ".txt"));
            if (!Double.isNaN(cpuMillis)) {
                detail += String.format(Locale.ROOT, "; CPU of the opening thread %s ms = %s records/CPU-s, %s MiB/CPU-s",
                        num(cpuMillis), num(records / (cpuMillis / 1000)), num(mib / (cpuMillis / 1000)));
            }
            String range = num(f.min()) + "–" + num(f.max()) + " ms";
            if (source.equals("checkpoint")) {
                double r = mibPerSecond / CHECKPOINT_MIB_PER_SECOND_TARGET;
                rowRaw(label, "**" + num(mibPerSecond) + " MiB/s** (" + num(recordsPerSecond) + " records/s; " + detail + ")",
                        range, "≥ 200 MiB/s", "≥ 200 MiB/s", "—", ratio(r), verdict(r));
            } else {
                double r = recordsPerSecond / REPLAY_RECORDS_PER_SECOND_TARGET;
                rowRaw(label, "**" + num(recordsPerSecond) + " records/s** (" + num(mibPerSecond) + " MiB/s; " + detail + ")",
                        range, "≥ 1,000,000 records/s", "≥ 1,000,000 records/s", "—", ratio(r), verdict(r));
            }
        }
    }

    /** The median of the numbers on the lines of {@code file} (first field), or NaN. */
    private static double medianLine(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Double.NaN;
        }
        double[] values = Files.readAllLines(file).stream().filter(l -> !l.isBlank())
                .mapToDouble(l -> Double.parseDouble(l.trim().split(" ")[0])).sorted().toArray();
        return values.length == 0 ? Double.NaN : SyncProbe.percentile(values, 50);
    }

    private Properties facts(String name) throws IOException {
        Path file = meta.resolve(name + ".properties");
        if (!Files.exists(file)) {
            return null;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        return p;
    }

    private void row(String label, Figure f, String unit, double scale, String written, String thisRun, String go,
            double ratio, String fixedVerdict) {
        rowRaw(label, "**" + num(f.median() * scale) + " " + unit + "**", num(f.min() * scale) + "–" + num(f.max() * scale),
                written, thisRun, go, Double.isNaN(ratio) ? "—" : ratio(ratio),
                fixedVerdict != null ? fixedVerdict : verdict(ratio));
    }

    private void rowRaw(String label, String figure, String range, String written, String thisRun, String go, String ratio,
            String verdict) {
        rows.add(new String[] {label, figure, range, written, thisRun, go, ratio, verdict});
    }

    private void notRun(String label) {
        rows.add(new String[] {label, "—", "—", "—", "—", "—", "—", "NOT RUN (no result; see the log)"});
    }

    private static String ratio(double r) {
        return Double.isNaN(r) || Double.isInfinite(r) ? "—" : String.format(Locale.ROOT, "%.2f", r);
    }

    private static String verdict(double r) {
        return Double.isNaN(r) ? "—" : r >= 1 ? "PASS" : "FAIL";
    }

    /** A readable number: thousands separators, fewer decimals as it grows. */
    static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /**
     * The commit of the repository holding the jar (coffer-bench/target/..), and whether the engine's sources
     * differ from it, so a table can be traced to the code it measured.
     */
    private String engineVersion() {
        Path repo = meta.toAbsolutePath().getParent().getParent().getParent();
        String head = run(repo, "git", "log", "-1", "--format=%h %cd", "--date=format:%Y-%m-%d %H:%M");
        if (head == null || head.isBlank()) {
            return "unknown (not a git checkout)";
        }
        String dirty = run(repo, "git", "status", "--porcelain", "--", "coffer-core", "coffer-reports");
        return "git " + head.trim() + (dirty != null && !dirty.isBlank()
                ? " plus uncommitted changes in coffer-core/coffer-reports (" + dirty.strip().split("\n").length + " files)"
                : ", no uncommitted engine changes");
    }

    /** The stdout of a short command, or null if it failed. */
    private static String run(Path dir, String... command) {
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(false).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return p.waitFor() == 0 ? out : null;
        } catch (IOException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The first three fields of /proc/loadavg, or "n/a". */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + ", " + fields[1] + ", " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private static String machine() {
        String cpu = "unknown CPU";
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            cpu = lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst()
                    .orElse(cpu);
        } catch (IOException | RuntimeException e) {
            // not Linux: keep "unknown CPU"
        }
        long ram = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            ram = os.getTotalMemorySize();
        }
        return String.format(Locale.ROOT, "%d cores (availableProcessors), %s, %s GiB RAM, %s %s %s, Java %s (%s)",
                Runtime.getRuntime().availableProcessors(), cpu, ram < 0 ? "?" : num(ram / 1073741824.0),
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"),
                System.getProperty("java.runtime.version"), System.getProperty("java.vm.name"));
    }

    private String disk() {
        try {
            FileStore store = Files.getFileStore(dataDir);
            return String.format(Locale.ROOT, "%s on %s (%s), %s GiB free", dataDir.toAbsolutePath(), store.name(), store.type(),
                    num(store.getUsableSpace() / 1073741824.0));
        } catch (IOException e) {
            return dataDir.toAbsolutePath().toString();
        }
    }
}
