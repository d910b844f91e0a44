package io.coffer.internal.recovery;

import java.util.Arrays;

/**
 * The ascending order ({@link String#compareTo}) of many keys, found by their characters instead of by
 * comparing keys: recovery's sorted index needs a million keys in order, and a comparison sort of keys that
 * arrive in hash order (random-looking keys do) spent 85% of the replay chasing pointers to compare strings.
 *
 * <p>An MSD sort on 64-bit codes: the characters the keys of a range share are skipped, the next 8
 * characters (4 when one is above U+00FF) are packed into a {@code long} per key in the order {@code
 * compareTo} gives them, the codes are sorted by an LSD radix sort over their bytes (bytes equal in every code
 * are skipped), and each run of keys with equal codes is sorted the same way from the characters after those.
 * Small ranges, and keys equal but for characters past their end, are left to a comparison sort. A key
 * shorter than the code pads with U+0000, so {@code "a"} and {@code "a\0"} tie here and are told apart there.
 *
 * <p>Counter-like keys ({@code key-000000000042}) cost one pass to find the shared prefix and one radix
 * pass per varying byte; random-looking keys the same. Not thread-safe: one call, one thread.
 */
final class KeySort {
    /** Ranges this small are sorted by comparing keys: a radix pass over 256 buckets costs more. */
    private static final int SMALL = 32;

    private final String[] keys;
    /** The permutation being sorted: {@code keys[order[i]]} ascends in {@code i} when done. */
    private final int[] order;
    private final long[] codes;
    private final int[] spareOrder;
    private final long[] spareCodes;
    /** How many characters the last {@link #code} packed into each code: 8, or 4 when one was above U+00FF. */
    private int charsPerCode;

    private KeySort(String[] keys) {
        this.keys = keys;
        int n = keys.length;
        this.order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        this.codes = new long[n];
        this.spareOrder = new int[n];
        this.spareCodes = new long[n];
    }

    /**
     * The indexes of {@code keys} in ascending key order: {@code keys[result[0]]} is the least. Equal keys
     * (allowed) come out next to each other in no particular order. {@code keys} is not changed.
     */
    static int[] ascending(String[] keys) {
        KeySort sort = new KeySort(keys);
        sort.sort(0, keys.length, 0);
        return sort.order;
    }

    /** Sorts {@code order[from, to)}, whose keys agree in their first {@code depth} characters. */
    private void sort(int from, int to, int depth) {
        if (to - from <= SMALL) {
            compareSort(from, to);
            return;
        }
        int shared = sharedPrefix(from, to, depth);
        int longest = code(from, to, shared);
        if (shared >= longest) {
            compareSort(from, to); // every key ends within the prefix: equal, or differing only in trailing U+0000
            return;
        }
        radixSort(from, to);
        int width = charsPerCode;
        int start = from;
        for (int i = from + 1; i <= to; i++) {
            if (i == to || codes[i] != codes[start]) {
                if (i - start > 1) {
                    sort(start, i, shared + width);
                }
                start = i;
            }
        }
    }

    /** How many characters the keys of {@code order[from, to)} share, knowing they share {@code depth}. */
    private int sharedPrefix(int from, int to, int depth) {
        String first = keys[order[from]];
        int shared = first.length();
        for (int i = from + 1; i < to && shared > depth; i++) {
            String key = keys[order[i]];
            int limit = Math.min(shared, key.length());
            int j = depth;
            while (j < limit && key.charAt(j) == first.charAt(j)) {
                j++;
            }
            shared = j;
        }
        return Math.max(shared, depth);
    }

    /**
     * Fills {@code codes[from, to)} with each key's characters from {@code depth}: 8 of 8 bits each when all
     * of them fit, else 4 of 16 bits. Returns the longest key's length.
     */
    private int code(int from, int to, int depth) {
        int longest = 0;
        boolean narrow = true;
        for (int i = from; i < to; i++) {
            String key = keys[order[i]];
            longest = Math.max(longest, key.length());
            long code = 0;
            for (int c = 0; c < 8; c++) {
                int p = depth + c;
                char ch = p < key.length() ? key.charAt(p) : 0;
                if (ch > 0xFF) {
                    narrow = false;
                    break;
                }
                code = code << 8 | ch;
            }
            codes[i] = code;
        }
        if (!narrow) {
            for (int i = from; i < to; i++) {
                String key = keys[order[i]];
                long code = 0;
                for (int c = 0; c < 4; c++) {
                    int p = depth + c;
                    code = code << 16 | (p < key.length() ? key.charAt(p) : 0);
                }
                codes[i] = code;
            }
        }
        charsPerCode = narrow ? 8 : 4;
        return longest;
    }

    /** Sorts {@code codes[from, to)} as unsigned numbers, carrying {@code order} along; stable. */
    private void radixSort(int from, int to) {
        int[][] counts = new int[8][257];
        for (int i = from; i < to; i++) {
            long code = codes[i];
            for (int b = 0; b < 8; b++) {
                counts[b][(int) (code >>> (8 * b) & 0xFF) + 1]++;
            }
        }
        int n = to - from;
        long[] fromCodes = codes;
        int[] fromOrder = order;
        long[] toCodes = spareCodes;
        int[] toOrder = spareOrder;
        for (int b = 0; b < 8; b++) {
            int[] count = counts[b];
            if (count[(int) (fromCodes[from] >>> (8 * b) & 0xFF) + 1] == n) {
                continue; // every code has this byte: the pass would change nothing
            }
            count[0] = from;
            for (int v = 0; v < 256; v++) {
                count[v + 1] += count[v];
            }
            for (int i = from; i < to; i++) {
                long code = fromCodes[i];
                int at = count[(int) (code >>> (8 * b) & 0xFF)]++;
                toCodes[at] = code;
                toOrder[at] = fromOrder[i];
            }
            long[] c = fromCodes;
            fromCodes = toCodes;
            toCodes = c;
            int[] o = fromOrder;
            fromOrder = toOrder;
            toOrder = o;
        }
        if (fromCodes != codes) {
            System.arraycopy(fromCodes, from, codes, from, n);
            System.arraycopy(fromOrder, from, order, from, n);
        }
    }

    /** Sorts {@code order[from, to)} by comparing the keys. */
    private void compareSort(int from, int to) {
        if (to - from <= SMALL) {
            for (int i = from + 1; i < to; i++) { // insertion sort: few keys
                int moving = order[i];
                String key = keys[moving];
                int j = i - 1;
                while (j >= from && keys[order[j]].compareTo(key) > 0) {
                    order[j + 1] = order[j];
                    j--;
                }
                order[j + 1] = moving;
            }
            return;
        }
        Integer[] boxed = new Integer[to - from];
        for (int i = from; i < to; i++) {
            boxed[i - from] = order[i];
        }
        Arrays.sort(boxed, (a, b) -> keys[a].compareTo(keys[b]));
        for (int i = from; i < to; i++) {
            order[i] = boxed[i - from];
        }
    }
}
