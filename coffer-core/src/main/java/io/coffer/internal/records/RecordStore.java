package io.coffer.internal.records;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The records, in memory, in two layers. Each record is a packed {@link Record} (version and value in one
 * immutable array).
 *
 * <ul>
 *   <li><b>Committed</b>: what is on disk. Readers see only this layer, so a read never returns a value
 *       whose log record has not been synced. Changed only by the thread that applies synced operations
 *       (the batcher while running; recovery or {@code writeListUnsafe} while not).</li>
 *   <li><b>Staged</b>: the newest state of a key whose change is queued or being written but not yet
 *       synced. Writers holding the key's lock read it ({@link #latest}), so a second change of a hot
 *       key can be computed and queued into the same group commit as the first instead of waiting a
 *       whole sync for it. If the log fails, the database fails: nothing staged ever reaches a reader.</li>
 * </ul>
 *
 * <p>The committed layer is a hash table of the records for point reads (one or two cache misses, so reads
 * scale with cores) beside a sorted index of its keys for listings (a prefix listing of k keys costs O(log n +
 * k)). The sorted index holds keys only, so changing an existing record touches the hash table alone: only
 * creating or deleting a key changes the index (walking it was a quarter of the batcher's time on
 * transactions over 70,000 records when records lived in a skip list). The price is a hash-table entry, 12-24
 * bytes ({@link RecordTable}), and about 5 bytes in the sorted index ({@link SortedKeyIndex}) per record. Both
 * share one stored key per record, kept as its bare bytes when it is Latin-1 text ({@link StoredKey}): 24 bytes
 * less than a {@code String}, paid for by making a {@code String} again for each key a listing returns.
 */
public final class RecordStore {
    /** The committed records by key. Written by the applying thread only (see class doc); read by any thread. */
    private final RecordTable byKey;
    /**
     * The keys of {@link #byKey}, sorted, for listings. Written by the applying thread only, just after
     * {@link #byKey}: a listing racing a commit may miss a key being created or show one being deleted, but the
     * commit is over before its writer is answered.
     */
    private final SortedKeyIndex sortedKeys;
    /** Put and removed-on-failure by the writer holding the key's lock; removed-on-apply by the applying thread. */
    private final ConcurrentHashMap<String, Staged> staged = new ConcurrentHashMap<>();
    /** The committed record count; written by the applying thread only. */
    private volatile long size;

    /**
     * A store whose committed layer holds {@code recovered}, which it adopts as its point-read index (the caller
     * must not use the table afterwards: recovery hands over the table it built, saving a copy of every record), with
     * its keys in ascending order in {@code sortedKeys} for the sorted index. Each key is turned into its compact
     * {@link StoredKey} form here, once, in that order.
     */
    public RecordStore(RecordTable recovered, List<String> sortedKeys) {
        if (sortedKeys.size() != recovered.size()) {
            throw new IllegalArgumentException(sortedKeys.size() + " sorted keys for " + recovered.size() + " records");
        }
        this.byKey = recovered;
        Object[] stored = new Object[sortedKeys.size()];
        for (int i = 0; i < stored.length; i++) {
            stored[i] = recovered.compact(sortedKeys.get(i)); // one object per key, shared by both indexes
            if (stored[i] == null) {
                throw new IllegalArgumentException("sorted key " + sortedKeys.get(i) + " has no record");
            }
        }
        this.sortedKeys = SortedKeyIndex.of(Arrays.asList(stored));
        this.size = recovered.size();
    }

    /** The committed packed record of {@code key} (never to be modified), or null. Any thread. */
    public byte[] committed(String key) {
        return byKey.get(key);
    }

    /**
     * The newest state of {@code key}, staged or committed, or null if it does not exist there.
     * Only for a thread holding the key's lock.
     */
    public byte[] latest(String key) {
        Staged newest = staged.get(key);
        if (newest != null) {
            return newest.record();
        }
        // Staged is read first: the applier commits before it unstages, so a missing staged state
        // means the committed layer already holds it.
        return byKey.get(key);
    }

    /** Records {@code state} as the newest state of {@code key}. Only for a thread holding the key's lock. */
    public void stage(String key, Staged state) {
        staged.put(key, state);
    }

    /** Forgets {@code state} if it is still the newest state of {@code key} (its operation failed or was applied). */
    public void unstage(String key, Staged state) {
        staged.remove(key, state);
    }

    /** Makes a synced change visible: sets or removes the committed record. Applying thread only. */
    public void commit(String key, byte[] record) {
        if (record != null) {
            Object created = byKey.set(key, record); // a new key's compact form, shared by both indexes
            if (created != null) {
                sortedKeys.add(created);
                size++;
            }
        } else if (byKey.remove(key) != null) {
            sortedKeys.remove(key);
            size--;
        }
    }

    public long size() {
        return size;
    }

    /** Every committed key, sorted. */
    public List<String> keys() {
        List<String> keys = new ArrayList<>((int) Math.min(Integer.MAX_VALUE - 8, size));
        sortedKeys.iterator().forEachRemaining(keys::add);
        return keys;
    }

    /** The committed keys starting with {@code prefix}, sorted; visits only those keys. */
    public List<String> keysWithPrefix(String prefix) {
        List<String> keys = new ArrayList<>();
        for (Iterator<String> from = sortedKeys.from(prefix); from.hasNext(); ) {
            String key = from.next();
            if (!key.startsWith(prefix)) {
                break;
            }
            keys.add(key);
        }
        return keys;
    }

    /** The committed keys ending with {@code suffix}, sorted (a full scan: keys are not indexed by suffix). */
    public List<String> keysWithSuffix(String suffix) {
        List<String> keys = new ArrayList<>();
        for (Iterator<String> all = sortedKeys.iterator(); all.hasNext(); ) {
            String key = all.next();
            if (key.endsWith(suffix)) {
                keys.add(key);
            }
        }
        return keys;
    }

    /** Every committed key in ascending order, without copying (a checkpoint of a quiet store walks it). */
    public Iterator<String> sortedKeys() {
        return sortedKeys.iterator();
    }
}
