package io.coffer.internal.recovery;

import java.util.ArrayList;
import java.util.Arrays;
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
        if (base == null) {
            @SuppressWarnings({"unchecked", "rawtypes"})
            Map.Entry<String, V>[] all = records.entrySet().toArray(new Map.Entry[0]);
            Arrays.sort(all, Map.Entry.comparingByKey());
            return Arrays.asList(all);
        }
        List<Map.Entry<String, V>> sorted = new ArrayList<>(records.size());
        String[] added = created.toArray(new String[0]);
        Arrays.sort(added);
        String last = null;
        int b = 0;
        int a = 0;
        while (b < base.size() || a < added.length) {
            String next = a == added.length || (b < base.size() && base.get(b).compareTo(added[a]) <= 0) ? base.get(b++) : added[a++];
            V value = next.equals(last) ? null : records.get(next); // null: deleted since the checkpoint, or seen already
            if (value != null) {
                sorted.add(Map.entry(next, value));
                last = next;
            }
        }
        return sorted;
    }
}
