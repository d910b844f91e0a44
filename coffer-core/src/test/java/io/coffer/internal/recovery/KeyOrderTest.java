package io.coffer.internal.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.coffer.internal.records.Record;
import io.coffer.internal.records.RecordTable;
import io.coffer.testing.Seeds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The sorted index's order is exactly the recovered map's keys, ascending, however the checkpoint and logs were. */
class KeyOrderTest {

    /** Reads {@code keys} into {@code order} as a checkpoint's, in that order; returns them as records of value 1. */
    private static Map<String, Integer> checkpoint(KeyOrder order, String... keys) {
        Map<String, Integer> records = new HashMap<>();
        for (String key : keys) {
            order.checkpointKey(key);
            records.put(key, 1);
        }
        return records;
    }

    /** The records as recovery holds them (each value a record whose version is the map's number). */
    private static RecordTable table(Map<String, Integer> records) {
        RecordTable table = new RecordTable();
        records.forEach((key, version) -> table.put(key, Record.pack(version, new byte[0])));
        return table;
    }

    @Test
    void keysTheLogsCreatedAreMergedIntoTheCheckpointOrderAndDeletedOnesLeftOut() {
        KeyOrder order = new KeyOrder();
        Map<String, Integer> records = checkpoint(order, "b", "d", "f", "h");
        records.remove("d"); // deleted by a log
        records.remove("f");
        records.put("f", 2); // deleted and created again: both in the checkpoint and among the created
        order.created("f");
        for (String key : List.of("g", "a", "z", "c")) {
            order.created(key);
            records.put(key, 3);
        }
        assertEquals(List.of("a", "b", "c", "f", "g", "h", "z"), order.sorted(table(records)));
    }

    @Test
    void aCheckpointNotInKeyOrderIsSortedWhole() {
        KeyOrder order = new KeyOrder();
        Map<String, Integer> records = checkpoint(order, "m", "c", "x", "a");
        order.created("b");
        records.put("b", 2);
        assertEquals(List.of("a", "b", "c", "m", "x"), order.sorted(table(records)));
    }

    @Test
    void randomCheckpointsAndLogsAlwaysGiveTheMapsKeysAscending() {
        long seed = Seeds.seed("KeyOrderTest");
        Random random = new Random(seed);
        for (int round = 0; round < 200; round++) {
            KeyOrder order = new KeyOrder();
            TreeMap<String, Integer> records = new TreeMap<>();
            for (int i = 0; i < random.nextInt(50); i++) {
                records.put("k" + random.nextInt(100), i);
            }
            records.keySet().forEach(order::checkpointKey); // ascending, as a checkpoint is written
            for (int i = 0; i < random.nextInt(100); i++) {
                String key = "k" + random.nextInt(120);
                if (random.nextInt(3) == 0) {
                    records.remove(key);
                } else if (records.put(key, i) == null) {
                    order.created(key);
                }
            }
            assertEquals(new ArrayList<>(records.keySet()), order.sorted(table(records)), "seed=" + seed);
        }
    }
}
