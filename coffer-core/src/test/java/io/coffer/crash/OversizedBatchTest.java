package io.coffer.crash;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coffer.CreateReport;
import io.coffer.Db;
import io.coffer.DbBuilder;
import io.coffer.reports.Report;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression (fixed in Batcher.drain): the batcher could write a frame larger than the log reader accepts, so acknowledged changes
 * make the directory unopenable after a crash or {@code stopHard()}.
 *
 * <p>{@code Batcher.takeBatch} adds requests while the batch is under {@code LogFormat.BATCH_SOFT_LIMIT_BYTES}
 * (4 MiB), checking <em>before</em> adding, so a batch can reach 4 MiB plus one whole operation. The reader
 * refuses any frame over {@code LogFormat.maxFrameBytes(limits) = 4 + max(4 MiB, maxOperationBytes)}. Two
 * concurrent 3 MB values (maxValueLength 3,000,000, maxRecsPerOperation 1) in one batch make a 6 MB frame:
 * every write is acknowledged, and create() then answers "log 1000000001.log is corrupt at byte 32: frame
 * length 6000066 out of bounds". With the default limits the same happens to, say, a 3.9 MB writeList
 * batched with a 10 MB one.
 */
class OversizedBatchTest {
    @TempDir
    Path dir;

    private DbBuilder builder() {
        return Db.builder(dir).limitMemory(0).limitDisk(0).maxValueLength(3_000_000).maxRecsPerOperation(1);
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void concurrentLargeWritesAcknowledgedBeforeAStopHardCanAllBeRecovered() throws Exception {
        CreateReport created = builder().create();
        assertTrue(created.isCodeOk(), created::toString);
        ConcurrentLinkedQueue<Report> answers = new ConcurrentLinkedQueue<>();
        try (Db db = created.db()) {
            assertTrue(db.start().isCodeOk());
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                String key = "big" + t;
                Thread thread = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    answers.add(db.write(key, new byte[3_000_000]));
                });
                thread.start();
                threads.add(thread);
            }
            go.countDown();
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(60));
            }
            assertTrue(answers.stream().allMatch(Report::isCodeOk), answers::toString);
            assertTrue(db.stopHard().isCodeOk()); // like a crash: no checkpoint, the log is all there is
        }
        CreateReport reopened = builder().create();
        assertTrue(reopened.isCodeOk(), () -> "six acknowledged writes, then: " + reopened);
        try (Db db = reopened.db()) {
            assertTrue(db.countUnsafe().count() == 6);
        }
    }
}
