package io.coffer.internal.records;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A set of keys in ascending order: a B+tree of exact-size arrays, written by one thread at a time and read by any
 * thread without locks.
 *
 * <pre>
 *                 root (volatile): a leaf, or
 *                   Inner { lows = [null, l1, l2, ...], children = [c0, c1, c2, ...] }
 *                    /             |             \
 *   child i holds the keys k with lows[i] <= k < lows[i+1] (no lower bound for child 0, no upper for the last)
 *                   ...           ...           ...
 *   leaves: Object[] of 1..64 keys ({@link StoredKey} forms), ascending, each array exactly as long as the keys it holds
 * </pre>
 *
 * <p>Each inner node also keeps its separators summarised ({@link SeparatorHeads}: their shared prefix and the
 * next 8 characters of each in one {@code long[]}), so a descent compares numbers and follows a reference to a
 * separator only when heads tie.
 *
 * <p>Published arrays never change, except one thing: an inner node's child slot, which the writer replaces (a
 * release store; readers load it with acquire) by a copy of that child covering the same range of keys. Adding or
 * removing a key copies its leaf (at most 64 references) into the slot; only a leaf that overflows and splits, or
 * empties, copies its parent too, and so on up to the root. So a reader always sees whole leaves: an iteration
 * racing a writer may miss the key being added or show the key being removed, but never misses or repeats any
 * other key, and always yields keys in ascending order.
 *
 * <p>Why not {@code ConcurrentSkipListMap}: a skip-list node and its share of index nodes cost about 36 bytes per
 * key and one object each, here a key costs one reference (4 bytes with compressed pointers) plus a share of its
 * leaf's header and parent slot, about 5 bytes. Leaves are not merged when they shrink (a leaf of one key costs
 * about 32 bytes, still less than a skip-list node); emptied leaves are removed.
 *
 * <p>Threads: {@link #add}, {@link #remove} by one writing thread at a time (handing over with a happens-before
 * edge); the rest by any thread.
 */
final class SortedKeyIndex {
    /** Keys per leaf at most; a leaf of 65 splits into two of 32 and 33. */
    static final int MAX_LEAF = 64;
    /** Children per inner node at most. */
    static final int MAX_CHILDREN = 64;
    /** Keys per leaf when built from sorted keys: room left for inserts before the first splits. */
    static final int BUILD_LEAF = 48;
    /** Deep enough for any tree: a root splits only when it holds 65 children of at least 32 each. */
    private static final int MAX_HEIGHT = 16;
    private static final Object[] EMPTY = new Object[0];
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

    /**
     * An inner node: its separators, their summary, and children (each an Object[] leaf or an Inner). Only the
     * slots change.
     */
    static final class Inner {
        /** lows[i]: the smallest key child i may hold; lows[0] is null (no lower bound). Never changes. */
        final Object[] lows;
        /** Slot i replaced (release) by the writer with a copy of child i covering the same keys. */
        final Object[] children;
        /** The separators summarised, so a search mostly compares numbers; null if they cannot be. */
        private final SeparatorHeads heads;

        Inner(Object[] lows, Object[] children) {
            this.lows = lows;
            this.children = children;
            this.heads = SeparatorHeads.of(lows);
        }

        /** The slot whose range holds {@code key} (a stored form or a {@code String}). */
        int slotOf(Object key) {
            return heads == null ? SeparatorHeads.plainSlot(lows, 1, lows.length, key) : heads.slotOf(lows, key);
        }

        Object child(int slot) {
            return SLOT.getAcquire(children, slot);
        }
    }

    /** The root: an Object[] leaf or an Inner. Written by the writing thread only. */
    private volatile Object root = EMPTY;

    // Writer only: the path of the last descent (nodes and the slots taken), reused to spare an allocation per write.
    private final Inner[] pathNodes = new Inner[MAX_HEIGHT];
    private final int[] pathSlots = new int[MAX_HEIGHT];
    /** Writer only: how many inner nodes the last path holds. */
    private int pathHeight;

    /** An empty index. */
    SortedKeyIndex() {
    }

