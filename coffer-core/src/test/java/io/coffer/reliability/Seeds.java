package io.coffer.reliability;

import java.security.SecureRandom;

/** Seeds of the randomized reliability tests: {@code -Dcoffer.seed=N} replays one; otherwise a fresh one, printed. */
final class Seeds {
    private Seeds() {
    }

    static long seed(String test) {
        Long fixed = Long.getLong("coffer.seed");
        long seed = fixed != null ? fixed : new SecureRandom().nextLong() & 0xFFFF_FFFF_FFFFL;
        System.out.println(test + ": seed=" + seed + " (replay with -Dcoffer.seed=" + seed + ")");
        return seed;
    }
}
