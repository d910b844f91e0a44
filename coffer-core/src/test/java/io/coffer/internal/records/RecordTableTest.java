package io.coffer.internal.records;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coffer.testing.Seeds;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The record table answers like a HashMap through growth, removals and new generations, and readers racing its
 * writer find every untouched key, every key put before their lookup and no key removed before it.
 */
class RecordTableTest {

    private static byte[] record(int i) {
        return Record.pack(i, new byte[] {(byte) i});
    }

    @ParameterizedTest
    @ValueSource(ints = {8, RecordTable.MOVES_PER_WRITE})
    void randomPutsAndRemovesAgreeWithAHashMapThroughNewGenerations(int movesPerWrite) {
        long seed = Seeds.seed("RecordTableTest");
        System.out.println("RecordTableTest movesPerWrite=" + movesPerWrite);
        Random random = new Random(seed);
        RecordTable table = new RecordTable(0, movesPerWrite);
        Map<String, byte[]> model = new HashMap<>();
        for (int round = 0; round < 6; round++) {
            int range = round % 2 == 0 ? 50_000 : 500; // many keys, then churn over few: removed slots pile up
            for (int i = 0; i < 100_000; i++) {
                String key = "k" + random.nextInt(range);
                if (random.nextInt(3) == 0) {
                    assertSame(model.remove(key), table.remove(key), "remove " + key + ", seed=" + seed);
                } else {
                    byte[] record = record(i);
                    assertSame(model.put(key, record), table.put(key, record), "put " + key + ", seed=" + seed);
                    if (random.nextBoolean()) { // as the store does with a key it creates
                        assertArrayEquals(key.getBytes(StandardCharsets.ISO_8859_1), (byte[]) table.compact(key), "seed=" + seed);
                    }
                }
            }
            assertEquals(model.size(), table.size(), "seed=" + seed);
            assertEquals(new TreeSet<>(model.keySet()), new TreeSet<>(Arrays.asList(table.keys())), "seed=" + seed);
            for (int probe = 0; probe < 60_000; probe++) {
                String key = "k" + probe;
                assertSame(model.get(key), table.get(key), key + ", seed=" + seed);
            }
        }
    }

    @Test
    void keysWithEqualHashesAndEqualTagsAreKeptApart() {
        RecordTable table = new RecordTable();
        List<String> colliding = List.of("Aa", "BB", "AaAa", "BBBB", "AaBB", "BBAa"); // "Aa" and "BB" share a hashCode
        for (int i = 0; i < colliding.size(); i++) {
            table.put(colliding.get(i), record(i));
        }
        table.remove("BB");
        for (int i = 0; i < colliding.size(); i++) {
            if (!colliding.get(i).equals("BB")) {
                assertEquals(i, Record.version(table.get(colliding.get(i))), colliding.get(i));
            }
        }
        assertNull(table.get("BB"));
        table.put("BB", record(9));
        assertEquals(9, Record.version(table.get("BB")));
    }

    @Test
    void compactingAKeyKeepsItsRecordAndNamesTheSharedForm() {
        RecordTable table = new RecordTable();
        table.put("latin", record(1));
        table.put("\u0100wide", record(2));
        Object latin = table.compact("latin");
        assertArrayEquals("latin".getBytes(StandardCharsets.ISO_8859_1), (byte[]) latin);
        assertSame(latin, table.compact("latin"), "compacting twice gives the one stored form");
        assertEquals("\u0100wide", table.compact("\u0100wide"));
        assertNull(table.compact("absent"));
        assertEquals(1, Record.version(table.get("latin")));
        assertEquals(2, Record.version(table.get("\u0100wide")));
        assertEquals(List.of("latin", "\u0100wide"), new ArrayList<>(new TreeSet<>(Arrays.asList(table.keys()))));
    }

    @Test
    void setKeepsANewKeyCompactAndNamesItOnlyWhenItIsNew() {
        RecordTable table = new RecordTable();
        Object stored = table.set("key", record(1));
        assertArrayEquals("key".getBytes(StandardCharsets.ISO_8859_1), (byte[]) stored);
        assertNull(table.set("key", record(2)), "an update creates no key");
        assertSame(stored, table.compact("key"), "the table holds the form set returned");
        assertEquals(2, Record.version(table.get("key")));
        assertEquals("\u0100", table.set("\u0100", record(3)));
        assertEquals(2, table.size());
    }

