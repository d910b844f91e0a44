package io.coffer.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.coffer.Db;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableQueueTest {

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }

    @Test
    void consumesEveryItemExactlyOnceInOrderAcrossARestart(@TempDir Path dir) throws Exception {
        DurableQueue.Result result = DurableQueue.run(dir, 100, 40);

        assertEquals(range(0, 40), result.consumedBeforeRestart());
        assertEquals(60, result.waitingAtRestart());
        assertEquals(range(40, 100), result.consumedAfterRestart());
        assertEquals(range(0, 100), result.consumed());
    }

    @Test
    void keysSortInQueueOrderAndTheConsumedQueueLeavesNoRecords(@TempDir Path dir) throws Exception {
        assertEquals("q/0000000000000000009", DurableQueue.key(9));
        assertEquals(-1, Integer.signum(DurableQueue.key(9).compareTo(DurableQueue.key(10))));

        DurableQueue.run(dir, 5, 2);
        try (Db db = Check.ok(Db.builder(dir).create(), "create").db()) {
            Check.ok(db.start(), "start");
            DurableQueue queue = new DurableQueue(db);
            assertEquals(0, queue.size());
            assertNull(queue.poll());
            assertEquals(0, Check.ok(db.count(), "count").count());
            Check.ok(db.stop(), "stop");
        }
    }
}
