package io.coffer.fuzz;

import io.coffer.CreateReport;
import io.coffer.Db;
import io.coffer.DbBuilder;
import io.coffer.reports.Code;
import io.coffer.reports.ReadListReport;
import io.coffer.reports.RecordsListReport;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * One fuzz case: writes damaged files into a fresh directory, runs {@code create()} on a worker thread under
 * a deadline, and judges the answer. {@code create()} must return (never throw, never hang) a report that is
 * OK or ERROR; an ERROR must not come from an unchecked exception; an OK database must answer the unsafe
 * reads of everything it recovered; and unless the case was forged, every recovered record must be one the
 * corpus run wrote.
 */
final class FuzzCase {
    /** Text in an error that only an unchecked exception leaves: the builder's or the engine's last-resort catch. */
    private static final Pattern UNCHECKED = Pattern.compile("create failed: |java\\.lang\\.\\w+(Exception|Error)"
            + "|java\\.nio\\.\\w*(Underflow|Overflow)Exception|java\\.util\\.\\w+Exception|UncheckedIOException");
    /** The checkpoint reader's own safety net for a RuntimeException while decoding a record. */
    private static final String SAFETY_NET = "malformed record (";

    /**
     * How a case ended.
     *
     * @param code    the report's code, or null when there was none
     * @param problem why the case breaks a rule, or null
     * @param note    something worth counting that breaks no rule, or null
     */
    record Outcome(Code code, String problem, String note) {
    }

    private FuzzCase() {
    }

    static Outcome run(Path dir, FileMutator.Mutated mutated, UnaryOperator<DbBuilder> options, int readChunk,
            Set<String> pairs, ExecutorService executor, long timeoutMillis) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> file : mutated.files().entrySet()) {
            Files.write(dir.resolve(file.getKey()), file.getValue());
        }
        for (Map.Entry<String, Long> extend : mutated.extendTo().entrySet()) {
            Path file = dir.resolve(extend.getKey());
            if (Files.exists(file)) {
                try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                    raf.setLength(Math.max(raf.length(), extend.getValue()));
                }
            }
        }
        Future<Outcome> future = executor.submit(() -> open(dir, options, readChunk, pairs, mutated.forged()));
        try {
            return future.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return new Outcome(null, "create() and the reads did not return within " + timeoutMillis + " ms", null);
        } catch (ExecutionException e) {
            return new Outcome(null, "threw " + stack(e.getCause()), null);
        }
    }

    /**
     * Opens twice: the second recovery must agree with the first (GUARANTEES 11), the same records after an
     * OK and a refusal again after an ERROR, since the first may have changed the directory (a cut tail).
     */
    private static Outcome open(Path dir, UnaryOperator<DbBuilder> options, int readChunk, Set<String> pairs, boolean forged) {
        Map<String, String> first = new TreeMap<>();
        List<String> warnings = new ArrayList<>();
        Outcome outcome = openOnce(dir, options, readChunk, pairs, forged, first, warnings);
        if (outcome.problem() != null || outcome.code() == null) {
            return outcome;
        }
        Map<String, String> second = new TreeMap<>();
        Outcome again = openOnce(dir, options, readChunk, pairs, forged, second, new ArrayList<>());
        if (again.problem() != null) {
            return new Outcome(again.code(), "on the second create(): " + again.problem(), null);
        }
        if (again.code() != outcome.code()) {
            return new Outcome(again.code(), "a second create() answered " + again.code() + " after " + outcome.code()
                    + " (first warnings " + warnings + ")", null);
        }
        if (!first.equals(second)) {
            return new Outcome(again.code(), "a second create() recovered other records than the first", null);
        }
        return outcome;
    }

    private static Outcome openOnce(Path dir, UnaryOperator<DbBuilder> options, int readChunk, Set<String> pairs, boolean forged,
            Map<String, String> recovered, List<String> warnings) {
        CreateReport report = options.apply(Db.builder(dir)).create();
        if (report == null) {
            return new Outcome(null, "create() returned null", null);
        }
        warnings.addAll(report.warnings());
        if (report.code() == Code.ERROR) {
            String error = report.error();
            if (error == null || error.isEmpty()) {
                return new Outcome(report.code(), "an ERROR without a message", null);
            }
            if (UNCHECKED.matcher(error).find()) {
                return error.contains(SAFETY_NET)
                        ? new Outcome(report.code(), null, "the checkpoint reader's safety net caught: " + error)
                        : new Outcome(report.code(), "an unchecked exception inside create(): " + error, null);
            }
            return new Outcome(report.code(), null, null);
        }
        if (report.code() != Code.OK || report.db() == null) {
            return new Outcome(report.code(), "create() answered " + report, null);
        }
        try (Db db = report.db()) {
            RecordsListReport keys = db.recordsListUnsafe();
            if (!keys.isCodeOk() || db.countUnsafe().count() != keys.keys().size()) {
                return new Outcome(Code.OK, "the recovered database cannot list or count its records: " + keys, null);
            }
            List<String> all = keys.keys();
            for (int from = 0; from < all.size(); from += readChunk) {
                List<String> chunk = all.subList(from, Math.min(all.size(), from + readChunk));
                ReadListReport read = db.readListUnsafe(chunk);
                if (!read.isCodeOk()) {
                    String why = "a recovered record cannot be read back: " + read;
                    return forged ? new Outcome(Code.OK, null, why) : new Outcome(Code.OK, why, null);
                }
                read.data().forEach((key, value) -> recovered.put(key, HexFormat.of().formatHex(value)));
                if (!forged) {
                    for (Map.Entry<String, byte[]> record : read.data().entrySet()) {
                        if (!pairs.contains(FuzzCorpus.pair(record.getKey(), record.getValue()))) {
                            return new Outcome(Code.OK, "recovered a record that was never written: " + record.getKey(), null);
                        }
                    }
                }
            }
            return new Outcome(Code.OK, null, null);
        }
    }

    static String stack(Throwable e) {
        java.io.StringWriter text = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(text));
        return text.toString();
    }

    /** Keeps a failing case under target/ so it can be opened by hand. */
    static Path keep(Path dir, String name) throws IOException {
        Path kept = Path.of("target", name).toAbsolutePath();
        FuzzCorpus.deleteTree(kept);
        Files.createDirectories(kept);
        try (var files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, kept.resolve(file.getFileName()));
            }
        }
        return kept;
    }
}
