package io.coffer;

import static io.coffer.testing.Dbs.assertCode;
import static io.coffer.testing.Dbs.assertOk;
import static io.coffer.testing.Dbs.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coffer.internal.resources.ResourceSample;
import io.coffer.internal.resources.ResourceSampler;
import io.coffer.reports.Code;
import io.coffer.reports.Report;
import io.coffer.testing.Dbs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GUARANTEES 16: below limitMemory or limitDisk, changes get ERR_RESOURCES and change nothing; reads go on. */
class ResourceLimitsTest {
    static final long MIB = 1 << 20;

    @Test
    void changesAreRefusedBelowTheLimitsReadsContinueAndChangesResumeWhenResourcesReturn(@TempDir Path dir)
            throws Exception {
        AtomicLong freeDisk = new AtomicLong(5000 * MIB);
        AtomicLong freeMemory = new AtomicLong(500 * MIB);
        ResourceSampler sampler = () -> ResourceSample.of(freeMemory.get(), freeMemory.get(), freeDisk.get(), System.nanoTime());
        Db db = Dbs.started(dir, b -> TestSeams.resourceSampler(b.limitDisk(1000 * MIB).limitMemory(100 * MIB)
                .handler("same", (arg, records) -> records), sampler, Duration.ofMillis(10)));
        assertOk(db.write("a", bytes("1")));

        freeDisk.set(999 * MIB);
        Dbs.waitUntil(() -> !db.status().changesAllowed(), "the watcher to see the low disk");
        assertRefusedEverywhere(db);
        assertTrue(db.write("b", bytes("2")).error().contains("limitDisk"));
        assertOk(db.read("a"));
        assertEquals(1, db.count().count());

        freeDisk.set(1000 * MIB); // exactly at the limit is enough
        Dbs.waitUntil(() -> db.status().changesAllowed(), "the watcher to see the disk back");
        assertOk(db.write("b", bytes("2")));

        freeMemory.set(99 * MIB);
        Dbs.waitUntil(() -> !db.status().changesAllowed(), "the watcher to see the low memory");
        Report refused = db.write("c", bytes("3"));
        assertCode(Code.ERR_RESOURCES, refused);
        assertTrue(refused.error().contains("limitMemory"), refused::error);
        StatusReport status = db.status();
        assertEquals(99 * MIB, status.freeMemory());
        assertEquals(100 * MIB, status.limitMemory());
        assertFalse(status.changesAllowed());

        freeMemory.set(200 * MIB);
        Dbs.waitUntil(() -> db.status().changesAllowed(), "the watcher to see the memory back");
        assertOk(db.write("c", bytes("3")));
        db.close();
        try (Db reopened = Dbs.started(dir)) {
            assertEquals(List.of("a", "b", "c"), reopened.recordsList().keys());
        }
    }

    private static void assertRefusedEverywhere(Db db) {
        long durable = db.status().durableSequence();
        assertCode(Code.ERR_RESOURCES, db.write("b", bytes("2")));
        assertCode(Code.ERR_RESOURCES, db.writeList(Map.of("b", bytes("2")), false));
        assertCode(Code.ERR_RESOURCES, db.writeListUnsafe(Map.of("b", bytes("2"))));
        assertCode(Code.ERR_RESOURCES, db.delete("a"));
        assertCode(Code.ERR_RESOURCES, db.deleteListOptional(List.of("a")));
        assertCode(Code.ERR_RESOURCES, db.transaction("same", List.of("a"), null));
        // bad input is still reported as bad input first
        assertCode(Code.ERR_EXCEEDING_ZERO_KEY_LENGTH, db.write("", bytes("2")));
        assertEquals(durable, db.status().durableSequence());
    }
}
