package io.coffer.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.coffer.DbBuilder;
import io.coffer.crash.ChildJvm;
import io.coffer.internal.files.Limits;
import io.coffer.internal.wal.LogFormat;
import io.coffer.testing.Seeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * R11 and GUARANTEES 8 and 10: {@code create()} on a directory of damaged files (real files of a small run,
 * mutated by {@link FileMutator}) never throws, never hangs, and answers OK or ERROR; an ERROR never comes from
 * an unchecked exception; an OK database reads back everything it recovered, and unless the damage forged a
 * CRC, recovers no record that was never written. A child JVM with a 64 MiB heap and small limits runs a few
 * hundred cases to show that no file makes the readers allocate beyond the limits.
 */
class FileFuzzTest {
    static final long CASE_TIMEOUT_MILLIS = 10_000;

    @TempDir
    Path work;

    /** A backstop only: every case has a deadline of {@value #CASE_TIMEOUT_MILLIS} ms. */
    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void createOnThousandsOfMutatedDirectoriesAnswersOkOrErrorAndNeverThrowsOrHangs() throws Exception {
        fuzz("FileFuzzTest", Integer.getInteger("coffer.fuzz.cases", 3000));
    }

    @Test
    @Tag("stress")
    @Timeout(value = 3, unit = TimeUnit.HOURS)
    void createOnHundredsOfThousandsOfMutatedDirectoriesAnswersOkOrError() throws Exception {
        fuzz("FileFuzzTest(stress)", Integer.getInteger("coffer.fuzz.stressCases", 200_000));
    }

