package io.coffer.fuzz;

import java.nio.file.Path;

/**
 * {@code FuzzChild <work dir> <seed> <cases>}: the fuzz cases of {@link FileFuzzTest} with small limits
 * (keys of 16 bytes, values of 64, 8 records per operation), run in a JVM with a small heap. Prints one
 * {@code PROBLEM} line per broken rule and a final {@code FUZZ} line; exits 0 when every case returned a
 * report by the rules, 1 otherwise. An OutOfMemoryError ends the JVM at once ({@code -XX:+ExitOnOutOfMemoryError}).
 */
public final class FuzzChild {
    static final int MAX_KEY = 16;
    static final int MAX_VALUE = 64;
    static final int MAX_RECS = 8;

    private FuzzChild() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]).resolve("child");
        long seed = Long.parseLong(args[1]);
        int cases = Integer.parseInt(args[2]);
        FileFuzzTest.Summary summary = FileFuzzTest.run(work, seed, cases,
                b -> b.maxKeyLength(MAX_KEY).maxValueLength(MAX_VALUE).maxRecsPerOperation(MAX_RECS), MAX_KEY, MAX_VALUE,
                MAX_RECS, MAX_VALUE, MAX_RECS);
        for (String problem : summary.problems) {
            System.out.println("PROBLEM " + problem.replace('\n', ' '));
        }
        System.out.println("FUZZ " + cases + " cases with -Xmx" + Runtime.getRuntime().maxMemory() / (1 << 20) + "m: " + summary);
        System.out.flush();
        System.exit(summary.problems.isEmpty() ? 0 : 1);
    }
}
