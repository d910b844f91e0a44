package io.coffer.crash;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.coffer.CreateReport;
import io.coffer.Db;
import io.coffer.reports.DeleteListReport;
import io.coffer.reports.ReadListReport;
import io.coffer.reports.Report;
import io.coffer.testing.Seeds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * R1 and GUARANTEES 1, 9-11: a child JVM ({@link CrashChild}) under concurrent load (writers, overwriters
 * of hot keys, deleters, transfers between accounts) with a follower checkpointing all the time is killed
 * with SIGKILL at a seeded random moment, many times over on the same directory. After every kill the
 * directory is reopened and judged against what the child printed:
 * <ul>
 *   <li>{@code create()} and {@code start()} answer OK: a kill never justifies a refusal;</li>
 *   <li>each key holds the result of an operation that may have been the last to commit on it: an
 *       acknowledged one that no later-started acknowledged operation on the key must follow, or one still
 *       in flight (announced, never acknowledged). So every acknowledged change is there unless a later one
 *       replaced it, and no value that was never written appears;</li>
 *   <li>a writeList in flight is there entirely or not at all;</li>
 *   <li>the accounts all exist or none do, and their balances sum to exactly what they started with.</li>
 * </ul>
 * "Later" is by real time: an operation that started after another was acknowledged must commit after it.
 * The order of ACK lines of different threads is not the commit order, so it is never used as one.
 *
 * <p>The kill moment is chosen per cycle from the seed: after a number of acknowledgements, after a delay
 * since READY, or a delay after launch (often during recovery, so a crash during recovery is covered too,
 * GUARANTEES 11). The ack count reached by a given delay varies between runs, so a seed replays the same
 * plan, not the same instant.
 */
class KillNineTest {
    /** Non-account, non-hot keys kept in the directory; beyond it the parent deletes old keys. */
    private static final int MAX_KEYS = 4000;

    @TempDir
    Path work;

    /** A backstop only: every cycle has its own deadlines (60 s to make progress, 30 s to die and drain). */
    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void aChildKilledAtRandomMomentsUnderLoadLosesNoAcknowledgedChangeAndConservesEveryTransfer() throws Exception {
        run("KillNineTest", Integer.getInteger("coffer.crash.cycles", 60));
    }

    @Test
    @Tag("stress")
    @Timeout(value = 6, unit = TimeUnit.HOURS)
    void thousandsOfKillsOnOneDirectoryLoseNothingAcknowledged() throws Exception {
        run("KillNineTest(stress)", Integer.getInteger("coffer.crash.stressCycles", 3000));
    }

    private static List<String> childOptions() {
        List<String> options = new ArrayList<>(List.of("-Xmx256m"));
        options.addAll(ChildJvm.FAST_START);
        return options;
    }

    private void run(String name, int cycles) throws Exception {
        long seed = Seeds.seed(name);
        Random random = new Random(seed);
        Path dir = work.resolve("db");
        Path stderr = work.resolve("child.err");
        Map<String, String> model = new HashMap<>();
        long started = System.nanoTime();
        long acks = 0;
        int[] plans = new int[3];
        long readyNanos = 0;
        int readies = 0;
        long judgeNanos = 0;
        for (int cycle = 0; cycle < cycles; cycle++) {
            Cycle result = new Cycle(seed, cycle, dir, stderr, random.nextLong()).run();
            plans[result.plan]++;
            acks += result.acks;
            if (result.readyNanos >= 0) {
                readyNanos += result.readyNanos;
                readies++;
            }
            long judging = System.nanoTime();
            Map<String, String> recovered = result.judge(model);
            judgeNanos += System.nanoTime() - judging;
            model = recovered;
            if (cycle % 50 == 49 || cycle == cycles - 1) {
                System.out.printf("%s seed=%d: %d cycles, %d acks, %d keys, %.1f s (plans: %d by acks, %d after READY, %d at"
                        + " launch; launch to READY %.2f s on average; reopening and judging %.1f s in all)%n", name, seed,
                        cycle + 1, acks, model.size(), (System.nanoTime() - started) / 1e9, plans[0], plans[1], plans[2],
                        readies == 0 ? 0 : readyNanos / 1e9 / readies, judgeNanos / 1e9);
            }
        }
    }