    @Test
    void aTableMadeForManyRecordsShrinksToWhatItHolds() {
        RecordTable table = new RecordTable(1_000_000);
        int before = table.capacity();
        table.put("only", record(1));
        assertSame(table, table.trimmed());
        assertTrue(table.capacity() < before / 100, table.capacity() + " slots for one record");
        assertArrayEquals(record(1), table.get("only"));
    }

    @Test
    void capacityIsAPowerOfTwoWithAQuarterFree() {
        for (long n : new long[] {0, 1, 12, 13, 767, 768, 769, 1_000_000}) {
            int capacity = RecordTable.capacityFor(n);
            assertEquals(1, Integer.bitCount(capacity), "n=" + n);
            assertTrue(capacity - capacity / 4 >= n, "n=" + n + ": " + capacity);
            assertTrue(capacity <= 16 || (capacity / 2) - (capacity / 2) / 4 < n, "n=" + n + ": " + capacity + " is more than needed");
        }
    }

    /**
     * Growing moves the old slots a few per write: no write copies the table, and while the old arrays drain the
     * table answers as a HashMap does, with keys found in either generation.
     */
    @Test
    void growingMovesAFewSlotsPerWriteAndAnswersTheSameMeanwhile() {
        RecordTable table = new RecordTable(0, 8); // slower than the default, so that it is caught draining often
        Map<String, byte[]> model = new HashMap<>();
        int drainingWrites = 0;
        for (int i = 0; i < 200_000; i++) {
            String key = "g" + i;
            byte[] record = record(i);
            model.put(key, record);
            table.put(key, record);
            if (i % 7 == 0) {
                String gone = "g" + (i / 2);
                assertSame(model.remove(gone), table.remove(gone), gone);
            }
            if (table.draining()) {
                drainingWrites++;
                if (drainingWrites % 1000 == 0) { // in the middle of a drain: every key in one generation or the other
                    assertEquals(new TreeSet<>(model.keySet()), new TreeSet<>(Arrays.asList(table.keys())));
                    for (int probe = 0; probe <= i; probe += 97) {
                        assertSame(model.get("g" + probe), table.get("g" + probe), "g" + probe);
                    }
                }
            }
        }
        assertTrue(drainingWrites > 10_000, drainingWrites + " writes happened while a generation drained");
        assertEquals(model.size(), table.size());
    }

    /**
     * A reader that took the pair of generations while "k" still sat in the old arrays, and stalled while the
     * drain moved it, it was replaced, a second generation began and it was removed, must not answer its first
     * record: the old arrays kept that copy (nothing marks a finished generation), so the lookup asks to be
     * made again, and made again it finds nothing.
     */
    @Test
    void aLookupThatOutlivesItsGenerationsNeverAnswersARecordReplacedAndRemovedBeforeIt() {
        RecordTable table = new RecordTable(0, 8);
        table.put("k", record(1));
        int n = 0;
        while (!table.draining()) {
            table.put("f" + n++, record(0));
        }
        RecordTable.View stalled = table.view(); // "k" has not moved yet
        while (table.draining()) {
            table.put("f" + n++, record(0));
        }
        assertEquals(1, Record.version(table.put("k", record(2))), "replaced in the new arrays");
        while (!table.draining()) {
            table.put("f" + n++, record(0));
        }
        assertEquals(2, Record.version(table.remove("k")));
        assertSame(RecordTable.RETRY, table.lookup("k", stalled), "the stalled lookup must not answer record 1");
        assertNull(table.get("k"));
    }

