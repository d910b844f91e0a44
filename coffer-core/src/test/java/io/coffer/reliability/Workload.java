package io.coffer.reliability;

import io.coffer.CreateReport;
import io.coffer.Db;
import io.coffer.DbBuilder;
import io.coffer.TestSeams;
import io.coffer.internal.io.Storage;
import io.coffer.internal.resources.ResourceSample;
import io.coffer.internal.resources.ResourceSampler;
import io.coffer.reports.Code;
import io.coffer.reports.ReadListReport;
import io.coffer.reports.RecordsListReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * A deterministic single-client workload (writes, overwrites, deletes, strict and optional list writes and
 * deletes, "transfer" transactions between four accounts, stop/start, a run that logs nothing, a reopen, bulk
 * loads and follower passes), with its model: the state before every step and the code every step must answer.
 *
 * <p>Every written value is unique ({@code v<step>.<key>...}), so a value that was never written is
 * recognised, and a recovered state is judged by equality with the state after an exact prefix of the steps.
 */
final class Workload {
    static final String TRANSFER = "transfer";
    static final List<String> ACCOUNTS = List.of("acct0", "acct1", "acct2", "acct3");
    static final long OPENING_BALANCE = 1000;
    static final long TOTAL = OPENING_BALANCE * ACCOUNTS.size();

    /** One call of the client. */
    sealed interface Step permits Write, Delete, WriteList, DeleteList, Transfer, UnsafeLoad, Stop, Start, Reopen,
            FollowerPass {
    }

    record Write(String key, String value) implements Step {
    }

    record Delete(String key) implements Step {
    }

    record WriteList(Map<String, String> records, boolean strict) implements Step {
    }

    record DeleteList(List<String> keys, boolean strict) implements Step {
    }

    record Transfer(String from, String to, long amount) implements Step {
    }

    /** {@code writeListUnsafe} while the database is not running. */
    record UnsafeLoad(Map<String, String> records) implements Step {
    }

    record Stop() implements Step {
    }

    record Start() implements Step {
    }

    /** {@code close()}, then {@code create()} on the same storage (a recovery with the database quiet). */
    record Reopen() implements Step {
    }

    /** One deterministic pass of a follower (logsByCheckpoint 1, removeUnlessLogs) on the running database. */
    record FollowerPass() implements Step {
    }

    /** A record of the model: its value and version. */
    record Val(String value, long version) {
    }

    final List<Step> steps;
    /** {@code states.get(i)}: the state before step i; {@code states.get(steps.size())}: the final state. */
    final List<Map<String, Val>> states;
    final List<Code> expected;
    /** Whether step i, answered as expected, writes an operation to the log. */
    final List<Boolean> logs;
    final Set<String> everyValue = new HashSet<>();

    private Workload(List<Step> steps) {
        this.steps = List.copyOf(steps);
        List<Map<String, Val>> states = new ArrayList<>();
        List<Code> expected = new ArrayList<>();
        List<Boolean> logs = new ArrayList<>();
        TreeMap<String, Val> state = new TreeMap<>();
        for (Step step : steps) {
            states.add(Collections.unmodifiableMap(new TreeMap<>(state)));
            TreeMap<String, Val> before = new TreeMap<>(state);
            expected.add(apply(step, state));
            logs.add(isData(step) && !before.equals(state));
            state.values().forEach(v -> everyValue.add(v.value()));
        }
        states.add(Collections.unmodifiableMap(new TreeMap<>(state)));
        this.states = List.copyOf(states);
        this.expected = List.copyOf(expected);
        this.logs = List.copyOf(logs);
    }

    static boolean isData(Step step) {
        return !(step instanceof Stop || step instanceof Start || step instanceof Reopen || step instanceof FollowerPass);
    }

