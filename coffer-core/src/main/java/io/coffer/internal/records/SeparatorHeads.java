package io.coffer.internal.records;

/**
 * The separators of one inner node of {@link SortedKeyIndex}, summarised so that finding a key's child rarely
 * follows a reference to a key: the characters every separator starts with (the node's prefix), and the next
 * {@value #WIDTH} characters of each separator packed into a {@code long}, one character per byte.
 *
 * <pre>
 *   separators  acct-0012 | acct-0019 | acct-0105 | acct-0105a
 *   prefix      "acct-0"                               (shared by all of them)
 *   heads       "012\0\0\0\0\0" | "019\0..." | "105\0..." | "105a\0..."   (unsigned, in key order)
 * </pre>
 *
 * <p>Why: a search compares a key with about six separators per node, and each separator is an array of its
 * own somewhere in the heap; in a store of a million keys most of those were cache misses (the descent took most
 * of a ten-key prefix listing). The heads of a node lie in one array: a key whose head differs from every
 * separator's is placed by comparing numbers, and only separators with the same head are compared in full.
 *
 * <p>The order is exact: two keys that share the prefix and whose next characters are all below U+0100 compare
 * as their heads do, a key that ends counting as {@code '\0'} there; equal heads (a {@code '\0'} character or
 * a difference further on) are settled by comparing the keys. A node whose separators have a character above
 * U+00FF within the prefix or the head has no summary ({@link #of} returns null); a key with such a character
 * in its head is searched the plain way.
 *
 * <p>Immutable: made with the node, read by any thread.
 */
final class SeparatorHeads {
    /** Characters per head: one byte each in a {@code long}. */
    static final int WIDTH = 8;

    /** The characters all separators start with, one byte each. */
    private final byte[] prefix;
    /** heads[i]: the WIDTH characters of separator i after the prefix; heads[0] is unused (no separator). */
    private final long[] heads;

    private SeparatorHeads(byte[] prefix, long[] heads) {
        this.prefix = prefix;
        this.heads = heads;
    }

    /**
     * The summary of {@code lows} (an inner node's separators: {@code lows[0]} null, the rest ascending), or null
     * when there is no separator or one has a character above U+00FF within the prefix and head.
     */
    static SeparatorHeads of(Object[] lows) {
        int n = lows.length;
        if (n < 2) {
            return null;
        }
        int shared = sharedLength(lows[1], lows[n - 1]); // sorted: the first and last share what all share
        byte[] prefix = new byte[shared];
        for (int i = 0; i < shared; i++) {
            char c = StoredKey.charAt(lows[1], i);
            if (c > 0xFF) {
                return null;
            }
            prefix[i] = (byte) c;
        }
        long[] heads = new long[n];
        for (int i = 1; i < n; i++) {
            if (!fitsHead(lows[i], shared)) {
                return null;
            }
            heads[i] = head(lows[i], shared);
        }
        return new SeparatorHeads(prefix, heads);
    }

    /**
     * The child slot whose range holds {@code key}, as {@code Inner.slotOf}: the index of the last separator
     * not above the key, 0 if the key is below them all.
     */
    int slotOf(Object[] lows, Object key) {
        int n = lows.length;
        int length = StoredKey.length(key);
        for (int i = 0; i < prefix.length; i++) {
            if (i == length) {
                return 0; // the key is a proper start of the prefix: below every separator
            }
            int difference = StoredKey.charAt(key, i) - (prefix[i] & 0xFF);
            if (difference != 0) {
                return difference < 0 ? 0 : n - 1;
            }
        }
        if (!fitsHead(key, prefix.length)) {
            return plainSlot(lows, 1, n, key);
        }
        long head = head(key, prefix.length);
        int first = firstAbove(head, 1, n, true);  // first separator whose head is at least the key's
        int after = firstAbove(head, first, n, false); // first separator whose head is above the key's
        return first == after ? first - 1 : plainSlot(lows, first, after, key);
    }

    /** The slot by comparing the key in full with {@code lows[from, to)}, all of which the caller knows to bracket it. */
    static int plainSlot(Object[] lows, int from, int to, Object key) {
        int found = StoredKey.search(lows, from, to, key);
        return found >= 0 ? found : -found - 2;
    }

    /** The first index in {@code [from, to)} whose head is above {@code head} (or at least it, when {@code orEqual}). */
    private int firstAbove(long head, int from, int to, boolean orEqual) {
        int low = from;
        int high = to;
        while (low < high) {
            int middle = (low + high) >>> 1;
            int order = Long.compareUnsigned(heads[middle], head);
            if (order > 0 || (orEqual && order == 0)) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        return low;
    }

    /** Whether the characters of {@code key} from {@code offset} for {@value #WIDTH} characters are all below U+0100. */
    private static boolean fitsHead(Object key, int offset) {
        int end = Math.min(StoredKey.length(key), offset + WIDTH);
        for (int i = offset; i < end; i++) {
            if (StoredKey.charAt(key, i) > 0xFF) {
                return false;
            }
        }
        return true;
    }

    /** {@value #WIDTH} characters of {@code key} from {@code offset}, one byte each, missing ones as 0. */
    private static long head(Object key, int offset) {
        int length = StoredKey.length(key);
        long head = 0;
        for (int i = offset; i < offset + WIDTH; i++) {
            head = head << 8 | (i < length ? StoredKey.charAt(key, i) : 0);
        }
        return head;
    }

    private static int sharedLength(Object a, Object b) {
        int n = Math.min(StoredKey.length(a), StoredKey.length(b));
        int i = 0;
        while (i < n && StoredKey.charAt(a, i) == StoredKey.charAt(b, i)) {
            i++;
        }
        return i;
    }
}
