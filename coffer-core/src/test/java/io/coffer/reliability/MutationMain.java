package io.coffer.reliability;

import io.coffer.internal.Mutation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The reduced reliability suite that {@link MutationTest} runs in a child JVM started with
 * {@code -Dcoffer.mutation=NAME}: a power cut at every operation of a short workload, judged by the recovered
 * states alone (without the R3 hook, which only adds checks), and a bit flip at every bit of a log and a
 * checkpoint.
 *
 * <p>Prints one line per check, {@code CHECK <name> violations=<n> [first violation]}, and exits 0 when every
 * check passed, 1 when any found a violation, 2 when the JVM does not run the mutation it was asked for.
 *
 * <p>Usage: {@code MutationMain <mutation> <seed>}.
 */
public final class MutationMain {
    private MutationMain() {
    }

    public static void main(String[] args) throws Exception {
        String wanted = args[0];
        long seed = Long.parseLong(args[1]);
        if (!Mutation.active().name().equals(wanted)) {
            System.out.println("this JVM runs mutation " + Mutation.active() + ", not " + wanted);
            System.exit(2);
        }
        Path work = Files.createTempDirectory("coffer-mutation");
        int failing = 0;
        try (Quiet quiet = new Quiet()) {
            // judged by the recovered states alone (no R3 hook), the stronger proof: PowerCutTest adds the hook
            PowerCutCheck.Params params = new PowerCutCheck.Params(seed, 40, 1, false, false, 0);
            failing += report("powercut", PowerCutCheck.run(params, work.resolve("cut"), 2, 120).violations());
            failing += report("bitflip-log", BitFlipCheck.run(BitFlipCheck.twoLogs(Parallel.dir(work, 9), seed, false),
                    work.resolve("flip-log"), 2, 120).violations());
            failing += report("bitflip-checkpoint", BitFlipCheck.run(BitFlipCheck.checkpointAlone(Parallel.dir(work, 9), seed,
                    12), work.resolve("flip-cp"), 2, 120).violations());
        }
        System.out.flush();
        System.exit(failing == 0 ? 0 : 1);
    }

    private static int report(String check, List<String> violations) {
        System.out.println("CHECK " + check + " violations=" + violations.size()
                + (violations.isEmpty() ? "" : " first: " + violations.get(0).lines().findFirst().orElse("")));
        return violations.isEmpty() ? 0 : 1;
    }
}
