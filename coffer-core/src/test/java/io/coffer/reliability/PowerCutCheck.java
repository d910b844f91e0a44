package io.coffer.reliability;

import io.coffer.CreateReport;
import io.coffer.Db;
import io.coffer.internal.files.DbFiles;
import io.coffer.internal.wal.LogFormat;
import io.coffer.reliability.SimStorage.Mode;
import io.coffer.reliability.Workload.Val;
import io.coffer.reports.ReadReport;
import io.coffer.reports.Report;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * R2, R3, R8, R9, R10, R16: the workload is cut by a power loss before every one of its I/O operations in
 * turn; each time, crash images of what the disk could hold are recovered twice and judged. The same cut is
 * also taken as a kill -9, after which the page cache survives: the next process opens what it holds, makes
 * a change, and then the power fails ({@link #checkNextProcess}).
 *
 * <p>For every image: {@code create()} must succeed (a power cut never justifies refusing), the state must
 * be the acknowledged state, or that plus the one change in flight at the cut; a second recovery of the
 * same image must give the same state with no warning; the versions must be the model's after a start. For
 * a recovery that repairs the image, a power cut at each of its own operations followed by a crash image
 * must recover to the same state again.
 */
final class PowerCutCheck {
    /** The key the next process writes in {@link #checkNextProcess}; no workload uses it. */
    private static final String NEXT_PROCESS_KEY = "next-process";

    /**
     * @param seed          the workload's and the images' seed
     * @param dataSteps     changes in the workload (lifecycle steps come on top)
     * @param randomImages  RANDOM crash images per cut point, besides the DROP_UNSYNCED one
     * @param deep          also check versions after a start, and cut each recovery's own operations (R10)
     * @param onlyCut       a single cut point to replay, or 0 for all of them
     */
    record Params(long seed, int dataSteps, int randomImages, boolean deep, boolean ackInvariant, long onlyCut) {
    }

    /**
     * What a check found.
     *
     * @param inFlightPresent images whose recovery showed the change in flight at the cut
     * @param repaired        images whose first recovery wrote to the storage (cut a torn tail, deleted a leftover,
     *                        wrote the last frame again: since that last one, nearly every image with a log)
     * @param recoveryCuts    power cuts made inside those repairing recoveries (R10)
     */
    record Result(long cutPoints, long images, long inFlightPresent, long repaired, long recoveryCuts,
            List<String> violations) {
        String summary() {
            return cutPoints + " cut points, " + images + " crash images (" + inFlightPresent + " with the change in flight, "
                    + repaired + " repaired by recovery, " + recoveryCuts + " power cuts during recovery)";
        }
    }

    /** Counters shared by the workers. */
    private static final class Stats {
        final AtomicLong images = new AtomicLong();
        final AtomicLong inFlightPresent = new AtomicLong();
        final AtomicLong repaired = new AtomicLong();
        final AtomicLong recoveryCuts = new AtomicLong();
    }

    private final Params params;
    private final Workload workload;
    private final List<String> violations;
    private final Stats stats;

    private PowerCutCheck(Params params, Workload workload, List<String> violations, Stats stats) {
        this.params = params;
        this.workload = workload;
        this.violations = violations;
        this.stats = stats;
    }

    /** A judge of recovered images of {@code workload}, for other checks (its statistics are discarded). */
    static PowerCutCheck judge(Workload workload, boolean deep, List<String> violations) {
        return new PowerCutCheck(new Params(0, 0, 0, deep, true, 0), workload, violations, new Stats());
    }

    static Workload workload(Params params) {
        return Workload.generate(params.seed(), params.dataSteps(), true);
    }

    /**
     * Runs the workload once cleanly (R16 and the op count), then once per cut point on {@code threads} threads,
     * each using its own directory under {@code work} for the lock file.
     */
    static Result run(Params params, Path work, int threads, long timeoutSeconds) throws Exception {
        Workload workload = workload(params);
        Stats stats = new Stats();
        List<String> found = new ArrayList<>();
        long total = new PowerCutCheck(params, workload, found, stats).clean(Parallel.dir(work, 0));
        if (!found.isEmpty()) {
            return new Result(0, 0, 0, 0, 0, found);
        }
        long first = params.onlyCut() > 0 ? params.onlyCut() : 1;
        long last = params.onlyCut() > 0 ? params.onlyCut() : total;
        List<String> violations = Parallel.forEach(first, last, threads, work, timeoutSeconds, (k, dir, worker) -> {
            List<String> local = new ArrayList<>();
            new PowerCutCheck(params, workload, local, stats).cutAt(k, dir);
            return local;
        });
        return new Result(last - first + 1, stats.images.get(), stats.inFlightPresent.get(), stats.repaired.get(),
                stats.recoveryCuts.get(), violations);
    }

    /** The clean run: answers as modelled, a clean stop leaves everything durable and one checkpoint (R16). */
    private long clean(Path dir) {
        SimStorage storage = new SimStorage(dir);
        Runner.Outcome outcome = Runner.run(workload, storage, dir, params.ackInvariant());
        violations.addAll(outcome.violations());
        if (outcome.end() != workload.steps.size()) {
            violations.add("the clean run stopped at step " + outcome.end());
        }
        if (!storage.fullyDurable()) {
            violations.add("R16: after a clean stop not everything is durable: " + storage.describe());
        }
        List<String> files = storage.names();
        long checkpoints = files.stream().filter(f -> f.endsWith(DbFiles.CHECKPOINT)).count();
        boolean records = files.stream().anyMatch(f -> f.endsWith(DbFiles.CHECK)
                || f.endsWith(DbFiles.LOG) && storage.read(f).length > LogFormat.HEADER_BYTES);
        if (checkpoints != 1 || records) {
            violations.add("R16: a clean stop should leave one checkpoint and no log record, not " + files);
        }
        Runner.Outcome completed = new Runner.Outcome(workload.steps.size(), false, List.of(), List.of());
        checkImage(storage.copy(), dir, completed, "clean run", new Random(1));
        return storage.operations();
    }

    /** One cut point: run until the power fails at operation {@code k}, then judge the crash images. */
    private void cutAt(long k, Path dir) {
        SimStorage storage = new SimStorage(dir).powerCutAt(k);
        Runner.Outcome outcome = Runner.run(workload, storage, dir, params.ackInvariant());
        String where = "seed=" + params.seed() + " k=" + k;
        for (String violation : outcome.violations()) {
            violations.add(where + ": " + violation);
        }
        if (!storage.isCut()) {
            violations.add(where + ": the power cut never happened (the workload does fewer operations than a clean run)");
        }
        for (int image = 0; image <= params.randomImages(); image++) {
            Mode mode = image == 0 ? Mode.DROP_UNSYNCED : Mode.RANDOM;
            Random random = new Random(params.seed() * 1_000_003L + k * 131L + image);
            SimStorage crashed = storage.crashImage(random, mode);
            checkImage(crashed, dir, outcome, where + " image=" + image + " " + mode + " (end=" + outcome.end()
                    + (outcome.inFlight() ? ", in flight" : "") + ", files " + crashed.describe() + ")", random);
            stats.images.incrementAndGet();
        }
        // the same cut as a kill -9: the page cache outlives the process; the next one must not build on what it holds
        checkNextProcess(storage.restart(), dir, outcome, where + " killed (end=" + outcome.end()
                + (outcome.inFlight() ? ", in flight" : "") + "), then the next process");
    }

    /**
     * Recovers {@code image} twice and judges it against the states {@code outcome} allows; with {@code deep},
     * also the versions after a start, and a power cut at each operation of a repairing recovery.
     */
    void checkImage(SimStorage image, Path dir, Runner.Outcome outcome, String where, Random random) {
        SimStorage pristine = image.copy();
        long before = image.operations();
        CreateReport first = Workload.open(dir, image);
        if (!first.isCodeOk()) {
            violations.add(where + ": create() refused after a power cut: " + first.error());
            return;
        }
        long repairs = image.operations() - before;
        Map<String, String> state;
        try (Db db = first.db()) {
            state = judgedState(db, outcome, where);
        }
        if (state == null) {
            return;
        }
        int matched = outcome.candidates().stream()
                .filter(c -> Workload.values(workload.states.get(c)).equals(state)).findFirst().orElseThrow();
        if (matched != outcome.end()) {
            stats.inFlightPresent.incrementAndGet();
        }
        if (repairs > 0) {
            stats.repaired.incrementAndGet();
        }

        CreateReport second = Workload.open(dir, image);
        if (!second.isCodeOk()) {
            violations.add(where + ": R10: the second recovery refused: " + second.error());
            return;
        }
        try (Db db = second.db()) {
            Map<String, String> again = Workload.readAll(db, new ArrayList<>());
            if (!state.equals(again)) {
                violations.add(where + ": R10: the second recovery gives " + again + " instead of " + state);
            }
            if (!second.warnings().isEmpty()) {
                violations.add(where + ": R10: the second recovery still warns " + second.warnings());
            }
            if (params.deep()) {
                checkVersions(db, workload.states.get(matched), where);
            }
        }
        if (params.deep() && repairs > 0) {
            crashDuringRecovery(pristine, dir, repairs, state, where, random);
        }
    }

    /**
     * The next process on the same machine after this one died, then a power loss: {@code next} (see
     * {@link SimStorage#restart()}) may still show bytes that were never forced (a kill before the force) or
     * that a failed force lost (fsyncgate). Opening it must recover a state {@code outcome} allows, a change
     * acknowledged then must be durable, and after the power fails the disk must recover to that state plus that
     * change: what the next process read and built on is durable.
     */
    void checkNextProcess(SimStorage next, Path dir, Runner.Outcome outcome, String where) {
        CreateReport opened = Workload.open(dir, next);
        if (!opened.isCodeOk()) {
            violations.add(where + ": the next process could not open: " + opened.error());
            return;
        }
        Map<String, String> state;
        SimStorage afterPowerLoss;
        try (Db db = opened.db()) {
            state = judgedState(db, outcome, where + ": the next process");
            if (state == null) {
                return;
            }
            Report started = db.start();
            Report written = started.isCodeOk() ? db.write(NEXT_PROCESS_KEY, Workload.bytes("acknowledged")) : started;
            if (!written.isCodeOk()) {
                violations.add(where + ": the next process could not write: " + written);
                return;
            }
            afterPowerLoss = next.crashImage(new Random(0), Mode.DROP_UNSYNCED);
        }
        CreateReport recovered = Workload.open(dir, afterPowerLoss);
        if (!recovered.isCodeOk()) {
            violations.add(where + ", then the power failed: create() refused: " + recovered.error());
            return;
        }
        try (Db db = recovered.db()) {
            Map<String, String> expected = new TreeMap<>(state);
            expected.put(NEXT_PROCESS_KEY, "acknowledged");
            List<String> problems = new ArrayList<>();
            Map<String, String> got = Workload.readAll(db, problems);
            if (!expected.equals(got)) {
                violations.add(where + ", then the power failed: recovered " + got + " instead of " + expected + problems);
            }
        }
    }

    /**
     * Every record of {@code db} when they form a state {@code outcome} allows; else null, with the violation
     * added.
     */
    private Map<String, String> judgedState(Db db, Runner.Outcome outcome, String where) {
        List<String> problems = new ArrayList<>();
        Map<String, String> state = Workload.readAll(db, problems);
        if (state == null) {
            violations.add(where + ": " + problems);
            return null;
        }
        String wrong = workload.judge(state, outcome.candidates());
        if (wrong != null) {
            violations.add(where + ": " + wrong);
            return null;
        }
        return state;
    }

    /** Starts the recovered database and checks every record's version against the model. */
    private void checkVersions(Db db, Map<String, Val> expected, String where) {
        if (!db.start().isCodeOk()) {
            violations.add(where + ": the recovered database does not start");
            return;
        }
        for (Map.Entry<String, Val> entry : expected.entrySet()) {
            ReadReport read = db.read(entry.getKey());
            if (!read.isCodeOk() || read.version() != entry.getValue().version()) {
                violations.add(where + ": " + entry.getKey() + " has version " + read.version() + " (" + read.code()
                        + "), the model says " + entry.getValue().version());
                return;
            }
        }
    }

    /** R10: a power cut at each operation of a repairing recovery, then another crash, recovers the same state. */
    private void crashDuringRecovery(SimStorage pristine, Path dir, long repairs, Map<String, String> state, String where,
            Random random) {
        for (long j = 1; j <= repairs; j++) {
            stats.recoveryCuts.incrementAndGet();
            SimStorage interrupted = pristine.copy().powerCutAt(j);
            CreateReport cut = Workload.open(dir, interrupted);
            if (cut.isCodeOk()) {
                cut.db().close();
                violations.add(where + ": R10: recovery succeeded although the power failed at its operation " + j);
                continue;
            }
            SimStorage image = interrupted.crashImage(random, random.nextBoolean() ? Mode.RANDOM : Mode.DROP_UNSYNCED);
            CreateReport again = Workload.open(dir, image);
            if (!again.isCodeOk()) {
                violations.add(where + ": R10: after a power cut at recovery operation " + j + ", create() refused: "
                        + again.error());
                continue;
            }
            List<String> problems = new ArrayList<>();
            Map<String, String> recovered = Workload.readAll(again.db(), problems);
            again.db().close();
            if (!state.equals(recovered)) {
                violations.add(where + ": R10: a power cut at recovery operation " + j + " changed the state to "
                        + recovered + problems);
            }
        }
    }
}
