package io.coffer.internal.recovery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

    /** Every record of {@code records}, in ascending key order. */
    <V> List<Map.Entry<String, V>> sorted(Map<String, V> records) {
        return base == null ? sortedAll(records) : mergedWithBase(records);
    }

    /** Every record, sorted from scratch. */
    private static <V> List<Map.Entry<String, V>> sortedAll(Map<String, V> records) {
        String[] keys = new String[records.size()];
        Object[] values = new Object[keys.length];
        int[] at = {0};
        records.forEach((key, value) -> {
            keys[at[0]] = key;
            values[at[0]++] = value;
        });
        int[] order = KeySort.ascending(keys);
        List<Map.Entry<String, V>> sorted = new ArrayList<>(keys.length);
        for (int i : order) {
            @SuppressWarnings("unchecked")
            V value = (V) values[i];
            sorted.add(Map.entry(keys[i], value));
        }
        return sorted;
    }

    /** The checkpoint's keys, already in order, merged with the sorted keys the logs created. */
    private <V> List<Map.Entry<String, V>> mergedWithBase(Map<String, V> records) {
        List<Map.Entry<String, V>> sorted = new ArrayList<>(records.size());
        String[] logged = created.toArray(new String[0]);
        int[] order = KeySort.ascending(logged);
        String last = null;
        int b = 0;
        int a = 0;
        while (b < base.size() || a < order.length) {
            String next = a == order.length || (b < base.size() && base.get(b).compareTo(logged[order[a]]) <= 0)
                    ? base.get(b++) : logged[order[a++]];
            V value = next.equals(last) ? null : records.get(next); // null: deleted since the checkpoint, or seen already
            if (value != null) {
                sorted.add(Map.entry(next, value));
                last = next;
            }
        }
        return sorted;
    }
}
