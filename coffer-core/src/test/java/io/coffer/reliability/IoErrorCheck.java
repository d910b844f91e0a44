package io.coffer.reliability;

import io.coffer.reliability.SimStorage.Kind;
import io.coffer.reliability.SimStorage.Mode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * R7 (GUARANTEES 4): the n-th call of each kind (create, append, force, rename, delete, directory sync) fails,
 * once or for ever, with ENOSPC or EIO, an append possibly after writing half its bytes; for every n up to the
 * number of such calls in the workload.
 *
 * <p>Checked: no call throws or hangs; a failed change answers PANIC_WAL, fails the database, and so does
 * every later change; a failed checkpoint answers ERROR and the database goes on; every failure answer names
 * the error; no force is retried on a file whose force failed; and after the power comes back (the durable
 * image) or the process restarts (the files as they are), the state is the acknowledged one, or that plus the
 * one change that was in flight; and a next process that read what a failed force left only in the page cache
 * makes it durable before it acknowledges anything built on it (a power loss after its first change keeps both).
 */
final class IoErrorCheck {
    static final String ENOSPC = "No space left on device";
    static final String EIO = "Input/output error";

    /** One injected fault. */
    record Fault(Kind kind, int n, boolean forever, boolean halfWrite, String message) {
        @Override
        public String toString() {
            return kind + " call " + n + (forever ? " and every later one" : " once") + (halfWrite ? " after half a write" : "")
                    + " fails with \"" + message + "\"";
        }
    }

    record Result(int faults, List<Integer> callsPerKind, List<String> violations) {
    }

    private IoErrorCheck() {
    }

    /** Every fault for the workload of {@code seed}: each kind, each n, once and for ever, plain and half-written. */
    static List<Fault> faults(Workload workload, Path dir) {
        SimStorage clean = new SimStorage(dir);
        Runner.run(workload, clean, dir, false);
        List<Fault> faults = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            for (int n = 1; n <= clean.calls(kind); n++) {
                String message = n % 2 == 0 ? ENOSPC : EIO;
                for (boolean forever : new boolean[] {false, true}) {
                    faults.add(new Fault(kind, n, forever, false, message));
                    if (kind == Kind.APPEND || kind == Kind.WRITE) {
                        faults.add(new Fault(kind, n, forever, true, message));
                    }
                }
            }
        }
        return faults;
    }

    static Result run(long seed, int dataSteps, Path work, int threads, long timeoutSeconds) throws Exception {
        Workload workload = Workload.generate(seed, dataSteps, true);
        List<Fault> faults = faults(workload, Parallel.dir(work, 0));
        List<Integer> perKind = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            perKind.add((int) faults.stream().filter(f -> f.kind() == kind && !f.forever() && !f.halfWrite()).count());
        }
        List<String> violations = Parallel.forEach(0, faults.size() - 1, threads, work, timeoutSeconds,
                (index, dir, worker) -> check(workload, faults.get((int) index), dir, seed));
        return new Result(faults.size(), perKind, violations);
    }

    static List<String> check(Workload workload, Fault fault, Path dir, long seed) {
        SimStorage storage = new SimStorage(dir).failNth(fault.kind(), fault.n(), fault.forever(), fault.halfWrite(),
                fault.message());
        Runner.Outcome outcome = Runner.run(workload, storage, dir, true);
        String where = "seed=" + seed + " " + fault;
        List<String> violations = new ArrayList<>();
        for (String violation : outcome.violations()) {
            violations.add(where + ": " + violation);
        }
        for (String violation : storage.violations()) {
            violations.add(where + ": " + violation);
        }
        if (storage.faultsFired() == 0) {
            violations.add(where + ": the fault never fired");
        }
        for (String failure : outcome.failures()) {
            if (!failure.contains(fault.message())) {
                violations.add(where + ": an answer does not name the error: " + failure);
            }
        }
        PowerCutCheck judge = PowerCutCheck.judge(workload, false, violations);
        Random random = new Random(seed + fault.hashCode());
        judge.checkImage(storage.crashImage(random, Mode.DROP_UNSYNCED), dir, outcome,
                where + ", then the power failed: ", random);
        judge.checkImage(storage.copy(), dir, outcome, where + ", then the process restarted: ", random);
        judge.checkNextProcess(storage.restart(), dir, outcome, where + ", then the next process");
        return violations;
    }
}
