package io.coffer.internal.records;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.coffer.testing.Seeds;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The committed layer's two indexes agree: the sorted keys are exactly the hash map's, and listings show current values. */
class RecordStoreTest {

    private static byte[] record(String value, long version) {
        return Record.pack(version, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String value(byte[] record) {
        return new String(Record.value(record), StandardCharsets.UTF_8);
    }

    private static RecordStore recovered(String... keys) {
        RecordTable records = new RecordTable();
        for (String key : keys) {
            records.put(key, record("r-" + key, 1));
        }
        return new RecordStore(records, List.of(keys));
    }

    @Test
    void updatesChangeValuesWhileCreatesAndDeletesChangeTheListings() {
        RecordStore store = recovered("a", "c");
        store.commit("b", record("new", 1));
        store.commit("a", record("updated", 2));
        store.commit("c", null);
        store.commit("c", null); // deleting an absent key changes nothing
        assertEquals(List.of("a", "b"), store.keys());
        assertEquals(2, store.size());
        assertEquals("updated", value(store.committed("a")));
        List<String> seen = new ArrayList<>();
        for (Iterator<String> it = store.sortedKeys(); it.hasNext(); ) {
            String key = it.next();
            seen.add(key + "=" + value(store.committed(key)));
        }
        assertEquals(List.of("a=updated", "b=new"), seen, "a checkpoint writes each key's current record");
        assertNull(store.committed("c"));
    }

    @Test
    void aRecoveredStoreNeedsItsKeysSortedOnceEach() {
        RecordTable records = new RecordTable();
        records.put("a", record("x", 1));
        assertThrows(IllegalArgumentException.class, () -> new RecordStore(records, List.of("a", "a")));
    }

    @Test
    void randomCommitsKeepTheSortedKeysEqualToTheRecords() {
        long seed = Seeds.seed("RecordStoreTest");
        Random random = new Random(seed);
        RecordStore store = recovered();
        TreeMap<String, String> model = new TreeMap<>();
        for (int i = 0; i < 5_000; i++) {
            String key = "k" + random.nextInt(200);
            if (random.nextInt(3) == 0) {
                store.commit(key, null);
                model.remove(key);
            } else {
                store.commit(key, record("v" + i, i));
                model.put(key, "v" + i);
            }
        }
        assertEquals(new ArrayList<>(model.keySet()), store.keys(), "seed=" + seed);
        assertEquals(model.size(), store.size(), "seed=" + seed);
        assertEquals(new ArrayList<>(model.subMap("k1", "k2").keySet()), store.keysWithPrefix("k1"), "seed=" + seed);
        model.forEach((key, value) -> assertArrayEquals(value.getBytes(StandardCharsets.UTF_8), Record.value(store.committed(key))));
    }
}
