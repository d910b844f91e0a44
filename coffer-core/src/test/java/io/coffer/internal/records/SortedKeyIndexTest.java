package io.coffer.internal.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coffer.testing.Seeds;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The sorted key index holds exactly the keys added and not removed, in order, and readers racing its writer see whole leaves. */
class SortedKeyIndexTest {

    private static List<String> all(Iterator<String> keys) {
        List<String> list = new ArrayList<>();
        keys.forEachRemaining(list::add);
        return list;
    }

    private static String key(int i) {
        return String.format("k%06d", i);
    }

    /** Adds, removes and listings from prefixes against a TreeSet, on a tree several levels high. */
    @Test
    void randomAddsAndRemovesAgreeWithATreeSetAtEveryHeight() {
        long seed = Seeds.seed("SortedKeyIndexTest");
        Random random = new Random(seed);
        SortedKeyIndex index = new SortedKeyIndex();
        TreeSet<String> model = new TreeSet<>();
        int range = 60_000; // enough keys for leaves, inner nodes and inner nodes of inner nodes
        for (int round = 0; round < 4; round++) {
            int addShare = round % 2 == 0 ? 4 : 1; // grow, then shrink, twice
            for (int i = 0; i < 80_000; i++) {
                String key = key(random.nextInt(range));
                if (random.nextInt(5) < addShare) {
                    assertEquals(model.add(key), index.add(key), "add " + key + ", seed=" + seed);
                } else {
                    assertEquals(model.remove(key), index.remove(key), "remove " + key + ", seed=" + seed);
                }
            }
            assertEquals(new ArrayList<>(model), all(index.iterator()), "round " + round + ", seed=" + seed);
            for (int p = 0; p < 200; p++) {
                String prefix = key(random.nextInt(range)).substring(0, 1 + random.nextInt(6));
                assertEquals(new ArrayList<>(model.tailSet(prefix, true)), all(index.from(prefix)), "from " + prefix + ", seed=" + seed);
                String probe = key(random.nextInt(range));
                assertEquals(model.contains(probe), index.contains(probe), probe + ", seed=" + seed);
            }
        }
    }

    /**
     * Keys with NULs, long shared prefixes, characters above U+00FF and surrogates, held as bytes or as strings,
     * keep {@code String.compareTo} order.
     */
    @Test
    void keysOfEveryShapeKeepStringOrder() {
        long seed = Seeds.seed("SortedKeyIndexTest shapes");
        Random random = new Random(seed);
        char[] alphabet = {'\u0000', '\u0001', 'a', 'b', '\u00ff', '\u0100', '\ud800', '\udc00', '\ue000', '\uffff'};
        String[] prefixes = {"", "acct-", "acct-00000000", "\u0000\u0000"};
        SortedKeyIndex index = new SortedKeyIndex();
        TreeSet<String> model = new TreeSet<>();
        for (int i = 0; i < 60_000; i++) {
            StringBuilder key = new StringBuilder(prefixes[random.nextInt(prefixes.length)]);
            for (int length = random.nextInt(9); length > 0; length--) {
                key.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String k = key.toString();
            if (random.nextInt(4) == 0) {
                assertEquals(model.remove(k), index.remove(k), "seed=" + seed);
            } else {
                assertEquals(model.add(k), index.add(StoredKey.of(k)), "seed=" + seed); // bytes or String, as the store keeps them
            }
        }
        assertEquals(new ArrayList<>(model), all(index.iterator()), "seed=" + seed);
        assertEquals(new ArrayList<>(model), all(SortedKeyIndex.of(new ArrayList<>(model)).iterator()), "seed=" + seed);
        for (String prefix : List.of("", "\u0000", "a", "acct-", "acct-00000000\u0000", "\ud800", "\uffff\uffff")) {
            assertEquals(new ArrayList<>(model.tailSet(prefix, true)), all(index.from(prefix)), "from " + prefix + ", seed=" + seed);
        }
        for (String probe : model) {
            if (!index.contains(probe)) {
                throw new AssertionError("lost " + probe + ", seed=" + seed);
            }
        }
    }

    @Test
    void anIndexBuiltFromSortedKeysHoldsThemAndKeepsChanging() {
        for (int n : new int[] {0, 1, 2, 47, 48, 49, 63, 64, 65, 48 * 48, 48 * 48 + 1, 100_000}) {
            List<String> sorted = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                sorted.add(key(2 * i));
            }
            SortedKeyIndex index = SortedKeyIndex.of(sorted);
            assertEquals(sorted, all(index.iterator()), "n=" + n);
            TreeSet<String> model = new TreeSet<>(sorted);
            for (int i = 0; i < 2 * n + 2; i += 3) { // odd keys go in between, every third even key goes
                String key = key(i);
                if (i % 2 == 1) {
                    assertTrue(index.add(key), key);
                    model.add(key);
                } else {
                    assertEquals(model.remove(key), index.remove(key), key);
                }
            }
            assertEquals(new ArrayList<>(model), all(index.iterator()), "n=" + n);
            if (n > 0) {
                assertEquals(new ArrayList<>(model.tailSet(key(n), true)), all(index.from(key(n))), "n=" + n);
            }
        }
    }

