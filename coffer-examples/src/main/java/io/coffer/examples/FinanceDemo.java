package io.coffer.examples;

import io.coffer.CreateReport;
import io.coffer.Db;
import io.coffer.reports.TransactionReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The finance demo: many threads move money between accounts at once, and after a restart every cent is
 * where the threads' own bookkeeping says it must be.
 *
 * <ol>
 *   <li>Load N accounts of {@value #INITIAL_BALANCE} each with {@code writeListUnsafe} before {@code start()}.</li>
 *   <li>Run worker threads for a while. Each picks at random: a {@code transfer} between two accounts, a
 *       {@code debit} followed by a {@code credit} of the same amount on one account, or an {@code exchange}
 *       of two balances. None of these changes the total. A handler refuses an overdraft by throwing
 *       ({@code ERR_HANDLER_RETURN}: nothing changed). For every committed transaction the worker adds the
 *       change to a per-account ledger; refused ones change nothing, so they add nothing.</li>
 *   <li>{@code stop()}, then open the directory with a new {@code Db}, read every account and check that
 *       the total is unchanged and that each balance equals its initial balance plus its ledger.</li>
 * </ol>
 *
 * <pre>
 * usage: FinanceDemo [--dir PATH] [--seconds N] [--threads N] [--accounts N]
 * </pre>
 *
 * Exit code 0 when both checks pass, 1 when one fails or a call answers an unexpected code, 2 for bad options.
 */
public final class FinanceDemo {
    static final String ACCOUNT_PREFIX = "acct/";
    static final long INITIAL_BALANCE = 1_000;
    /** Amounts are drawn from 1..MAX_AMOUNT: large enough against the balances that some transfers overdraw. */
    static final long MAX_AMOUNT = 300;
    /** Records per {@code writeListUnsafe} or {@code readList} call, under the default {@code maxRecsPerOperation}. */
    private static final int RECORDS_PER_CALL = 500;
    private static final Duration PROGRESS_EVERY = Duration.ofMillis(200);

    static final String USAGE = "usage: FinanceDemo [--dir PATH] [--seconds N] [--threads N] [--accounts N]\n"
            + "  --dir PATH     an empty or new directory (default: a new one under java.io.tmpdir)\n"
            + "  --seconds N    how long the workers run (default 5)\n"
            + "  --threads N    worker threads (default 8)\n"
            + "  --accounts N   accounts, at least 2 (default 1000)";

    private FinanceDemo() {
    }

    /** The demo's settings; {@code dir} null means a new directory under {@code java.io.tmpdir}. */
    public record Options(Path dir, int seconds, int threads, int accounts) {
        public static Options defaults() {
            return new Options(null, 5, 8, 1000);
        }

        /** Parses the command line; throws {@link IllegalArgumentException} with a message for bad options. */
        public static Options parse(String... args) {
            Options options = defaults();
            for (int i = 0; i < args.length; i += 2) {
                String flag = args[i];
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException(flag + " needs a value");
                }
                String value = args[i + 1];
                options = switch (flag) {
                    case "--dir" -> new Options(Path.of(value), options.seconds, options.threads, options.accounts);
                    case "--seconds" -> new Options(options.dir, atLeast(1, flag, value), options.threads, options.accounts);
                    case "--threads" -> new Options(options.dir, options.seconds, atLeast(1, flag, value), options.accounts);
                    case "--accounts" -> new Options(options.dir, options.seconds, options.threads, atLeast(2, flag, value));
                    default -> throw new IllegalArgumentException("unknown option " + flag);
                };
            }
            return options;
        }

        private static int atLeast(int min, String flag, String value) {
            try {
                int n = Integer.parseInt(value);
                if (n >= min) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // fall through to the message below
            }
            throw new IllegalArgumentException(flag + " needs a whole number of at least " + min + ", not '" + value + "'");
        }
    }

    /** What a run did and what the check after the restart found. */
    public record Result(
            Path dir,
            int accounts,
            int threads,
            long operations,
            long refused,
            Duration elapsed,
            long totalBefore,
            Verification afterRestart,
            Map<String, Long> expectedBalances,
            String failure) {

        /** The total after the restart equals the total before the workers started. */
        public boolean conserved() {
            return afterRestart.total() == totalBefore;
        }

        /** No call answered an unexpected code, and every account read after the restart is as expected. */
        public boolean restartCheckPassed() {
            return failure == null && afterRestart.mismatches().isEmpty();
        }

        public boolean passed() {
            return conserved() && restartCheckPassed();
        }

        public double opsPerSecond() {
            return operations / Math.max(elapsed.toNanos() / 1e9, 1e-9);
        }
    }

    /** The accounts read back from a reopened directory: their total, how many, and any that differ from the ledger. */
    public record Verification(long total, int accounts, List<String> mismatches) {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(USAGE);
            return;
        }
        try {
            Result result = run(Options.parse(args));
            printSummary(result);
            if (!result.passed()) {
                System.exit(1);
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        } catch (Check.Failed e) {
            System.out.println();
            System.err.println("FAILED: " + e.getMessage());
            System.exit(1);
        }
    }

    public static Result run(Options options) throws IOException, InterruptedException {
        Path dir = options.dir() != null ? options.dir() : Files.createTempDirectory("coffer-finance-");
        List<String> accounts = accountKeys(options.accounts());
        System.out.printf("Coffer finance demo: %,d accounts of %,d, %d threads for %d s, in %s%n",
                options.accounts(), INITIAL_BALANCE, options.threads(), options.seconds(), dir);

        Ledger ledger = new Ledger(accounts);
        Workload workload;
        long totalBefore;
        try (Db db = open(dir)) {
            long existing = Check.ok(db.countUnsafe(), "count records").count();
            if (existing > 0) {
                throw new IllegalArgumentException(dir + " already holds " + existing + " records; give an empty or new --dir");
            }
            for (List<String> chunk : chunks(accounts)) {
                Map<String, byte[]> opening = new LinkedHashMap<>();
                chunk.forEach(account -> opening.put(account, FinanceHandlers.amount(INITIAL_BALANCE)));
                Check.ok(db.writeListUnsafe(opening), "load accounts");
            }
            Check.ok(db.start(), "start");
            totalBefore = sum(readBalances(db, accounts));

            workload = new Workload(db, accounts, ledger);
            workload.run(options.threads(), Duration.ofSeconds(options.seconds()));

            Check.ok(db.stop(), "stop");
        }

        System.out.println("Stopped. Reopening " + dir + " with a new Db to check every balance...");
        Map<String, Long> expected = ledger.expectedBalances();
        Verification afterRestart = verify(dir, expected);
        return new Result(dir, accounts.size(), options.threads(), workload.operations.sum(), workload.refused.sum(),
                workload.elapsed, totalBefore, afterRestart, expected, workload.failure.get());
    }

    /** Opens {@code dir} with a new {@code Db}, reads every account and compares it with {@code expected}. */
    public static Verification verify(Path dir, Map<String, Long> expected) {
        try (Db db = open(dir)) {
            Check.ok(db.start(), "start after reopening");
            List<String> keys = Check.ok(db.recordsListWithPrefix(ACCOUNT_PREFIX), "list accounts").keys();
            Map<String, Long> found = readBalances(db, keys);
            Check.ok(db.stop(), "stop after checking");

            List<String> mismatches = new ArrayList<>();
            TreeSet<String> all = new TreeSet<>(expected.keySet());
            all.addAll(found.keySet());
            for (String account : all) {
                Long want = expected.get(account);
                Long have = found.get(account);
                if (!Objects.equals(want, have)) {
                    mismatches.add(account + ": expected " + (want == null ? "no account" : want)
                            + ", found " + (have == null ? "no account" : have));
                }
            }
            return new Verification(sum(found), found.size(), mismatches);
        }
    }

    private static Db open(Path dir) {
        CreateReport created = Check.ok(Db.builder(dir).handlers(FinanceHandlers.all()).create(), "create " + dir);
        created.warnings().forEach(warning -> System.err.println("warning: " + warning));
        return created.db();
    }

    private static Map<String, Long> readBalances(Db db, List<String> accounts) {
        Map<String, Long> balances = new TreeMap<>();
        for (List<String> chunk : chunks(accounts)) {
            Check.ok(db.readList(chunk), "read accounts")
                    .data()
                    .forEach((account, value) -> balances.put(account, FinanceHandlers.balance(value)));
        }
        return balances;
    }

    /**
     * The worker threads and their counters. A worker picks an operation at random, runs it, and books
     * what committed into the ledger, until the time is up or some call answers an unexpected code.
     */
    private static final class Workload {
        private final Db db;
        private final List<String> accounts;
        private final Ledger ledger;
        /** Transactions answered: committed plus refused. */
        private final LongAdder operations = new LongAdder();
        /** Transactions a handler refused (an overdraft); each changed nothing. */
        private final LongAdder refused = new LongAdder();
        /** The first unexpected answer or exception; set once, it stops every worker. */
        private final AtomicReference<String> failure = new AtomicReference<>();
        private volatile long deadline;
        private Duration elapsed = Duration.ZERO;

        Workload(Db db, List<String> accounts, Ledger ledger) {
            this.db = db;
            this.accounts = accounts;
            this.ledger = ledger;
        }

        void run(int threads, Duration duration) throws InterruptedException {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            long start = System.nanoTime();
            deadline = start + duration.toNanos();
            for (int i = 0; i < threads; i++) {
                pool.execute(this::work);
            }
            pool.shutdown();
            while (!pool.awaitTermination(PROGRESS_EVERY.toMillis(), TimeUnit.MILLISECONDS)) {
                printProgress(start);
            }
            elapsed = Duration.ofNanos(System.nanoTime() - start);
            printProgress(start);
            System.out.println();
            if (failure.get() != null) {
                System.out.println("Stopped early: " + failure.get());
            }
        }

        private void work() {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            try {
                while (System.nanoTime() < deadline && failure.get() == null) {
                    int dice = random.nextInt(100);
                    if (dice < 90) {
                        transfer(random);
                    } else if (dice < 95) {
                        debitThenCredit(random);
                    } else {
                        exchange(random);
                    }
                }
            } catch (RuntimeException e) {
                failure.compareAndSet(null, "a worker crashed: " + e);
            }
        }

        private void transfer(ThreadLocalRandom random) {
            String from = pick(random);
            String to = pickOther(random, from);
            long amount = 1 + random.nextLong(MAX_AMOUNT);
            TransactionReport report = db.transaction(FinanceHandlers.TRANSFER, List.of(from, to),
                    FinanceHandlers.transferArg(from, amount));
            if (committed(report)) {
                ledger.add(from, -amount);
                ledger.add(to, amount);
            }
        }

        /** Takes money out and puts it back: each step is its own transaction, and each is booked. */
        private void debitThenCredit(ThreadLocalRandom random) {
            String account = pick(random);
            long amount = 1 + random.nextLong(MAX_AMOUNT);
            if (!committed(db.transaction(FinanceHandlers.DEBIT, List.of(account), FinanceHandlers.amount(amount)))) {
                return; // refused: nothing was taken, so nothing goes back
            }
            ledger.add(account, -amount);
            if (committed(db.transaction(FinanceHandlers.CREDIT, List.of(account), FinanceHandlers.amount(amount)))) {
                ledger.add(account, amount);
            }
        }

        /** Swaps two balances; the report's data holds the new values, from which the changes follow. */
        private void exchange(ThreadLocalRandom random) {
            String a = pick(random);
            String b = pickOther(random, a);
            TransactionReport report = db.transaction(FinanceHandlers.EXCHANGE, List.of(a, b), null);
            if (committed(report)) {
                long newA = FinanceHandlers.balance(report.data().get(a));
                long newB = FinanceHandlers.balance(report.data().get(b)); // the old balance of a
                ledger.add(a, newA - newB);
                ledger.add(b, newB - newA);
            }
        }

        /**
         * Counts an answer and says whether it committed. ERR_HANDLER_RETURN is a refused overdraft (the demo's
         * requests are otherwise well formed): expected, nothing changed. Any other code is a failure.
         */
        private boolean committed(TransactionReport report) {
            operations.increment();
            if (report.isCodeOk()) {
                return true;
            }
            if (report.isCodeErrHandlerReturn()) {
                refused.increment();
            } else {
                failure.compareAndSet(null, "unexpected answer: " + report);
            }
            return false;
        }

        private String pick(ThreadLocalRandom random) {
            return accounts.get(random.nextInt(accounts.size()));
        }

        private String pickOther(ThreadLocalRandom random, String account) {
            String other = accounts.get(random.nextInt(accounts.size() - 1));
            return other.equals(account) ? accounts.get(accounts.size() - 1) : other;
        }

        private void printProgress(long start) {
            double seconds = Math.max((System.nanoTime() - start) / 1e9, 1e-9);
            long ops = operations.sum();
            System.out.printf("\r  %5.1f s  %,12d operations  %,10.0f ops/s  %,9d refused overdrafts ",
                    seconds, ops, ops / seconds, refused.sum());
            System.out.flush();
        }
    }

    /** What the workers expect each balance to be: the initial balance plus every committed change. */
    private static final class Ledger {
        private final Map<String, LongAdder> deltas = new ConcurrentHashMap<>();

        Ledger(List<String> accounts) {
            accounts.forEach(account -> deltas.put(account, new LongAdder()));
        }

        void add(String account, long delta) {
            deltas.get(account).add(delta);
        }

        Map<String, Long> expectedBalances() {
            Map<String, Long> expected = new TreeMap<>();
            deltas.forEach((account, delta) -> expected.put(account, INITIAL_BALANCE + delta.sum()));
            return expected;
        }
    }

    private static void printSummary(Result r) {
        Verification after = r.afterRestart();
        System.out.println();
        System.out.printf("  %-15s %,d%n", "accounts", r.accounts());
        System.out.printf("  %-15s %d%n", "threads", r.threads());
        System.out.printf("  %-15s %,d in %.1f s%n", "operations", r.operations(), r.elapsed().toMillis() / 1000.0);
        System.out.printf("  %-15s %,.0f%n", "ops/s", r.opsPerSecond());
        System.out.printf("  %-15s %,d overdrafts (each changed nothing)%n", "refused", r.refused());
        System.out.printf("  %-15s %,d%n", "total before", r.totalBefore());
        System.out.printf("  %-15s %,d  %s%n", "total after", after.total(), r.conserved() ? "conserved" : "NOT CONSERVED");
        System.out.printf("  %-15s %s%n", "restart check", r.restartCheckPassed()
                ? String.format("OK: all %,d balances as the workers booked them", after.accounts())
                : String.format("FAILED: %,d of %,d accounts differ", after.mismatches().size(), r.accounts()));
        System.out.printf("  %-15s %s%n", "directory", r.dir());
        if (r.failure() != null) {
            System.out.println("  failure: " + r.failure());
        }
        after.mismatches().stream().limit(5).forEach(m -> System.out.println("  " + m));
    }

    private static List<String> accountKeys(int count) {
        List<String> keys = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            keys.add(String.format("%s%06d", ACCOUNT_PREFIX, i));
        }
        return keys;
    }

    private static List<List<String>> chunks(List<String> keys) {
        List<List<String>> chunks = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += RECORDS_PER_CALL) {
            chunks.add(keys.subList(from, Math.min(from + RECORDS_PER_CALL, keys.size())));
        }
        return chunks;
    }

    private static long sum(Map<String, Long> balances) {
        return balances.values().stream().mapToLong(Long::longValue).sum();
    }
}