    /** Applies {@code step} to {@code state} as the engine must, and returns the code it must answer. */
    private static Code apply(Step step, TreeMap<String, Val> state) {
        if (step instanceof Write w) {
            put(state, w.key(), w.value());
        } else if (step instanceof Delete d) {
            return state.remove(d.key()) == null ? Code.ERR_NOT_FOUND : Code.OK;
        } else if (step instanceof WriteList wl) {
            if (wl.strict() && wl.records().keySet().stream().anyMatch(state::containsKey)) {
                return Code.ERR_RECORDS_FOUND;
            }
            wl.records().forEach((k, v) -> put(state, k, v));
        } else if (step instanceof UnsafeLoad u) {
            u.records().forEach((k, v) -> put(state, k, v));
        } else if (step instanceof DeleteList dl) {
            if (dl.strict() && !dl.keys().stream().allMatch(state::containsKey)) {
                return Code.ERR_NOT_FOUND;
            }
            dl.keys().forEach(state::remove);
        } else if (step instanceof Transfer t) {
            Val from = state.get(t.from());
            Val to = state.get(t.to());
            state.put(t.from(), new Val(Long.toString(Long.parseLong(from.value()) - t.amount()), from.version() + 1));
            state.put(t.to(), new Val(Long.toString(Long.parseLong(to.value()) + t.amount()), to.version() + 1));
        }
        return Code.OK;
    }

    private static void put(TreeMap<String, Val> state, String key, String value) {
        Val old = state.get(key);
        state.put(key, new Val(value, old == null ? 1 : old.version() + 1));
    }

    /**
     * A workload of about {@code dataSteps} changes from {@code seed}: a bulk load of the accounts, then
     * changes with a stop/start, an empty start/stop, follower passes (when {@code followerPasses}) and a reopen
     * with another bulk load along the way, and a final stop.
     */
    static Workload generate(long seed, int dataSteps, boolean followerPasses) {
        Random random = new Random(seed);
        List<Step> steps = new ArrayList<>();
        Map<String, String> opening = new LinkedHashMap<>();
        for (String account : ACCOUNTS) {
            opening.put(account, Long.toString(OPENING_BALANCE));
        }
        opening.put("k00", value(0, "k00", random));
        steps.add(new UnsafeLoad(opening));
        steps.add(new Start());
        for (int i = 0; i < dataSteps; i++) {
            if (i == dataSteps * 3 / 10) {
                steps.add(new Stop());
                steps.add(new Start());
                steps.add(new Stop()); // a run that logs nothing: its empty log is deleted at stop
                steps.add(new Start());
            }
            if (followerPasses && (i == dataSteps / 2 || i == dataSteps * 8 / 10)) {
                steps.add(new FollowerPass());
            }
            if (i == dataSteps * 6 / 10) {
                steps.add(new Reopen());
                steps.add(new UnsafeLoad(Map.of("k01", value(steps.size(), "k01", random))));
                steps.add(new Start());
            }
            steps.add(dataStep(steps.size(), random));
        }
        steps.add(new Stop());
        return new Workload(steps);
    }

    private static String key(Random random) {
        return String.format("k%02d", random.nextInt(16));
    }

    private static String value(int step, String key, Random random) {
        return "v" + step + "." + key + "x".repeat(random.nextInt(48));
    }

    private static Step dataStep(int index, Random random) {
        int dice = random.nextInt(100);
        if (dice < 32) {
            String key = key(random);
            return new Write(key, value(index, key, random));
        }
        if (dice < 44) {
            return new Delete(key(random));
        }
        if (dice < 60) {
            Map<String, String> records = new LinkedHashMap<>();
            for (int n = 1 + random.nextInt(3); records.size() < n;) {
                String key = key(random);
                records.put(key, value(index, key, random));
            }
            return new WriteList(records, random.nextBoolean());
        }
        if (dice < 68) {
            List<String> keys = new ArrayList<>();
            for (int n = 1 + random.nextInt(2); keys.size() < n;) {
                String key = key(random);
                if (!keys.contains(key)) {
                    keys.add(key);
                }
            }
            return new DeleteList(keys, random.nextBoolean());
        }
        int from = random.nextInt(ACCOUNTS.size());
        int to = (from + 1 + random.nextInt(ACCOUNTS.size() - 1)) % ACCOUNTS.size();
        return new Transfer(ACCOUNTS.get(from), ACCOUNTS.get(to), 1 + random.nextInt(300));
    }

    // ---- the database side -------------------------------------------------------------------------------

    /** Resources are always plentiful: the watcher never refuses and never calls OSHI. */
    static final ResourceSampler PLENTY = () -> ResourceSample.of(1L << 40, 1L << 40, 1L << 40, System.nanoTime());