    @Test
    void removingEveryKeyEmptiesTheIndexWhichThenGrowsAgain() {
        SortedKeyIndex index = new SortedKeyIndex();
        for (int i = 0; i < 10_000; i++) {
            index.add(key(i));
        }
        for (int i = 9_999; i >= 0; i -= 2) {
            assertTrue(index.remove(key(i)));
        }
        for (int i = 0; i < 10_000; i += 2) {
            assertTrue(index.remove(key(i)));
        }
        assertFalse(index.iterator().hasNext());
        assertFalse(index.from("").hasNext());
        assertFalse(index.remove(key(1)));
        index.add("again");
        assertEquals(List.of("again"), all(index.iterator()));
    }

    @Test
    void anExhaustedIteratorSaysSo() {
        Iterator<String> keys = SortedKeyIndex.of(List.of("a")).from("b");
        assertFalse(keys.hasNext());
        assertThrowsNoSuchElement(keys);
    }

    private static void assertThrowsNoSuchElement(Iterator<String> keys) {
        try {
            keys.next();
        } catch (NoSuchElementException expected) {
            return;
        }
        throw new AssertionError("next() past the end returned instead of throwing");
    }

    /**
     * A writer adds and removes the odd keys while readers walk the index: every walk is ascending and holds
     * every even key (never touched) exactly once, whatever splits and removals it crosses.
     */
    @Test
    void readersRacingTheWriterSeeEveryUntouchedKeyOnceAndInOrder() throws Exception {
        long seed = Seeds.seed("SortedKeyIndexTest race");
        int n = 20_000;
        List<String> evens = new ArrayList<>();
        for (int i = 0; i < n; i += 2) {
            evens.add(key(i));
        }
        SortedKeyIndex index = SortedKeyIndex.of(evens);
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            Future<?> writer = threads.submit(() -> {
                Random random = new Random(seed);
                for (int i = 0; i < 400_000; i++) {
                    String odd = key(2 * random.nextInt(n / 2) + 1);
                    if (random.nextBoolean()) {
                        index.add(odd);
                    } else {
                        index.remove(odd);
                    }
                }
                writing.set(false);
            });
            List<Future<Integer>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(threads.submit(() -> {
                    int walks = 0;
                    do {
                        checkWalk(index.iterator(), evens, 0, seed);
                        int from = 2 * (walks % (n / 2));
                        checkWalk(index.from(key(from)), evens, from / 2, seed);
                        walks++;
                    } while (writing.get());
                    return walks;
                }));
            }
            writer.get(2, TimeUnit.MINUTES);
            for (Future<Integer> reader : readers) {
                assertTrue(reader.get(2, TimeUnit.MINUTES) > 0, "seed=" + seed);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static void checkWalk(Iterator<String> walk, List<String> evens, int firstEven, long seed) {
        String previous = null;
        int nextEven = firstEven;
        while (walk.hasNext()) {
            String key = walk.next();
            if (previous != null && previous.compareTo(key) >= 0) {
                throw new AssertionError(key + " after " + previous + ", seed=" + seed);
            }
            if (Integer.parseInt(key.substring(1)) % 2 == 0) {
                if (nextEven >= evens.size() || !key.equals(evens.get(nextEven))) {
                    throw new AssertionError("expected " + (nextEven < evens.size() ? evens.get(nextEven) : "the end")
                            + ", saw " + key + ", seed=" + seed);
                }
                nextEven++;
            }
            previous = key;
        }
        if (nextEven != evens.size()) {
            throw new AssertionError("the walk ended before " + evens.get(nextEven) + ", seed=" + seed);
        }
    }
}