    private void fuzz(String name, int cases) throws Exception {
        long seed = Seeds.seed(name);
        Level before = LogManager.getLogger("io.coffer").getLevel();
        Configurator.setLevel("io.coffer", Level.ERROR); // thousands of refusals would otherwise each log a warning
        try {
            Summary summary = run(work, seed, cases, UnaryOperator.identity(), DbBuilder.DEFAULT_MAX_KEY_LENGTH,
                    DbBuilder.DEFAULT_MAX_VALUE_LENGTH, DbBuilder.DEFAULT_MAX_RECS_PER_OPERATION, 200, 500);
            System.out.println(name + " seed=" + seed + ": " + summary);
            summary.problems.forEach(System.out::println);
            if (!summary.problems.isEmpty()) {
                fail(name + " seed=" + seed + ": " + summary.problems.size() + " cases broke the rules; the first:\n"
                        + summary.problems.get(0));
            }
        } finally {
            Configurator.setLevel("io.coffer", before);
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void inASixtyFourMebibyteHeapWithSmallLimitsNoDamagedFileRunsTheReadersOutOfMemory(@TempDir Path logs) throws Exception {
        long seed = Seeds.seed("FileFuzzTest(64 MiB child)");
        int cases = Integer.getInteger("coffer.fuzz.childCases", 400);
        List<String> options = new ArrayList<>(List.of("-Xmx64m", "-XX:+ExitOnOutOfMemoryError"));
        options.addAll(ChildJvm.FAST_START);
        options.add("-Dorg.apache.logging.log4j.simplelog.level=ERROR");
        Path stderr = logs.resolve("fuzz-child.err");
        Process child = ChildJvm.start(ChildJvm.command(options, FuzzChild.class, work.toString(), Long.toString(seed),
                Integer.toString(cases)), stderr);
        List<String> lines = new ArrayList<>();
        try {
            ChildJvm.Lines out = new ChildJvm.Lines(child.getInputStream(), "fuzz-child-reader");
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
            String line;
            while (!ChildJvm.Lines.EOF.equals(line = out.poll(1000))) {
                if (line != null) {
                    lines.add(line);
                }
                if (System.nanoTime() > deadline) {
                    fail("seed=" + seed + ": the fuzz child did not finish within 4 minutes; last lines:\n" + tail(lines));
                }
            }
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "seed=" + seed + ": the fuzz child did not exit");
        } finally {
            ChildJvm.kill(child);
        }
        System.out.println(String.join("\n", lines));
        assertEquals(0, child.exitValue(), () -> "seed=" + seed + ": the 64 MiB child failed (exit " + child.exitValue()
                + (child.exitValue() == 3 ? ", OutOfMemoryError" : "") + "):\n" + tail(lines) + "\n" + ChildJvm.tail(stderr, 4000));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("FUZZ " + cases + " cases")), () -> tail(lines));
    }

    private static String tail(List<String> lines) {
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    /** What a run of cases found. */
    static final class Summary {
        final Map<String, Integer> codes = new TreeMap<>();
        final List<String> problems = new ArrayList<>();
        final Map<String, Integer> notes = new TreeMap<>();
        String corpus;
        int forged;
        long slowestMillis;
        long nanos;

        @Override
        public String toString() {
            return "corpus " + corpus + ": " + codes + ", " + forged + " forged, " + problems.size() + " problems, slowest case " + slowestMillis + " ms, "
                    + String.format("%.1f s", nanos / 1e9) + (notes.isEmpty() ? "" : ", notes " + notes);
        }
    }

    /**
     * Builds a corpus in {@code work} and runs {@code cases} mutated copies of it; shared by this test and the
     * 64 MiB child.
     */
    static Summary run(Path work, long seed, int cases, UnaryOperator<DbBuilder> limits, int maxKey, int maxValue,
            int maxRecs, int corpusValueBytes, int readChunk) throws Exception {
        long started = System.nanoTime();
        Random random = new Random(seed);
        UnaryOperator<DbBuilder> options = b -> limits.apply(b.limitMemory(0).limitDisk(0));
        FuzzCorpus corpus = FuzzCorpus.build(work.resolve("corpus"), random.nextLong(), corpusValueBytes, options);
        long maxFrame = LogFormat.maxFrameBytes(new Limits(maxKey, maxValue, maxRecs));
        Summary summary = new Summary();
        Map<String, Integer> sizes = new TreeMap<>();
        corpus.files.forEach((file, bytes) -> sizes.put(file, bytes.length));
        summary.corpus = sizes.toString();
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "fuzz-create");
            thread.setDaemon(true);
            return thread;
        });
        try {
            for (int i = 0; i < cases; i++) {
                long caseSeed = random.nextLong();
                FileMutator.Mutated mutated = new FileMutator(new Random(caseSeed), maxKey, maxValue, maxFrame).mutate(corpus.files);
                Path dir = work.resolve("case");
                FuzzCorpus.deleteTree(dir);
                long caseStarted = System.nanoTime();
                FuzzCase.Outcome outcome = FuzzCase.run(dir, mutated, options, readChunk, corpus.pairs, executor, CASE_TIMEOUT_MILLIS);
                summary.slowestMillis = Math.max(summary.slowestMillis, (System.nanoTime() - caseStarted) / 1_000_000);
                summary.codes.merge(outcome.code() == null ? "none" : outcome.code().name(), 1, Integer::sum);
                if (mutated.forged()) {
                    summary.forged++;
                }
                if (outcome.note() != null) {
                    summary.notes.merge(outcome.note().replaceAll("\\d+", "N"), 1, Integer::sum);
                }
                if (outcome.problem() != null) {
                    Path kept = FuzzCase.keep(dir, "fuzz-failure-" + seed + "-" + i);
                    summary.problems.add("case " + i + " (seed=" + seed + "): " + outcome.problem() + "\n  steps: "
                            + mutated.steps() + "\n  files kept in " + kept);
                    if (outcome.code() == null) {
                        break; // a hung or thrown create() leaves the worker thread unusable
                    }
                }
            }
        } finally {
            executor.shutdownNow();
        }
        summary.nanos = System.nanoTime() - started;
        return summary;
    }
}
