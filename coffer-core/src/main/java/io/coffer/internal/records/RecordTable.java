package io.coffer.internal.records;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The committed records by key: an open-addressing hash table written by one thread at a time and read by any
 * thread without locks. It holds keys as it is given them ({@code String}s: recovery fills it so) until
 * {@link #compact} turns a key into its smaller {@link StoredKey} form.
 *
 * <pre>
 *   slot i:   tags[i]     1 byte    0 empty, 1 removed, 0x80..0xFF seven bits of the key's hash (a filter)
 *             keys[i]     Object    the key ({@link StoredKey}: its bytes, or the String); never changes to another
 *                                   key (a removed slot stays removed)
 *             records[i]  byte[]    the packed {@link Record}; replaced on update, null once removed
 *   lookup:   from slot (hash ^ hash >>> 16) & mask, one slot on at a time, to the first empty slot
 * </pre>
 *
 * <p>Why not {@code ConcurrentHashMap}: its node per entry costs 32 bytes plus a table slot; here an entry is
 * 9 bytes of slots in arrays at most three quarters full, 12-24 bytes per record. The tag keeps a probe from
 * following a pointer to every key it passes: only one in 128 foreign keys is compared.
 *
 * <p>Concurrency: the writer fills a slot's record, then its key, then its tag (a release store); a reader loads
 * the tag with acquire, so a tag it sees brings the key and record with it. A slot never changes from one key to
 * another: a removal leaves a removed tag that only a rebuild clears. So a reader that found its key's slot reads
 * that key's current record, or null when a removal races it. A rebuild fills new arrays and publishes them at once
 * (volatile); a reader still walking the old ones sees their state before the rebuild.
 *
 * <p>Threads: {@link #put}, {@link #set}, {@link #compact}, {@link #remove}, {@link #trimmed} by one writing thread
 * at a time (handing over with a happens-before edge); {@link #get} by any thread; {@link #size}, {@link #keys},
 * {@link #containsKey} by the writer, or by anyone while no one writes.
 */
public final class RecordTable {
    private static final byte EMPTY = 0;
    private static final byte REMOVED = 1;
    private static final int MIN_CAPACITY = 16;
    private static final int MAX_CAPACITY = 1 << 30;
    private static final VarHandle TAG = MethodHandles.arrayElementVarHandle(byte[].class);
    private static final VarHandle REF = MethodHandles.arrayElementVarHandle(Object[].class);

    /** One generation of the arrays. */
    private static final class Slots {
        final byte[] tags;
        final Object[] keys;
        final byte[][] records;
        final int mask;

        Slots(int capacity) {
            tags = new byte[capacity];
            keys = new Object[capacity];
            records = new byte[capacity][];
            mask = capacity - 1;
        }

        /** Slots in use (held or removed) before a rebuild: three quarters. */
        int limit() {
            return mask + 1 - ((mask + 1) >>> 2);
        }
    }

    /** The current arrays; replaced (volatile) by a rebuild. */
    private volatile Slots slots;
    /** Keys held. Writer only. */
    private int size;
    /** Slots held or removed (tag not empty). Writer only. */
    private int used;

    /** An empty table with room for {@code expected} records before it rebuilds. */
    public RecordTable(long expected) {
        slots = new Slots(capacityFor(expected));
    }

    public RecordTable() {
        this(0);
    }

    /** The smallest power of two whose three quarters hold {@code records}. */
    static int capacityFor(long records) {
        long needed = Math.max(MIN_CAPACITY, records + (records + 2) / 3);
        return needed >= MAX_CAPACITY ? MAX_CAPACITY : Integer.highestOneBit((int) needed - 1) << 1;
    }

    private static int start(int hash, int mask) {
        return (hash ^ hash >>> 16) & mask;
    }

    /** Seven other bits of the hash, with the top bit set so a tag is never empty or removed. */
    private static byte tag(int hash) {
        return (byte) ((hash * 0x9E3779B9) >>> 25 | 0x80);
    }

    /** The record of {@code key}, or null. Any thread. */
    public byte[] get(String key) {
        Slots s = slots;
        int hash = key.hashCode();
        byte tag = tag(hash);
        for (int i = start(hash, s.mask); ; i = (i + 1) & s.mask) {
            byte seen = (byte) TAG.getAcquire(s.tags, i);
            if (seen == EMPTY) {
                return null;
            }
            if (seen == tag) {
                Object held = s.keys[i]; // published before the tag
                if (held == key || StoredKey.matches(held, key)) {
                    return (byte[]) REF.getAcquire(s.records, i);
                }
            }
        }
    }

    public boolean containsKey(String key) {
        return get(key) != null;
    }

    /**
     * Sets the record of {@code key}, keeping the key as given when it is new (recovery's way: its keys are
     * compacted once, in order, by {@link #compact}); returns the record it replaced, or null. Writer only.
     */
    public byte[] put(String key, byte[] record) {
        int i = find(key);
        if (i >= 0) {
            return replace(i, record);
        }
        insert(key, key, record);
        return null;
    }

    /**
     * Sets the record of {@code key}, keeping a new key in its compact {@link StoredKey} form: returns that form
     * when the key is new (the one object the sorted index shares), null when it replaced a record. Writer only.
     */
    public Object set(String key, byte[] record) {
        int i = find(key);
        if (i >= 0) {
            replace(i, record);
            return null;
        }
        Object stored = StoredKey.of(key);
        insert(key, stored, record);
        return stored;
    }

    /**
     * Replaces the held key equal to {@code key} by its compact {@link StoredKey} form and returns that form (the
     * one object the sorted index shares), or null when the table does not hold it. Writer only; readers may be
     * comparing the old form meanwhile, which still matches.
     */
    public Object compact(String key) {
        int i = find(key);
        if (i < 0) {
            return null;
        }
        Slots s = slots;
        Object held = s.keys[i];
        if (held instanceof String text) {
            held = StoredKey.of(text);
            REF.setRelease(s.keys, i, held);
        }
        return held;
    }

    /** Removes {@code key}; returns its record, or null if it held none. Writer only. */
    public byte[] remove(String key) {
        int i = find(key);
        if (i < 0) {
            return null;
        }
        Slots s = slots;
        byte[] previous = s.records[i];
        TAG.setRelease(s.tags, i, REMOVED);
        REF.setRelease(s.records, i, null); // a reader past the tag sees the record or null: both are answers
        s.keys[i] = null; // no reader compares it once the tag says removed, or it compares null: no match
        size--;
        return previous;
    }

    /** The slot holding {@code key}, or {@code -1 - e} where e is the empty slot that ends its probe. Writer only. */
    private int find(String key) {
        Slots s = slots;
        int hash = key.hashCode();
        byte tag = tag(hash);
        int i = start(hash, s.mask);
        for (byte seen; (seen = s.tags[i]) != EMPTY; i = (i + 1) & s.mask) {
            if (seen == tag && StoredKey.matches(s.keys[i], key)) {
                return i;
            }
        }
        return -1 - i;
    }

    private byte[] replace(int slot, byte[] record) {
        byte[] previous = slots.records[slot];
        REF.setRelease(slots.records, slot, record);
        return previous;
    }

    /** Puts a key {@link #find} did not find, held as {@code stored}, rebuilding first when the slots run out. */
    private void insert(String key, Object stored, byte[] record) {
        if (used >= slots.limit()) {
            rebuild(size + 1);
        }
        Slots s = slots;
        int i = -1 - find(key);
        s.records[i] = record;
        s.keys[i] = stored;
        TAG.setRelease(s.tags, i, tag(key.hashCode()));
        size++;
        used++;
    }

    /** Copies the held entries into fresh arrays with room for {@code records}, dropping removed slots. */
    private void rebuild(long records) {
        Slots old = slots;
        Slots fresh = new Slots(capacityFor(Math.max(records, size)));
        for (int j = 0; j <= old.mask; j++) {
            if (old.tags[j] != EMPTY && old.tags[j] != REMOVED) {
                int i = start(StoredKey.hash(old.keys[j]), fresh.mask);
                while (fresh.tags[i] != EMPTY) {
                    i = (i + 1) & fresh.mask;
                }
                fresh.records[i] = old.records[j];
                fresh.keys[i] = old.keys[j];
                fresh.tags[i] = old.tags[j];
            }
        }
        used = size;
        slots = fresh; // publishes every slot written above
    }

    /**
     * This table, rebuilt to its size when it has room for four times as many records or more (logs that mostly
     * changed the same keys again made it for more than it holds). Writer only.
     */
    public RecordTable trimmed() {
        if (capacityFor(size) * 4L <= slots.mask + 1 && slots.mask + 1 > 1024) {
            rebuild(size);
        }
        return this;
    }

    /** Keys held. Writer only (or while no one writes). */
    public int size() {
        return size;
    }

    /** Every key held, in slot order. Writer only (or while no one writes). */
    public String[] keys() {
        Slots s = slots;
        String[] keys = new String[size];
        int n = 0;
        for (int i = 0; i <= s.mask; i++) {
            if (s.tags[i] != EMPTY && s.tags[i] != REMOVED) {
                keys[n++] = StoredKey.text(s.keys[i]);
            }
        }
        return keys;
    }

    /** Slots in the current arrays (for tests and memory accounting). */
    int capacity() {
        return slots.mask + 1;
    }
}
