package io.coffer.internal.recovery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.coffer.testing.Seeds;
import java.util.Arrays;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** KeySort puts keys in exactly the order {@link String#compareTo} gives, whatever the keys look like. */
class KeySortTest {

    /** The keys in the order KeySort found, checked to be a permutation on the way. */
    private static String[] sortedByKeySort(String[] keys) {
        String[] copy = keys.clone();
        int[] order = KeySort.ascending(keys);
        assertArrayEquals(copy, keys, "the keys are not changed");
        assertEquals(keys.length, order.length);
        boolean[] seen = new boolean[keys.length];
        String[] sorted = new String[keys.length];
        for (int i = 0; i < order.length; i++) {
            assertEquals(false, seen[order[i]], "index " + order[i] + " twice");
            seen[order[i]] = true;
            sorted[i] = keys[order[i]];
        }
        return sorted;
    }

    private static void assertSortsLikeCompareTo(String[] keys, String what) {
        String[] expected = keys.clone();
        Arrays.sort(expected);
        assertArrayEquals(expected, sortedByKeySort(keys), what);
    }

    private static String[] keys(int n, IntFunction<String> key) {
        String[] keys = new String[n];
        for (int i = 0; i < n; i++) {
            keys[i] = key.apply(i);
        }
        return keys;
    }

    @Test
    void noKeysAndOneKeySortTrivially() {
        assertEquals(0, KeySort.ascending(new String[0]).length);
        assertArrayEquals(new int[] {0}, KeySort.ascending(new String[] {"only"}));
    }

    @Test
    void counterKeysInAnyOrderComeOutAscending() {
        long seed = Seeds.seed("KeySortTest counter");
        String[] keys = keys(20_000, i -> String.format("key-%012d", i));
        shuffle(keys, new Random(seed));
        assertSortsLikeCompareTo(keys, "seed=" + seed);
    }

    @Test
    void randomLookingKeysComeOutAscending() {
        assertSortsLikeCompareTo(keys(20_000, i -> String.format("%016x", i * 0x9E3779B97F4A7C15L)), "hex keys");
    }

    @Test
    void keysSharingLongPrefixesAfterTheirFirstDifferenceAreSortedAtEveryDepth() {
        // groups of hundreds of keys equal for 8, 16 and 24 characters after the shared "tenant-": each tie on
        // one code is sorted again from the characters after it
        String[] keys = keys(6_000, i -> "tenant-" + (i % 3) + "/".repeat(9) + "account-" + String.format("%05d", (i * 7919) % 6_000));
        assertSortsLikeCompareTo(keys, "nested prefixes");
    }

    @Test
    void charactersAboveLatin1SortByTheirUtf16CodeUnitsAsCompareToDoes() {
        // U+00FF, U+0100, U+FFFF and a surrogate pair (U+1F600 is D83D DE00, below U+FFFF as code units)
        String[] alphabet = {"a", "\u00ff", "\u0100", "\uffff", "\ud83d\ude00", "\u00e9", "z", "\u4e2d"};
        Random random = new Random(42);
        String[] keys = keys(5_000, i -> {
            StringBuilder key = new StringBuilder("shared-");
            for (int c = 0; c < 1 + random.nextInt(12); c++) {
                key.append(alphabet[random.nextInt(alphabet.length)]);
            }
            return key.toString();
        });
        assertSortsLikeCompareTo(keys, "wide characters");
    }

    @Test
    void trailingNulsPrefixesAndTheEmptyKeyAreToldApart() {
        String[] base = {"", "a", "a\0", "a\0\0", "ab", "a\0b", "\0", "\0\0", "abcdefgh", "abcdefgh\0", "abcdefghi"};
        String[] keys = new String[base.length * 40];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = base[(i * 7) % base.length] + (i < base.length * 20 ? "" : "\0".repeat(i % 3));
        }
        assertSortsLikeCompareTo(keys, "NULs and prefixes");
    }

    @Test
    void manyCopiesOfOneKeyComeOutTogether() {
        String[] keys = keys(3_000, i -> i % 1_000 == 0 ? "b" : (i % 2 == 0 ? "same-key" : "same-key-too"));
        assertSortsLikeCompareTo(keys, "duplicates");
    }

    @Test
    void randomKeysOfRandomShapesSortLikeCompareTo() {
        long seed = Seeds.seed("KeySortTest shapes");
        Random random = new Random(seed);
        for (int round = 0; round < 40; round++) {
            int n = random.nextInt(3_000);
            int prefix = random.nextInt(20);
            int alphabet = 1 + random.nextInt(random.nextBoolean() ? 4 : 0x10000);
            String[] keys = keys(n, i -> {
                StringBuilder key = new StringBuilder("p".repeat(prefix));
                for (int c = 0; c < random.nextInt(20); c++) {
                    key.append((char) random.nextInt(alphabet));
                }
                return key.toString();
            });
            assertSortsLikeCompareTo(keys, "seed=" + seed + " round=" + round);
        }
    }

    private static void shuffle(String[] keys, Random random) {
        for (int i = keys.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            String t = keys[i];
            keys[i] = keys[j];
            keys[j] = t;
        }
    }
}
