package io.coffer.testing;

import java.security.SecureRandom;

/**
 * Seeds of every randomized test: {@code -Dcoffer.seed=N} replays one (with {@code -Dtest=} naming the test);
 * otherwise a fresh one. Printed either way, with the test's name.
 */
public final class Seeds {
    private Seeds() {
    }

    public static long seed(String test) {
        Long fixed = Long.getLong("coffer.seed");
        long seed = fixed != null ? fixed : new SecureRandom().nextLong() & 0xFFFF_FFFF_FFFFL;
        System.out.println(test + ": seed=" + seed + " (replay with -Dcoffer.seed=" + seed + ")");
        return seed;
    }
}
