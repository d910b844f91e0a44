package io.coffer.reliability;

import io.coffer.CreateReport;
import io.coffer.Db;
import io.coffer.DbState;
import io.coffer.internal.files.DbFiles;
import io.coffer.internal.files.Limits;
import io.coffer.internal.follow.Follower;
import io.coffer.internal.recovery.Recovery;
import io.coffer.reliability.Workload.Delete;
import io.coffer.reliability.Workload.DeleteList;
import io.coffer.reliability.Workload.FollowerPass;
import io.coffer.reliability.Workload.Reopen;
import io.coffer.reliability.Workload.Start;
import io.coffer.reliability.Workload.Step;
import io.coffer.reliability.Workload.Stop;
import io.coffer.reliability.Workload.Transfer;
import io.coffer.reliability.Workload.UnsafeLoad;
import io.coffer.reliability.Workload.Write;
import io.coffer.reliability.Workload.WriteList;
import io.coffer.reports.Code;
import io.coffer.reports.Report;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link Workload} from one client thread against a database on a {@link SimStorage} that may lose
 * power or fail calls, and records what a recovered state may be.
 *
 * <p>Checked while it runs: every answer is the model's until the storage fails; a failed change answers
 * PANIC_WAL and fails the database, and every later change answers PANIC_WAL too; a failed stop answers
 * ERROR and leaves the database usable; nothing is acknowledged after the power cut; nothing throws; and
 * (R3) right after every OK, every log (its directory entry and every byte) is durable.
 */
final class Runner {
    static final int LIMIT_RECORDS_PER_LOGFILE = 7;

    /**
     * How a run ended.
     *
     * @param end        the workload ran as modelled up to (not including) step {@code end}
     * @param inFlight   whether step {@code end} is a change that failed and may or may not be durable
     * @param violations what went wrong while running
     * @param failures   the answers that differed from the model once the storage had failed, as "step: error"
     */
    record Outcome(int end, boolean inFlight, List<String> violations, List<String> failures) {
        /** The steps whose resulting state a recovery may show: before {@code end}, or after it when in flight. */
        List<Integer> candidates() {
            return inFlight ? List.of(end, end + 1) : List.of(end);
        }
    }

    private final Workload workload;
    private final SimStorage storage;
    private final Path dir;
    private final boolean ackInvariant;
    private final List<String> violations = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private Db db;

    private Runner(Workload workload, SimStorage storage, Path dir, boolean ackInvariant) {
        this.workload = workload;
        this.storage = storage;
        this.dir = dir;
        this.ackInvariant = ackInvariant;
    }

    /** Runs {@code workload} on {@code storage}; the database is closed when this returns. */
    static Outcome run(Workload workload, SimStorage storage, Path dir, boolean ackInvariant) {
        return new Runner(workload, storage, dir, ackInvariant).run();
    }

    private boolean faulted() {
        return storage.isCut() || storage.faultsFired() > 0;
    }

    private Outcome run() {
        CreateReport created = Workload.builder(dir, storage, LIMIT_RECORDS_PER_LOGFILE).create();
        if (!created.isCodeOk()) {
            violations.add("create() on an empty directory answered " + created);
            return new Outcome(0, false, violations, failures);
        }
        db = created.db();
        Follower follower = new Follower(storage, new DbFiles(dir), new Limits(100, 10_000, 1000), 1, true,
                Duration.ofHours(1), () -> {
                    long open = db.status().currentLog();
                    return open == 0 ? Long.MAX_VALUE : open;
                });
        int end = workload.steps.size();
        boolean inFlight = false;
        try {
            for (int i = 0; i < workload.steps.size(); i++) {
                Step step = workload.steps.get(i);
                Report answer;
                try {
                    answer = perform(step, follower);
                } catch (Throwable t) {
                    violations.add("step " + i + " " + step + " threw " + t);
                    end = i;
                    inFlight = workload.logs.get(i);
                    break;
                }
                Code expected = workload.expected.get(i);
                if (answer.code() == expected) {
                    if (answer.isCodeOk() && storage.isCut() && workload.logs.get(i)) {
                        violations.add("step " + i + " " + step + " was acknowledged after the power cut");
                    }
                    if (ackInvariant && answer.isCodeOk() && !storage.isCut()) {
                        String volatileState = storage.visibleButVolatile(DbFiles.LOG);
                        if (volatileState != null) {
                            violations.add("R3: step " + i + " " + step + " answered OK while " + volatileState);
                        }
                    }
                    continue;
                }
                if (!faulted()) {
                    violations.add("step " + i + " " + step + " answered " + answer + ", expected " + expected
                            + ", and the storage had not failed");
                    end = i;
                    inFlight = workload.logs.get(i);
                    break;
                }
                failures.add("step " + i + " " + step + ": " + answer.code() + " " + answer.error());
                if (deviationEndsRun(i, step, answer)) {
                    end = i;
                    inFlight = Workload.isData(step) && workload.logs.get(i);
                    break;
                }
            }
        } finally {
            if (db != null) {
                db.close();
            }
        }
        return new Outcome(end, inFlight, violations, failures);
    }

