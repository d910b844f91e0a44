package io.coffer.internal.recovery;

import io.coffer.internal.records.RecordTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The recovered keys in ascending order, for the store's sorted index, made without sorting every key when the
 * base checkpoint was written in key order (as every checkpoint is): only the keys that the logs created since
 * are sorted, then merged into the checkpoint's order. Recovering thread only.
 */
final class KeyOrder {
    /** The checkpoint's keys in file order, while they are still ascending; null once one is not. */
    private List<String> base = new ArrayList<>();
    /** Keys the logs put where the map had none (a key deleted and put again appears again). */
    private final List<String> created = new ArrayList<>();

    /** A key read from the checkpoint, in file order. */
    void checkpointKey(String key) {
        if (base == null) {
            return;
        }
        if (!base.isEmpty() && base.get(base.size() - 1).compareTo(key) >= 0) {
            base = null; // not in key order (written by an older version): everything is sorted at the end
            return;
        }
        base.add(key);
    }

    /** A key a log put where the map held none. */
    void created(String key) {
        if (base != null && base.isEmpty()) {
            base = null; // no checkpoint keys to keep in order: every key gets sorted at the end anyway
        }
        if (base != null) {
            created.add(key);
        }
    }

    /** Every key of {@code records}, ascending. */
    List<String> sorted(RecordTable records) {
        return base == null ? sortedAll(records) : mergedWithBase(records);
    }

    /** Every key, sorted from scratch. */
    private static List<String> sortedAll(RecordTable records) {
        String[] keys = records.keys();
        int[] order = KeySort.ascending(keys);
        String[] sorted = new String[keys.length];
        for (int i = 0; i < order.length; i++) {
            sorted[i] = keys[order[i]];
        }
        return Arrays.asList(sorted);
    }

    /** The checkpoint's keys, already in order, merged with the sorted keys the logs created. */
    private List<String> mergedWithBase(RecordTable records) {
        List<String> sorted = new ArrayList<>(records.size());
        String[] logged = created.toArray(new String[0]);
        int[] order = KeySort.ascending(logged);
        String last = null;
        int b = 0;
        int a = 0;
        while (b < base.size() || a < order.length) {
            String next = a == order.length || (b < base.size() && base.get(b).compareTo(logged[order[a]]) <= 0)
                    ? base.get(b++) : logged[order[a++]];
            if (!next.equals(last) && records.containsKey(next)) { // absent: deleted since the checkpoint; equal: seen already
                sorted.add(next);
                last = next;
            }
        }
        return sorted;
    }
}