    /**
     * An index of {@code sorted} (ascending, each key once, not checked), built bottom-up in linear time with
     * leaves {@link #BUILD_LEAF} full.
     */
    static SortedKeyIndex of(List<?> sorted) {
        SortedKeyIndex index = new SortedKeyIndex();
        if (sorted.isEmpty()) {
            return index;
        }
        Object[] level = chunks(sorted.size(), BUILD_LEAF, (from, to) -> sorted.subList(from, to).toArray(EMPTY));
        Object[] lows = new Object[level.length];
        for (int i = 0; i < level.length; i++) {
            lows[i] = ((Object[]) level[i])[0];
        }
        while (level.length > 1) {
            Object[] children = level;
            Object[] childLows = lows;
            level = chunks(children.length, MAX_CHILDREN * 3 / 4, (from, to) -> {
                Object[] innerLows = Arrays.copyOfRange(childLows, from, to);
                innerLows[0] = null;
                return new Inner(innerLows, Arrays.copyOfRange(children, from, to));
            });
            lows = chunkLows(childLows, children.length, level.length);
        }
        index.root = level[0];
        return index;
    }

    private interface Chunk {
        Object make(int from, int to);
    }

    /** {@code n} items cut into as few runs of about {@code size} as possible, runs differing by at most one. */
    private static Object[] chunks(int n, int size, Chunk chunk) {
        int count = (n + size - 1) / size;
        Object[] made = new Object[count];
        for (int i = 0; i < count; i++) {
            made[i] = chunk.make(chunkStart(n, count, i), chunkStart(n, count, i + 1));
        }
        return made;
    }

    private static int chunkStart(int n, int count, int i) {
        return (int) ((long) n * i / count);
    }

    /** The smallest key of each chunk made by {@link #chunks} over children with these lows. */
    private static Object[] chunkLows(Object[] childLows, int n, int count) {
        Object[] lows = new Object[count];
        for (int i = 0; i < count; i++) {
            lows[i] = childLows[chunkStart(n, count, i)];
        }
        return lows;
    }

    /** Adds {@code key}; false if it was there. Writing thread only. */
    boolean add(Object key) {
        Object[] leaf = descend(key);
        int height = pathHeight;
        int found = StoredKey.search(leaf, 0, leaf.length, key);
        if (found >= 0) {
            return false;
        }
        int at = -found - 1;
        Object[] grown = new Object[leaf.length + 1];
        System.arraycopy(leaf, 0, grown, 0, at);
        grown[at] = key;
        System.arraycopy(leaf, at, grown, at + 1, leaf.length - at);
        if (grown.length <= MAX_LEAF) {
            replace(height, grown);
            return true;
        }
        int half = grown.length / 2;
        splitUpwards(height, Arrays.copyOfRange(grown, 0, half), Arrays.copyOfRange(grown, half, grown.length), grown[half]);
        return true;
    }

    /**
     * Replaces the node at depth {@code height} of the last path by {@code left} and {@code right} (whose smallest
     * key is {@code rightLow}), widening the parents, splitting those that overflow, up to a new root if need be.
     */
    private void splitUpwards(int height, Object left, Object right, Object rightLow) {
        for (int depth = height - 1; depth >= 0; depth--) {
            Inner parent = pathNodes[depth];
            int slot = pathSlots[depth];
            int n = parent.children.length;
            Object[] lows = new Object[n + 1];
            Object[] children = new Object[n + 1];
            System.arraycopy(parent.lows, 0, lows, 0, slot + 1);
            System.arraycopy(parent.children, 0, children, 0, slot);
            children[slot] = left;
            lows[slot + 1] = rightLow;
            children[slot + 1] = right;
            System.arraycopy(parent.lows, slot + 1, lows, slot + 2, n - slot - 1);
            System.arraycopy(parent.children, slot + 1, children, slot + 2, n - slot - 1);
            if (n + 1 <= MAX_CHILDREN) {
                replace(depth, new Inner(lows, children));
                return;
            }
            int half = (n + 1) / 2;
            Object[] rightLows = Arrays.copyOfRange(lows, half, n + 1);
            rightLow = rightLows[0];
            rightLows[0] = null;
            left = new Inner(Arrays.copyOfRange(lows, 0, half), Arrays.copyOfRange(children, 0, half));
            right = new Inner(rightLows, Arrays.copyOfRange(children, half, n + 1));
        }
        root = new Inner(new Object[] {null, rightLow}, new Object[] {left, right});
    }

    /** Removes {@code key}; false if it was not there. Writing thread only. */
    boolean remove(Object key) {
        Object[] leaf = descend(key);
        int height = pathHeight;
        int found = StoredKey.search(leaf, 0, leaf.length, key);
        if (found < 0) {
            return false;
        }
        if (leaf.length > 1) {
            Object[] shrunk = new Object[leaf.length - 1];
            System.arraycopy(leaf, 0, shrunk, 0, found);
            System.arraycopy(leaf, found + 1, shrunk, found, shrunk.length - found);
            replace(height, shrunk);
            return true;
        }
        removeEmptied(height);
        return true;
    }

