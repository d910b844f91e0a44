package io.coffer.internal.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Per-key locks: disjoint keys never wait, sorted order never deadlocks, nothing is left behind. */
class KeyLocksTest {
    private final KeyLocks locks = new KeyLocks();

    @Test
    void releasedLocksLeaveNoEntryBehind() {
        KeyLocks.Held held = locks.lock(List.of("a", "b", "c"), () -> true);
        assertNotNull(held);
        assertEquals(3, locks.liveLocks());
        held.unlock();
        assertEquals(0, locks.liveLocks());
    }

    @Test
    void disjointKeysDoNotWaitForEachOther() throws Exception {
        KeyLocks.Held a = locks.lock(List.of("a"), () -> true);
        boolean tookB = CompletableFuture.supplyAsync(() -> {
            KeyLocks.Held b = locks.lock(List.of("b"), () -> false); // gives up at once if it would have to wait
            if (b == null) {
                return false;
            }
            b.unlock();
            return true;
        }).get(10, TimeUnit.SECONDS);
        assertTrue(tookB, "a lock on b had to wait for a");
        a.unlock();
        assertEquals(0, locks.liveLocks());
    }

    @Test
    void aWaiterThatIsToldToStopGivesUpAndReleasesWhatItHeld() throws Exception {
        KeyLocks.Held b = locks.lock(List.of("b"), () -> true);
        AtomicBoolean keepWaiting = new AtomicBoolean(true);
        CompletableFuture<KeyLocks.Held> waiter = CompletableFuture.supplyAsync(() -> locks.lock(List.of("a", "b"), keepWaiting::get));
        keepWaiting.set(false);
        assertNull(waiter.get(10, TimeUnit.SECONDS));
        assertEquals(1, locks.liveLocks(), "only b, still held, may remain");
        b.unlock();
        assertEquals(0, locks.liveLocks());
    }

    @Test
    void operationsLockingOverlappingKeysInSortedOrderNeverDeadlock() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        int[] counter = {0};
        Runnable worker = () -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (int i = 0; i < 2000; i++) {
                KeyLocks.Held held = locks.lock(List.of("x", "y", "z"), () -> true);
                counter[0]++; // guarded by the locks of x, y and z
                held.unlock();
            }
        };
        CompletableFuture<?> first = CompletableFuture.runAsync(worker);
        CompletableFuture<?> second = CompletableFuture.runAsync(worker);
        go.countDown();
        CompletableFuture.allOf(first, second).get(60, TimeUnit.SECONDS);
        assertEquals(4000, counter[0]);
        assertEquals(0, locks.liveLocks());
        assertTrue(first.isDone() && second.isDone());
    }
}
