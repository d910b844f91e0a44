package io.coffer.bench;

import io.coffer.Db;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Heap bytes the engine spends per record beyond the key and value payload.
 *
 * <p>Starts a database, measures the used heap after several {@code System.gc()} calls, loads {@code N}
 * records (16-byte ASCII keys, 16-byte values) with {@code writeList} of 1000 records on the running
 * database, measures again, and reports {@code (after - before) / N - 32}: the map entry, the record and
 * key/array headers, versions, and anything else the engine keeps per record. Run it in a JVM of its own
 * (RunAll does) so nothing else moves the heap in between.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.coffer.bench.HeapPerRecord [N]}. The last line of the output
 * is machine readable: {@code HEAP_PER_RECORD records=.. before=.. after=.. payloadPerRecord=32 beyondPayload=..}.
 */
public final class HeapPerRecord {
    static final int KEY_BYTES = 16;
    static final int VALUE_BYTES = 16;

    private HeapPerRecord() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path dir = BenchSupport.newDir("heap");
        try {
            Db db = BenchSupport.createStarted(BenchSupport.builder(dir));
            try {
                // Warm the write path once so its one-time allocations (buffers, classes) land in "before".
                Map<String, byte[]> warm = new HashMap<>();
                warm.put("warm-up-record-0", new byte[VALUE_BYTES]);
                BenchSupport.ok(db.writeList(warm, false), "writeList");
                BenchSupport.ok(db.delete("warm-up-record-0"), "delete");

                long before = usedHeapAfterGc();
                BenchSupport.writeLoad(db, 0, n, 1000, HeapPerRecord::key, HeapPerRecord::value);
                long after = usedHeapAfterGc();
                long count = BenchSupport.ok(db.count(), "count").count();
                if (count != n) {
                    throw new IllegalStateException("the store holds " + count + " records, expected " + n);
                }
                Reference.reachabilityFence(db);
                double perRecord = (after - before) / (double) n;
                double beyond = perRecord - (KEY_BYTES + VALUE_BYTES);
                System.out.printf(Locale.ROOT, "used heap before %,d B, after %,d B: %.1f B per record, %.1f B beyond the "
                        + "%d B key + %d B value%n", before, after, perRecord, beyond, KEY_BYTES, VALUE_BYTES);
                System.out.printf(Locale.ROOT, "HEAP_PER_RECORD records=%d before=%d after=%d payloadPerRecord=%d beyondPayload=%.1f%n",
                        n, before, after, KEY_BYTES + VALUE_BYTES, beyond);
                BenchSupport.ok(db.stopHard(), "stopHard");
            } finally {
                db.close();
            }
        } finally {
            BenchSupport.deleteRecursively(dir);
        }
    }

    static String key(int i) {
        return String.format("key-%012d", i);
    }

    static byte[] value(int i) {
        return BenchSupport.utf8(String.format("val-%012d", i));
    }

    /** Used heap once repeated full collections stop shrinking it. */
    static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            Thread.sleep(100);
            long now = memory.getHeapMemoryUsage().getUsed();
            if (i >= 3 && now >= used - (used >> 10)) {
                return Math.min(used, now);
            }
            used = Math.min(used, now);
        }
        return used;
    }
}
