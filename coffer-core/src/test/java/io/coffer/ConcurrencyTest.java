package io.coffer;

import static io.coffer.testing.Dbs.assertOk;
import static io.coffer.testing.Dbs.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.coffer.reports.Code;
import io.coffer.testing.Dbs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GUARANTEES 13: many threads at once; every acknowledged value is there after a restart. */
class ConcurrencyTest {
    @TempDir
    Path dir;

    @Test
    void thirtyTwoThreadsWritingConcurrentlyFindEveryAcknowledgedValueAfterRestart() throws Exception {
        int threads = 32;
        int perThread = 100;
        Db db = Dbs.started(dir, b -> b.limitRecordsPerLogfile(500));
        runConcurrently(threads, thread -> {
            for (int i = 0; i < perThread; i++) {
                String key = "t" + thread + "/" + i;
                assertOk(db.write(key, bytes(key)));
                // hot keys too: every thread overwrites the same few keys
                assertOk(db.write("hot" + (i % 4), bytes(key)));
            }
        });
        assertEquals(threads * perThread + 4, db.count().count());
        db.stopHard();
        db.close();
        try (Db reopened = Dbs.started(dir)) {
            assertEquals(threads * perThread + 4, reopened.count().count());
            for (int t = 0; t < threads; t++) {
                for (int i = 0; i < perThread; i++) {
                    String key = "t" + t + "/" + i;
                    assertEquals(key, Dbs.text(reopened.read(key).data()));
                }
            }
            long versions = 0;
            for (int h = 0; h < 4; h++) {
                versions += reopened.read("hot" + h).version();
            }
            assertEquals(threads * perThread, versions, "every overwrite of a hot key counts one version");
        }
    }

    @Test
    void readersNeverSeeAValueBeforeItsWriterIsAcknowledged() throws Exception {
        Db db = Dbs.started(dir);
        // The writer publishes the highest value it has had acknowledged; a reader that sees a value
        // must see one no newer than... the writer's next one, and never one that later disappears.
        java.util.concurrent.atomic.AtomicLong acknowledged = new java.util.concurrent.atomic.AtomicLong(-1);
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<String> violation = new java.util.concurrent.atomic.AtomicReference<>();
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                long before = acknowledged.get();
                var report = db.read("counter");
                if (report.isCodeOk()) {
                    long seen = Long.parseLong(Dbs.text(report.data()));
                    if (seen < before) {
                        violation.set("read " + seen + " after " + before + " was acknowledged");
                    }
                }
            }
        });
        reader.start();
        for (long i = 0; i < 300; i++) {
            assertOk(db.write("counter", bytes(Long.toString(i))));
            acknowledged.set(i);
        }
        done.set(true);
        reader.join(10_000);
        assertEquals(null, violation.get());
        db.close();
    }

    @Test
    void stopWhileThreadsWriteLosesNoAcknowledgedChange() throws Exception {
        Db db = Dbs.started(dir);
        java.util.concurrent.ConcurrentHashMap<String, Boolean> acked = new java.util.concurrent.ConcurrentHashMap<>();
        CountDownLatch someDone = new CountDownLatch(50);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < 10_000; i++) {
                    String key = "t" + thread + "/" + i;
                    Code code = db.write(key, bytes("v")).code();
                    if (code == Code.OK) {
                        acked.put(key, true);
                        someDone.countDown();
                    } else {
                        assertEquals(Code.PANIC_STOPPED, code);
                        return null;
                    }
                }
                return null;
            }));
        }
        someDone.await(30, TimeUnit.SECONDS);
        assertOk(db.stop());
        for (Future<?> future : futures) {
            future.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        db.close();
        try (Db reopened = Dbs.started(dir)) {
            for (String key : acked.keySet()) {
                assertEquals(Code.OK, reopened.read(key).code(), key);
            }
            assertEquals(acked.size(), reopened.count().count());
        }
    }

    interface ThreadBody {
        void run(int thread) throws Exception;
    }

    static void runConcurrently(int threads, ThreadBody body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                go.await();
                body.run(thread);
                return null;
            }));
        }
        go.countDown();
        try {
            for (Future<?> future : futures) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