    /** One launch, kill and judgement. */
    private final class Cycle {
        private final long seed;
        private final int cycle;
        private final Path dir;
        private final Path stderr;
        private final Random random;
        private final List<String> lines = new ArrayList<>();
        int plan;
        int acks;
        long readyNanos = -1;

        Cycle(long seed, int cycle, Path dir, Path stderr, long cycleSeed) {
            this.seed = seed;
            this.cycle = cycle;
            this.dir = dir;
            this.stderr = stderr;
            this.random = new Random(cycleSeed);
        }

        private String where() {
            return "seed=" + seed + " cycle=" + cycle;
        }

        Cycle run() throws Exception {
            int choice = random.nextInt(10);
            plan = choice < 7 ? 0 : choice < 9 ? 1 : 2;
            int killAfterAcks = 50 + random.nextInt(1200);
            long delayNanos = TimeUnit.MILLISECONDS.toNanos(plan == 1 ? 20 + random.nextInt(1500) : random.nextInt(700));
            Process child = ChildJvm.start(ChildJvm.command(childOptions(),
                    CrashChild.class, dir.toString(), Long.toString(random.nextLong()), Integer.toString(cycle)), stderr);
            try {
                ChildJvm.Lines out = new ChildJvm.Lines(child.getInputStream(), "kill-nine-reader");
                long launched = System.nanoTime();
                long giveUp = launched + TimeUnit.SECONDS.toNanos(60);
                long killAt = plan == 2 ? launched + delayNanos : Long.MAX_VALUE;
                boolean eof = false;
                while (true) {
                    long now = System.nanoTime();
                    if (now >= killAt || (plan == 0 && acks >= killAfterAcks)) {
                        break;
                    }
                    if (now >= giveUp) {
                        fail(where() + ": the child made no progress in 60 s (" + acks + " acks)\n" + ChildJvm.tail(stderr, 4000));
                    }
                    String line = out.poll(Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(killAt, giveUp) - now)));
                    if (line == null) {
                        continue;
                    }
                    if (line.equals(ChildJvm.Lines.EOF)) {
                        eof = true;
                        break;
                    }
                    take(line);
                    if (line.equals("READY")) {
                        readyNanos = System.nanoTime() - launched;
                        if (plan == 1) {
                            killAt = System.nanoTime() + delayNanos;
                        }
                    }
                }
                if (eof) {
                    child.waitFor(30, TimeUnit.SECONDS);
                    fail(where() + ": the child ended by itself (exit " + child.exitValue() + ") before the kill\n"
                            + lastLines(20) + "\n" + ChildJvm.tail(stderr, 4000));
                }
                // SIGKILL through the process handle: Process.destroyForcibly() would also close our end of the
                // pipe, losing what the child wrote before it died, which is still in the pipe and still true.
                child.toHandle().destroyForcibly();
                long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                String line;
                while (!ChildJvm.Lines.EOF.equals(line = out.poll(1000))) {
                    if (line != null) {
                        take(line);
                    }
                    if (System.nanoTime() > drainUntil) {
                        fail(where() + ": the child's output did not end within 30 s of the kill");
                    }
                }
                assertTrue(child.waitFor(30, TimeUnit.SECONDS), where() + ": the killed child did not exit");
                if (out.failure() != null) {
                    fail(where() + ": reading the child's output failed, so the ledger is incomplete: " + out.failure());
                }
            } finally {
                ChildJvm.kill(child);
            }
            return this;
        }

        private void take(String line) {
            if (line.startsWith("FAIL")) {
                fail(where() + ": the child got an unexpected answer: " + line + "\n" + ChildJvm.tail(stderr, 4000));
            }
            if (line.startsWith("BEFORE ") || line.startsWith("ACK ") || line.startsWith("NOTFOUND ") || line.equals("READY")) {
                lines.add(line);
                if (line.startsWith("ACK ")) {
                    acks++;
                }
            }
        }

        private String lastLines(int n) {
            return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        }

        /** Reopens the directory, checks it against the model and the lines, and returns what it holds. */
        Map<String, String> judge(Map<String, String> model) throws IOException {
            Path copy = work.resolve("as-killed");
            copyDir(dir, copy);
            Map<String, String> recovered;
            CreateReport created = CrashChild.builder(dir).create();
            if (!created.isCodeOk()) {
                keep(copy);
                fail(where() + ": create() after a kill refused the directory: " + created + "\nfiles: " + listing(copy));
            }
            try (Db db = created.db()) {
                Report started = db.start();
                if (!started.isCodeOk()) {
                    keep(copy);
                    fail(where() + ": start() after a kill failed: " + started);
                }
                recovered = readAll(db);
                List<String> violations = check(model, recovered);
                if (!violations.isEmpty()) {
                    Path kept = keep(copy);
                    fail(where() + ": " + violations.size() + " violations after recovery (directory as killed kept in " + kept
                            + "; warnings " + created.warnings() + "):\n" + String.join("\n", violations.subList(0,
                                    Math.min(20, violations.size()))));
                }
                trim(db, recovered);
                if (random.nextBoolean()) {
                    assertTrue(db.stopHard().isCodeOk(), where());
                }
            }
            return recovered;
        }

        /** Keeps the number of keys bounded over thousands of cycles: deletes the oldest-named ones. */
        private void trim(Db db, Map<String, String> recovered) {
            List<String> plain = new ArrayList<>();
            for (String key : recovered.keySet()) {
                if (key.startsWith("c")) {
                    plain.add(key);
                }
            }
            if (plain.size() <= MAX_KEYS) {
                return;
            }
            plain.sort(Comparator.naturalOrder());
            List<String> victims = plain.subList(0, plain.size() - MAX_KEYS / 2);
            for (int from = 0; from < victims.size(); from += 500) {
                List<String> chunk = victims.subList(from, Math.min(victims.size(), from + 500));
                DeleteListReport report = db.deleteListOptional(chunk);
                assertTrue(report.isCodeOk(), () -> where() + ": trimming failed: " + report);
                chunk.forEach(recovered::remove);
            }
        }

        private Map<String, String> readAll(Db db) {
            List<String> keys = db.recordsList().keys();
            Map<String, String> all = new HashMap<>();
            for (int from = 0; from < keys.size(); from += 500) {
                ReadListReport report = db.readList(keys.subList(from, Math.min(keys.size(), from + 500)));
                assertTrue(report.isCodeOk(), () -> where() + ": reading back failed: " + report);
                report.data().forEach((key, value) -> all.put(key, CrashChild.isAccount(key)
                        ? Long.toString(CrashChild.balance(value)) : new String(value, StandardCharsets.UTF_8)));
            }
            assertTrue(all.size() == db.count().count(), where() + ": count() disagrees with the records listed");
            return all;
        }

        /** Every violation of the rules in the class comment, one line each. */
        List<String> check(Map<String, String> model, Map<String, String> recovered) {
            List<Op> ops = parse();
            Map<String, List<Effect>> byKey = new TreeMap<>();
            for (Op op : ops) {
                for (Effect effect : op.effects) {
                    byKey.computeIfAbsent(effect.key, k -> new ArrayList<>()).add(effect);
                }
            }
            List<String> violations = new ArrayList<>();
            Set<String> keys = new TreeSet<>(model.keySet());
            keys.addAll(byKey.keySet());
            keys.addAll(recovered.keySet());
            for (String key : keys) {
                Optional<String> now = Optional.ofNullable(recovered.get(key));
                Set<Optional<String>> allowed = allowed(Optional.ofNullable(model.get(key)), byKey.getOrDefault(key, List.of()));
                if (!allowed.contains(now)) {
                    boolean written = now.isEmpty() || Objects.equals(model.get(key), now.get())
                            || byKey.getOrDefault(key, List.of()).stream().anyMatch(e -> now.get().equals(e.value));
                    violations.add((written ? "" : "PHANTOM ") + "key " + key + " holds " + now.orElse("(absent)")
                            + "; allowed " + show(allowed) + "; before this run " + Optional.ofNullable(model.get(key)).orElse("(absent)")
                            + "; operations " + byKey.getOrDefault(key, List.of()));
                }
            }
            for (Op op : ops) {
                if (op.kind == 'L' && op.ack < 0) {
                    long present = op.effects.stream().filter(e -> e.value.equals(recovered.get(e.key))).count();
                    if (present != 0 && present != op.effects.size()) {
                        violations.add("writeList in flight applied in part (" + present + " of " + op.effects.size() + "): " + op);
                    }
                }
            }
            long accounts = 0;
            long sum = 0;
            for (int i = 0; i < CrashChild.ACCOUNTS; i++) {
                String balance = recovered.get(CrashChild.account(i));
                if (balance != null) {
                    accounts++;
                    sum += Long.parseLong(balance);
                }
            }
            if (accounts != 0 && accounts != CrashChild.ACCOUNTS) {
                violations.add("only " + accounts + " of " + CrashChild.ACCOUNTS + " accounts exist");
            } else if (accounts != 0 && sum != CrashChild.ACCOUNTS * CrashChild.INITIAL_BALANCE) {
                violations.add("the balances sum to " + sum + ", not " + CrashChild.ACCOUNTS * CrashChild.INITIAL_BALANCE);
            }
            return violations;
        }

        /**
         * The states {@code key} may be in: the result of any operation that may have committed last. An
         * acknowledged operation (or the state before this run, acknowledged "at the start of time") can be
         * last only if no acknowledged operation on the key started after it was acknowledged. An operation
         * in flight can always be last; one in flight transfer adds its amount to whatever came before it.
         */
        private Set<Optional<String>> allowed(Optional<String> before, List<Effect> effects) {
            int lastAckedStart = -1;
            for (Effect effect : effects) {
                if (effect.op.ack >= 0) {
                    lastAckedStart = Math.max(lastAckedStart, effect.op.before);
                }
            }
            Set<Optional<String>> bases = new LinkedHashSet<>();
            if (lastAckedStart < 0) {
                bases.add(before);
            }
            List<Long> deltas = new ArrayList<>();
            for (Effect effect : effects) {
                boolean acked = effect.op.ack >= 0;
                if (effect.delta != null && !acked) {
                    deltas.add(effect.delta);
                } else if (!acked || effect.op.ack > lastAckedStart) {
                    bases.add(Optional.ofNullable(effect.value));
                }
            }
            Set<Optional<String>> allowed = new LinkedHashSet<>(bases);
            for (Optional<String> base : bases) {
                if (base.isEmpty() || deltas.isEmpty()) {
                    continue;
                }
                long balance = Long.parseLong(base.get());
                for (int subset = 1; subset < 1 << deltas.size(); subset++) {
                    long sum = balance;
                    for (int i = 0; i < deltas.size(); i++) {
                        if ((subset & (1 << i)) != 0) {
                            sum += deltas.get(i);
                        }
                    }
                    allowed.add(Optional.of(Long.toString(sum)));
                }
            }
            return allowed;
        }

        private String show(Set<Optional<String>> states) {
            List<String> shown = new ArrayList<>();
            for (Optional<String> state : states) {
                shown.add(state.orElse("(absent)"));
            }
            return shown.toString();
        }

        /** The operations of this run, from the lines: started at {@code before}, acknowledged at {@code ack} or -1. */
        private List<Op> parse() {
            List<Op> ops = new ArrayList<>();
            Map<String, Op> open = new HashMap<>();
            for (int index = 0; index < lines.size(); index++) {
                String[] f = lines.get(index).split(" ");
                if (f[0].equals("READY")) {
                    continue;
                }
                String thread = f[1];
                if (f[0].equals("BEFORE")) {
                    Op op = new Op(index, f);
                    if (open.put(thread, op) != null) {
                        fail(where() + ": protocol: two operations in flight on " + thread);
                    }
                    ops.add(op);
                    continue;
                }
                Op op = open.remove(thread);
                if (op == null || !lines.get(index).substring(f[0].length()).startsWith(lines.get(op.before).substring(6))) {
                    fail(where() + ": protocol: " + lines.get(index) + " answers no BEFORE line");
                }
                if (f[0].equals("NOTFOUND")) {
                    op.effects.clear(); // it changed nothing
                } else {
                    op.acknowledge(index, f);
                }
            }
            return ops;
        }
    }

    /** One change an operation makes to one key: a value (null for a delete) or, for a transfer, an amount. */
    private static final class Effect {
        final Op op;
        final String key;
        /** The value written; for an acknowledged transfer the balance it left; null for a delete. */
        String value;
        /** For a transfer: the amount added to this key. */
        final Long delta;

        Effect(Op op, String key, String value, Long delta) {
            this.op = op;
            this.key = key;
            this.value = value;
            this.delta = delta;
        }

        @Override
        public String toString() {
            String what = delta != null ? "T" + (delta > 0 ? "+" : "") + delta + (value != null ? "=" + value : "")
                    : value == null ? "D" : "W " + value;
            return "[" + op.thread + " " + what + " @" + op.before + (op.ack >= 0 ? " ack@" + op.ack : " in flight") + "]";
        }
    }

    private static final class Op {
        final int before;
        final String thread;
        final char kind;
        final List<Effect> effects = new ArrayList<>();
        int ack = -1;

        Op(int before, String[] f) {
            this.before = before;
            this.thread = f[1];
            this.kind = f[2].charAt(0);
            switch (kind) {
                case 'W' -> effects.add(new Effect(this, f[3], f[4], null));
                case 'L' -> {
                    for (int i = 3; i + 1 < f.length; i += 2) {
                        effects.add(new Effect(this, f[i], f[i + 1], null));
                    }
                }
                case 'D' -> effects.add(new Effect(this, f[3], null, null));
                case 'T' -> {
                    long amount = Long.parseLong(f[5]);
                    effects.add(new Effect(this, f[3], null, -amount));
                    effects.add(new Effect(this, f[4], null, amount));
                }
                default -> throw new IllegalArgumentException("unknown operation " + String.join(" ", f));
            }
        }

        void acknowledge(int index, String[] f) {
            ack = index;
            if (kind == 'T') {
                effects.get(0).value = f[6];
                effects.get(1).value = f[7];
            }
        }

        @Override
        public String toString() {
            return thread + " " + kind + " " + effects;
        }
    }

    // ---- files -------------------------------------------------------------------------------------------------

    private static void copyDir(Path from, Path to) throws IOException {
        deleteDir(to);
        Files.createDirectories(to);
        if (!Files.isDirectory(from)) {
            return;
        }
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                try {
                    Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                } catch (java.nio.file.NoSuchFileException e) {
                    // nothing runs on the directory now; a vanished entry would only be the lock file
                }
            }
        }
    }

    static void deleteDir(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Keeps a failing directory under target/ for a post-mortem. */
    private static Path keep(Path copy) throws IOException {
        Path kept = Path.of("target", "kill-nine-failure-" + System.currentTimeMillis()).toAbsolutePath();
        copyDir(copy, kept);
        return kept;
    }

    private static String listing(Path dir) throws IOException {
        Set<String> names = new HashSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> {
                try {
                    names.add(f.getFileName() + " (" + Files.size(f) + " bytes)");
                } catch (IOException e) {
                    names.add(f.getFileName() + " (?)");
                }
            });
        }
        return new TreeSet<>(names).toString();
    }
}