    /**
     * Readers racing a writer that slowly grows the table (keys p0, p1... put and kept) and churns it (keys r0,
     * r1... put and removed at once, so removed slots pile up and a new generation starts every few thousand
     * writes): a key put before a lookup began is always found, one removed before is never found, whichever
     * generation holds it, also when a drain ends during the lookup.
     */
    @Test
    void aLookupFindsEveryKeyPutBeforeItAndNoKeyRemovedBefore() throws Exception {
        long seed = Seeds.seed("RecordTableTest generations");
        RecordTable table = new RecordTable(0, 8); // drains slowly: lookups meet the old generation often
        AtomicInteger kept = new AtomicInteger(-1);
        AtomicInteger removed = new AtomicInteger(-1);
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            Future<Integer> writer = threads.submit(() -> {
                int drains = 0;
                boolean wasDraining = false;
                int next = 0;
                for (int i = 0; i < 1_500_000; i++) {
                    if (i % 64 == 0) { // a few kept keys, many removed ones: small arrays, a new generation every few thousand writes
                        table.put("p" + next, record(next));
                        kept.set(next++);
                    }
                    table.put("r" + i, record(i));
                    table.remove("r" + i);
                    removed.set(i);
                    if (table.draining() && !wasDraining) {
                        drains++;
                    }
                    wasDraining = table.draining();
                }
                writing.set(false);
                return drains;
            });
            List<Future<Long>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                int first = r;
                readers.add(threads.submit(() -> {
                    Random random = new Random(seed + first);
                    long lookups = 0;
                    do {
                        int p = kept.get();
                        if (p >= 0) {
                            int k = random.nextInt(p + 1);
                            byte[] found = table.get("p" + k);
                            if (found == null || Record.version(found) != k) {
                                throw new AssertionError("p" + k + " (kept up to p" + p + ") read "
                                        + (found == null ? "nothing" : "version " + Record.version(found)) + ", seed=" + seed);
                            }
                        }
                        int gone = removed.get();
                        if (gone >= 0) {
                            int k = Math.max(0, gone - random.nextInt(64)); // recent removals, whose old slots still exist
                            if (table.get("r" + k) != null) {
                                throw new AssertionError("r" + k + " was found after its removal, seed=" + seed);
                            }
                        }
                        lookups++;
                    } while (writing.get());
                    return lookups;
                }));
            }
            int drains = writer.get(2, TimeUnit.MINUTES);
            assertTrue(drains >= 100, drains + " generations drained while the readers looked");
            for (Future<Long> reader : readers) {
                assertTrue(reader.get(2, TimeUnit.MINUTES) > 0, "seed=" + seed);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /**
     * A writer puts, updates and removes the odd keys (rebuilding the table as it goes) while readers look up
     * the even keys, never touched after the start, and the odd ones: every even key is found with its one record,
     * and an odd key read is absent or holds a record of that key, never another key's.
     */
    @Test
    void readersRacingTheWriterFindEveryUntouchedKey() throws Exception {
        long seed = Seeds.seed("RecordTableTest race");
        int n = 20_000;
        RecordTable table = new RecordTable(0, 8); // drains slowly: lookups meet the old generation often
        for (int i = 0; i < n; i += 2) {
            table.put("k" + i, record(i));
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            Future<?> writer = threads.submit(() -> {
                Random random = new Random(seed);
                for (int i = 0; i < 2_000_000; i++) {
                    String odd = "k" + (2 * random.nextInt(n / 2) + 1);
                    if (random.nextInt(3) == 0) {
                        table.remove(odd);
                    } else {
                        if (table.put(odd, Record.pack(i, odd.getBytes(StandardCharsets.UTF_8))) == null) { // the value names its key
                            table.compact(odd);
                        }
                    }
                }
                writing.set(false);
            });
            List<Future<Long>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                int first = r;
                readers.add(threads.submit(() -> {
                    long lookups = 0;
                    Random random = new Random(seed + first);
                    do {
                        int even = 2 * random.nextInt(n / 2);
                        byte[] found = table.get("k" + even);
                        if (found == null || Record.version(found) != even) {
                            throw new AssertionError("k" + even + " read " + (found == null ? "nothing" : "version "
                                    + Record.version(found)) + ", seed=" + seed);
                        }
                        String odd = "k" + (2 * random.nextInt(n / 2) + 1);
                        byte[] changing = table.get(odd);
                        if (changing != null && !odd.equals(new String(Record.value(changing), StandardCharsets.UTF_8))) {
                            throw new AssertionError(odd + " read the record of " + new String(Record.value(changing),
                                    StandardCharsets.UTF_8) + ", seed=" + seed);
                        }
                        lookups++;
                    } while (writing.get());
                    return lookups;
                }));
            }
            writer.get(2, TimeUnit.MINUTES);
            for (Future<Long> reader : readers) {
                assertTrue(reader.get(2, TimeUnit.MINUTES) > 0, "seed=" + seed);
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
