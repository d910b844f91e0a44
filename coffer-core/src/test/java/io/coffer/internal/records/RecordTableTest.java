package io.coffer.internal.records;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.Test;

/** The record table answers like a HashMap through growth, removals and rebuilds, and readers racing its writer find every untouched key. */
class RecordTableTest {

    private static byte[] record(int i) {
        return Record.pack(i, new byte[] {(byte) i});
    }

    @Test
    void randomPutsAndRemovesAgreeWithAHashMapThroughRebuilds() {
        long seed = new Random().nextLong();
        System.out.println("RecordTableTest seed=" + seed);
        Random random = new Random(seed);
        RecordTable table = new RecordTable();
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
     * A writer puts, updates and removes the odd keys (rebuilding the table as it goes) while readers look up
     * the even keys, never touched after the start, and the odd ones: every even key is found with its one record,
     * and an odd key read is absent or holds a record of that key, never another key's.
     */
    @Test
    void readersRacingTheWriterFindEveryUntouchedKey() throws Exception {
        long seed = new Random().nextLong();
        System.out.println("RecordTableTest race seed=" + seed);
        int n = 20_000;
        RecordTable table = new RecordTable();
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
