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
 * <p><b>Growing without a pause.</b> When the slots run out (three quarters held or removed), new arrays are
 * made and the old ones become the <em>draining</em> generation: every later write first moves the next
 * {@link #MOVES_PER_WRITE} old slots into the new arrays, so the writer never stops to copy a million entries
 * at once (a full copy of 3 million took 170-290 ms, during which no change could commit). While a generation
 * drains, a key lives in exactly one place a lookup trusts: new keys, and old ones once moved, in the new
 * arrays; the others in the old ones. A lookup tries the new arrays, then the old. The old slots are left as
 * they are when moved (a reader may still be walking them), except that removing a moved key marks its old slot
 * removed too, first, so no reader that missed it in the new arrays finds it in the old.
 *
 * <p>Concurrency: the writer fills a slot's record, then its key, then its tag (a release store); a reader loads
 * the tag with acquire, so a tag it sees brings the key and record with it. A slot never changes from one key to
 * another: a removal leaves a removed tag that only a new generation clears. So a reader that found its key's
 * slot reads that key's record, or null when a removal races it: the current record, or, in a draining slot the
 * key has left, the record it had when it moved, which was current during the lookup. The two generations are
 * published as one pair ({@link #view}, volatile): a reader searches the new arrays of the pair it read, then
 * its old ones, which still hold every key that had not moved when it searched the new ones, even if the drain
 * has ended since. A record found in old arrays counts only while their pair is still the published one: once
 * their drain is over nothing marks them any more, so they may hold a record replaced and removed since, and
 * the lookup is made again ({@link #lookup}).
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
    /**
     * Old slots moved per write while a generation drains: tens of microseconds on a write at most, and a drain
     * that ends after capacity / 1024 writes. Until it ends, both generations take memory and a lookup of a key
     * not moved yet probes both, so it should end soon even when writes slow down: moving 8 per write left the
     * read benchmark's table draining throughout, a third slower. The new arrays have room for a quarter of the
     * old capacity beyond what they receive, far more than the inserts a drain can see.
     */
    static final int MOVES_PER_WRITE = 1024;
    private static final VarHandle TAG = MethodHandles.arrayElementVarHandle(byte[].class);
    private static final VarHandle REF = MethodHandles.arrayElementVarHandle(Object[].class);

    /** The generations a reader searches: the current arrays, then the draining ones (or null). */
    record View(Slots current, Slots draining) {
    }

    /** One generation of the arrays. */
    static final class Slots {
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

        /** Slots in use (held or removed) before a new generation: three quarters. */
        int limit() {
            return mask + 1 - ((mask + 1) >>> 2);
        }

        /** The slot holding {@code key}, or {@code -1 - e} where e is the empty slot that ends its probe. */
        int find(String key, int hash) {
            byte tag = tag(hash);
            int i = start(hash, mask);
            for (byte seen; (seen = (byte) TAG.getAcquire(tags, i)) != EMPTY; i = (i + 1) & mask) {
                if (seen == tag) {
                    Object held = keys[i]; // published before the tag
                    if (held == key || StoredKey.matches(held, key)) {
                        return i;
                    }
                }
            }
            return -1 - i;
        }

        /** Fills the empty slot {@code i} (found by {@link #find}): record, key, then the tag that publishes them. */
        void fill(int i, Object key, byte[] record, byte tag) {
            records[i] = record;
            keys[i] = key;
            TAG.setRelease(tags, i, tag);
        }

        /** The first empty slot of {@code hash}'s probe: where a key known to be absent goes. */
        int firstEmpty(int hash) {
            int i = start(hash, mask);
            while (tags[i] != EMPTY) {
                i = (i + 1) & mask;
            }
            return i;
        }

        boolean holds(int i) {
            byte seen = tags[i];
            return seen != EMPTY && seen != REMOVED;
        }
    }

    /** The arrays new keys go to; replaced when a new generation starts. Writer only (readers use {@link #view}). */
    private Slots slots;
    /** The previous generation while its entries are being moved into {@link #slots}, else null. Writer only. */
    private Slots draining;
    /**
     * What readers search: {@link #slots} and {@link #draining} as one pair, published together (volatile). Two
     * separate fields let a reader miss a key that had not moved when it searched the new arrays and then see the
     * drain over (no old arrays named) by the time it looked for them.
     */
    private volatile View view;
    /** Old slots moved per write while a generation drains ({@link #MOVES_PER_WRITE}; tests drain slower). */
    private final int movesPerWrite;
    /**
     * Keys only the draining arrays hold (not moved, not removed): the room they will take in the current ones.
     * Writer only.
     */
    private int unmoved;
    /** The next draining slot to move. Writer only. */
    private int cursor;
    /** Keys held. Writer only. */
    private int size;
    /** Slots of {@link #slots} held or removed (tag not empty). Writer only. */
    private int used;

    /** An empty table with room for {@code expected} records before it grows. */
    public RecordTable(long expected) {
        this(expected, MOVES_PER_WRITE);
    }

    /** A table that moves {@code movesPerWrite} old slots per write while it drains (tests: to catch it draining). */
    RecordTable(long expected, int movesPerWrite) {
        slots = new Slots(capacityFor(expected));
        view = new View(slots, null);
        this.movesPerWrite = movesPerWrite;
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
        byte[] found;
        while ((found = lookup(key, view)) == RETRY) {
            Thread.onSpinWait(); // a drain ended during the lookup: look again in the generations now published
        }
        return found;
    }

    /** What {@link #lookup} answers when its record may be older than the lookup: look again. */
    static final byte[] RETRY = new byte[0];

    /**
     * The record of {@code key} in the generations {@code v} names: the current arrays, then the draining ones,
     * which still hold every key that had not moved when the current ones were searched, even if the drain has
     * ended since. A record found there is kept only if {@code v} is still the published pair: once the drain is
     * over, removing a moved key no longer marks these old slots, so what they hold may be a record that was
     * replaced and removed before this lookup began. Then {@link #RETRY}. Any thread.
     */
    byte[] lookup(String key, View v) {
        Slots s = v.current();
        int hash = key.hashCode();
        int i = s.find(key, hash);
        if (i >= 0) {
            return (byte[]) REF.getAcquire(s.records, i);
        }
        Slots old = v.draining();
        if (old == null) {
            return null;
        }
        int j = old.find(key, hash);
        if (j < 0) {
            return null; // a key's old slot only loses it to a removal: no later drain clears it
        }
        byte[] record = (byte[]) REF.getAcquire(old.records, j);
        return view == v ? record : RETRY;
    }

    /** The pair of generations readers search now (for tests of {@link #lookup}). */
    View view() {
        return view;
    }

    public boolean containsKey(String key) {
        return get(key) != null;
    }

    /**
     * Sets the record of {@code key}, keeping the key as given when it is new (recovery's way: its keys are
     * compacted once, in order, by {@link #compact}); returns the record it replaced, or null. Writer only.
     */
    public byte[] put(String key, byte[] record) {
        drainSome();
        int hash = key.hashCode();
        byte[] previous = replaceHeld(key, hash, record);
        if (previous != NOT_HELD) {
            return previous;
        }
        insert(key, hash, key, record);
        return null;
    }

    /**
     * Sets the record of {@code key}, keeping a new key in its compact {@link StoredKey} form: returns that form
     * when the key is new (the one object the sorted index shares), null when it replaced a record. Writer only.
     */
    public Object set(String key, byte[] record) {
        drainSome();
        int hash = key.hashCode();
        if (replaceHeld(key, hash, record) != NOT_HELD) {
            return null;
        }
        Object stored = StoredKey.of(key);
        insert(key, hash, stored, record);
        return stored;
    }

    /** What {@link #replaceHeld} answers for a key the table does not hold. */
    private static final byte[] NOT_HELD = new byte[0];

    /**
     * Gives a held key {@code record} where it lives (the current arrays, else the draining ones: not moved yet)
     * and returns the record it replaced, or {@link #NOT_HELD}.
     */
    private byte[] replaceHeld(String key, int hash, byte[] record) {
        int i = slots.find(key, hash);
        if (i >= 0) {
            return replace(slots, i, record);
        }
        int j = findDraining(key, hash);
        return j >= 0 ? replace(draining, j, record) : NOT_HELD;
    }

    /**
     * Replaces the held key equal to {@code key} by its compact {@link StoredKey} form and returns that form (the
     * one object the sorted index shares), or null when the table does not hold it. Writer only; readers may be
     * comparing the old form meanwhile, which still matches.
     */
    public Object compact(String key) {
        int hash = key.hashCode();
        Slots s = slots;
        int i = s.find(key, hash);
        if (i < 0) {
            s = draining;
            i = findDraining(key, hash);
            if (i < 0) {
                return null;
            }
        }
        Object held = s.keys[i];
        if (held instanceof String text) {
            held = StoredKey.of(text);
            REF.setRelease(s.keys, i, held);
        }
        return held;
    }

    /** Removes {@code key}; returns its record, or null if it held none. Writer only. */
    public byte[] remove(String key) {
        drainSome();
        int hash = key.hashCode();
        byte[] previous = null;
        boolean held = false;
        int j = findDraining(key, hash);
        if (j >= 0) { // the old slot first: a reader that misses the key in the new arrays must miss it here too
            previous = clear(draining, j);
            held = true;
        }
        int i = slots.find(key, hash);
        if (i >= 0) { // a moved key: its current record is here
            previous = clear(slots, i);
            held = true;
        } else if (j >= 0) {
            unmoved--; // it will not need a slot in the current arrays
        }
        if (held) {
            size--;
        }
        return previous;
    }

    /** Marks slot {@code i} of {@code s} removed; returns the record it held. */
    private static byte[] clear(Slots s, int i) {
        byte[] previous = s.records[i];
        TAG.setRelease(s.tags, i, REMOVED);
        REF.setRelease(s.records, i, null); // a reader past the tag sees the record or null: both are answers
        s.keys[i] = null; // no reader compares it once the tag says removed, or it compares null: no match
        return previous;
    }

    /**
     * The draining slot holding {@code key}, or -1: the key's only slot when the current arrays do not hold it, a
     * copy left behind when they do. Writer only.
     */
    private int findDraining(String key, int hash) {
        Slots old = draining;
        if (old == null) {
            return -1;
        }
        int j = old.find(key, hash);
        return j >= 0 ? j : -1;
    }

    private static byte[] replace(Slots s, int slot, byte[] record) {
        byte[] previous = s.records[slot];
        REF.setRelease(s.records, slot, record);
        return previous;
    }

    /** Puts a key found nowhere, held as {@code stored}, starting a new generation first when the slots run out. */
    private void insert(String key, int hash, Object stored, byte[] record) {
        if (draining != null && used + unmoved >= slots.limit()) {
            drainAll(); // the keys still to move must fit too: not reached at 8 or more moves per write; at 1 (a
                        // test's setting) an insert filled the arrays while the drain lagged, and a probe never ended
        }
        if (used >= slots.limit()) { // never while draining: the check above keeps used + unmoved under the limit
            // room for what it holds, plus a quarter of the old capacity: the inserts while the old ones drain
            startGeneration(capacityFor(size + 1 + (slots.mask + 1L) / 4));
        }
        Slots s = slots;
        s.fill(s.firstEmpty(hash), stored, record, tag(hash));
        size++;
        used++;
    }

    /** Publishes new arrays of {@code capacity} slots, the current ones becoming the draining generation. */
    private void startGeneration(int capacity) {
        draining = slots;
        slots = new Slots(capacity);
        unmoved = size;
        view = new View(slots, draining); // one store: a reader that sees the new arrays sees the old ones with them
        cursor = 0;
        used = 0;
    }

    /** Moves the next {@link #movesPerWrite} draining slots, if a generation drains. Writer only. */
    private void drainSome() {
        if (draining != null) {
            drain(movesPerWrite);
        }
    }

    private void drainAll() {
        drain(Integer.MAX_VALUE);
    }

    /** Moves up to {@code count} draining slots into the current arrays; ends the draining after the last one. */
    private void drain(int count) {
        Slots old = draining;
        Slots s = slots;
        int end = (int) Math.min(old.mask + 1L, (long) cursor + count);
        for (int j = cursor; j < end; j++) {
            if (old.holds(j)) { // not in the current arrays: a key goes there only once it is nowhere else
                Object key = old.keys[j];
                s.fill(s.firstEmpty(StoredKey.hash(key)), key, old.records[j], old.tags[j]);
                used++;
                unmoved--;
            }
        }
        cursor = end;
        if (cursor > old.mask) {
            draining = null; // every entry lives in the current arrays now
            view = new View(slots, null);
        }
    }

    /**
     * This table, rebuilt to its size when it has room for four times as many records or more (logs that mostly
     * changed the same keys again made it for more than it holds). Writer only, with no reader yet: the new
     * arrays are filled at once.
     */
    public RecordTable trimmed() {
        if (draining != null) {
            drainAll();
        }
        if (capacityFor(size) * 4L <= slots.mask + 1 && slots.mask + 1 > 1024) {
            startGeneration(capacityFor(size));
            drainAll();
        }
        return this;
    }

    /** Keys held. Writer only (or while no one writes). */
    public int size() {
        return size;
    }

    /** Every key held: the current arrays' in slot order, then the draining ones not moved yet. Writer only. */
    public String[] keys() {
        String[] keys = new String[size];
        int n = 0;
        Slots s = slots;
        for (int i = 0; i <= s.mask; i++) {
            if (s.holds(i)) {
                keys[n++] = StoredKey.text(s.keys[i]);
            }
        }
        Slots old = draining;
        if (old != null) {
            for (int j = cursor; j <= old.mask; j++) {
                if (old.holds(j)) {
                    keys[n++] = StoredKey.text(old.keys[j]);
                }
            }
        }
        return keys;
    }

    /** Slots in the current arrays (for tests and memory accounting). */
    int capacity() {
        return slots.mask + 1;
    }

    /** Whether a generation is being drained (for tests). */
    boolean draining() {
        return draining != null;
    }
}