    /** Takes out the node at depth {@code height} of the last path, which emptied, and any parent it leaves empty. */
    private void removeEmptied(int height) {
        for (int depth = height - 1; depth >= 0; depth--) {
            Inner parent = pathNodes[depth];
            int slot = pathSlots[depth];
            int n = parent.children.length;
            if (n == 1) {
                continue; // the parent empties too
            }
            if (depth == 0 && n == 2) {
                root = parent.child(1 - slot); // a root of one child is that child
                return;
            }
            Object[] lows = new Object[n - 1];
            Object[] children = new Object[n - 1];
            System.arraycopy(parent.lows, 0, lows, 0, slot);
            System.arraycopy(parent.children, 0, children, 0, slot);
            System.arraycopy(parent.lows, slot + 1, lows, slot, n - slot - 1);
            System.arraycopy(parent.children, slot + 1, children, slot, n - slot - 1);
            lows[0] = null; // removing child 0 makes child 1 the first: it takes on the lower range
            replace(depth, new Inner(lows, children));
            return;
        }
        root = EMPTY;
    }

    /** Walks from the root to the leaf whose range holds {@code key}, filling the path and {@link #pathHeight}. */
    private Object[] descend(Object key) {
        Object node = root;
        int height = 0;
        while (node instanceof Inner inner) {
            int slot = inner.slotOf(key);
            pathNodes[height] = inner;
            pathSlots[height] = slot;
            height++;
            node = inner.child(slot);
        }
        pathHeight = height;
        return (Object[]) node;
    }

    /** Publishes {@code node} in place of the node at depth {@code height} of the last path. */
    private void replace(int height, Object node) {
        if (height == 0) {
            root = node;
        } else {
            SLOT.setRelease(pathNodes[height - 1].children, pathSlots[height - 1], node);
        }
    }

    /** Whether {@code key} is held. Any thread. */
    boolean contains(Object key) {
        Object node = root;
        while (node instanceof Inner inner) {
            node = inner.child(inner.slotOf(key));
        }
        return StoredKey.search((Object[]) node, 0, ((Object[]) node).length, key) >= 0;
    }

    /** Every key in ascending order. Any thread; weakly consistent (see class doc). */
    Iterator<String> iterator() {
        return new Ascending(null);
    }

    /** The keys from {@code first} (included) on, in ascending order. Any thread; weakly consistent. */
    Iterator<String> from(String first) {
        return new Ascending(first);
    }

    /** A walk over the leaves in order, remembering the path to the current one. */
    private final class Ascending implements Iterator<String> {
        private final Inner[] nodes = new Inner[MAX_HEIGHT];
        private final int[] slots = new int[MAX_HEIGHT];
        private int height;
        private Object[] leaf;
        private int at;

        Ascending(String first) {
            Object node = root;
            while (node instanceof Inner inner) {
                int slot = first == null ? 0 : inner.slotOf(first);
                nodes[height] = inner;
                slots[height] = slot;
                height++;
                node = inner.child(slot);
            }
            leaf = (Object[]) node;
            if (first != null) {
                int found = StoredKey.search(leaf, 0, leaf.length, first);
                at = found >= 0 ? found : -found - 1;
            }
            skipExhaustedLeaves();
        }

        /** Moves to the next leaf while the current one has nothing left; leaves {@code leaf} null at the end. */
        private void skipExhaustedLeaves() {
            while (leaf != null && at >= leaf.length) {
                leaf = nextLeaf();
                at = 0;
            }
        }

        private Object[] nextLeaf() {
            int depth = height - 1;
            while (depth >= 0 && slots[depth] + 1 >= nodes[depth].children.length) {
                depth--;
            }
            if (depth < 0) {
                return null;
            }
            slots[depth]++;
            Object node = nodes[depth].child(slots[depth]);
            for (int d = depth + 1; d < height; d++) {
                Inner inner = (Inner) node; // the tree's height changes only at the root, which this walk holds
                nodes[d] = inner;
                slots[d] = 0;
                node = inner.child(0);
            }
            return (Object[]) node;
        }

        @Override
        public boolean hasNext() {
            return leaf != null;
        }

        @Override
        public String next() {
            if (leaf == null) {
                throw new NoSuchElementException();
            }
            String key = StoredKey.text(leaf[at++]);
            skipExhaustedLeaves();
            return key;
        }
    }
}