    /** Judges an answer that differs from the model after the storage failed; true when the run cannot go on. */
    private boolean deviationEndsRun(int i, Step step, Report answer) {
        String where = "step " + i + " " + step + " ";
        if (step instanceof FollowerPass) {
            return false; // the checkpoint failed; the follower tries again at its next pass
        }
        if (step instanceof Stop) {
            if (answer.code() == Code.ERROR && db.state() == DbState.STOPPED) {
                return false; // the checkpoint at stop failed; the logs keep every change and start() may follow
            }
            if (answer.code().severity() != io.coffer.reports.Severity.PANIC || db.state() != DbState.FAILED) {
                violations.add(where + "answered " + answer + " in state " + db.state());
            }
            return true;
        }
        if (step instanceof Reopen) {
            if (db != null) {
                violations.add(where + "answered " + answer + " but left a database");
            }
            return true; // create() refused because recovery could not write: nothing to go on with
        }
        // a change, a bulk load or a start: the log failed, which is fatal and never retried
        if (answer.code() != Code.PANIC_WAL) {
            violations.add(where + "answered " + answer + "; a failed log write must answer PANIC_WAL");
        }
        if (db.state() != DbState.FAILED) {
            violations.add(where + "failed, but the database is " + db.state() + ", not FAILED");
        }
        Report later = db.write("later", Workload.bytes("never"));
        failures.add("a write after step " + i + ": " + later.code() + " " + later.error());
        if (later.code() != Code.PANIC_WAL) {
            violations.add("after step " + i + " failed, a later write answered " + later + ", not PANIC_WAL");
        }
        return true;
    }

    private Report perform(Step step, Follower follower) {
        if (step instanceof Write w) {
            return db.write(w.key(), Workload.bytes(w.value()));
        }
        if (step instanceof Delete d) {
            return db.delete(d.key());
        }
        if (step instanceof WriteList wl) {
            return db.writeList(bytes(wl.records()), wl.strict());
        }
        if (step instanceof DeleteList dl) {
            return dl.strict() ? db.deleteListStrict(dl.keys()) : db.deleteListOptional(dl.keys());
        }
        if (step instanceof Transfer t) {
            return db.transaction(Workload.TRANSFER, List.of(t.from(), t.to()), Workload.arg(t));
        }
        if (step instanceof UnsafeLoad u) {
            return db.writeListUnsafe(bytes(u.records()));
        }
        if (step instanceof Stop) {
            return db.stop();
        }
        if (step instanceof Start) {
            return db.start();
        }
        if (step instanceof Reopen) {
            db.close();
            db = null;
            CreateReport reopened = Workload.builder(dir, storage, LIMIT_RECORDS_PER_LOGFILE).create();
            db = reopened.db();
            return reopened;
        }
        if (step instanceof FollowerPass) {
            try {
                follower.followOnce();
                return Report.ok();
            } catch (IOException | Recovery.RecoveryException e) {
                return Report.of(Code.ERROR, "the follower's checkpoint failed: " + e);
            }
        }
        throw new IllegalArgumentException(step.toString());
    }

    private static Map<String, byte[]> bytes(Map<String, String> records) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        records.forEach((k, v) -> out.put(k, Workload.bytes(v)));
        return out;
    }
}