    /** The builder every reliability test uses: all files in {@code storage}, only the lock file in {@code dir}. */
    static DbBuilder builder(Path dir, Storage storage, int limitRecordsPerLogfile) {
        DbBuilder builder = Db.builder(dir).limitMemory(0).limitDisk(0).followPause(Duration.ofHours(1))
                .limitRecordsPerLogfile(limitRecordsPerLogfile).removeUnlessLogs(true).handler(TRANSFER, Workload::transfer);
        return TestSeams.resourceSampler(TestSeams.storage(builder, storage), PLENTY, Duration.ofHours(1));
    }

    static CreateReport open(Path dir, Storage storage) {
        return builder(dir, storage, Runner.LIMIT_RECORDS_PER_LOGFILE).create();
    }

    /** The "transfer" handler: arg is "from,to,amount". */
    static Map<String, byte[]> transfer(byte[] arg, Map<String, byte[]> records) {
        String[] parts = new String(arg, StandardCharsets.UTF_8).split(",");
        long amount = Long.parseLong(parts[2]);
        long from = Long.parseLong(new String(records.get(parts[0]), StandardCharsets.UTF_8));
        long to = Long.parseLong(new String(records.get(parts[1]), StandardCharsets.UTF_8));
        return Map.of(parts[0], bytes(Long.toString(from - amount)), parts[1], bytes(Long.toString(to + amount)));
    }

    static byte[] arg(Transfer t) {
        return bytes(t.from() + "," + t.to() + "," + t.amount());
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Every record of a created (not running) database, or null with {@code problems} told why. */
    static Map<String, String> readAll(Db db, List<String> problems) {
        RecordsListReport keys = db.recordsListUnsafe();
        if (!keys.isCodeOk()) {
            problems.add("recordsListUnsafe answered " + keys);
            return null;
        }
        ReadListReport read = db.readListUnsafe(keys.keys());
        if (!read.isCodeOk()) {
            problems.add("readListUnsafe answered " + read);
            return null;
        }
        Map<String, String> state = new TreeMap<>();
        read.data().forEach((k, v) -> state.put(k, new String(v, StandardCharsets.UTF_8)));
        return state;
    }

    static Map<String, String> values(Map<String, Val> state) {
        Map<String, String> values = new TreeMap<>();
        state.forEach((k, v) -> values.put(k, v.value()));
        return values;
    }

    /**
     * Null when {@code recovered} equals one of the states after steps {@code candidates}; else what is wrong,
     * judged against the first candidate (the acknowledged state): lost acknowledged changes, values never
     * written, keys that should not exist, broken conservation.
     */
    String judge(Map<String, String> recovered, List<Integer> candidates) {
        for (int candidate : candidates) {
            if (values(states.get(candidate)).equals(recovered)) {
                return null;
            }
        }
        Map<String, String> acked = values(states.get(candidates.get(0)));
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> entry : acked.entrySet()) {
            String got = recovered.get(entry.getKey());
            if (got == null) {
                problems.add("lost " + entry.getKey() + "=" + abbreviate(entry.getValue()));
            } else if (!got.equals(entry.getValue())) {
                problems.add(entry.getKey() + " is " + abbreviate(got) + (everyValue.contains(got) ? "" : " (NEVER WRITTEN)")
                        + " instead of " + abbreviate(entry.getValue()));
            }
        }
        for (Map.Entry<String, String> entry : recovered.entrySet()) {
            if (!acked.containsKey(entry.getKey())) {
                problems.add("unexpected " + entry.getKey() + "=" + abbreviate(entry.getValue())
                        + (everyValue.contains(entry.getValue()) ? "" : " (NEVER WRITTEN)"));
            }
        }
        long total = 0;
        boolean accounts = true;
        for (String account : ACCOUNTS) {
            String balance = recovered.get(account);
            accounts &= balance != null;
            try {
                total += balance == null ? 0 : Long.parseLong(balance);
            } catch (NumberFormatException e) {
                accounts = false;
            }
        }
        if (accounts && total != TOTAL) {
            problems.add("the accounts hold " + total + ", not " + TOTAL);
        }
        return "state matches no allowed prefix (steps " + candidates + "): " + String.join("; ", problems);
    }

    private static String abbreviate(String value) {
        return value.length() <= 14 ? value : value.substring(0, 12) + "..";
    }
}
