package io.coffer.internal.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coffer.internal.records.Staged;
import io.coffer.internal.wal.Change;
import io.coffer.internal.wal.Operation;
import io.coffer.reports.Code;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * How a caller waits for its sync: it yields for the time the batcher gave it, then parks; the completion wakes
 * it only if it parked, and never misses it.
 */
class LogRequestWaitTest {
    private static final long MICROS = 1_000;

    @Test
    void fewWaitingCallersParkAtOnce() {
        assertEquals(0, Batcher.spinNanos(1, 150 * MICROS));
        assertEquals(0, Batcher.spinNanos(Batcher.SPIN_MIN_WAITING - 1, 150 * MICROS));
    }

    @Test
    void manyWaitingCallersYieldForSixAverageSyncs() {
        assertEquals(900 * MICROS, Batcher.spinNanos(32, 150 * MICROS));
        assertEquals(6 * Batcher.SPIN_MAX_SYNC_NANOS, Batcher.spinNanos(Batcher.SPIN_MIN_WAITING, Batcher.SPIN_MAX_SYNC_NANOS));
    }

    @Test
    void callersParkAtOnceWhenSyncsAreSlowOrNotMeasuredYet() {
        assertEquals(0, Batcher.spinNanos(32, Batcher.SPIN_MAX_SYNC_NANOS + 1), "a disk that syncs in milliseconds");
        assertEquals(0, Batcher.spinNanos(32, 0), "no sync made yet");
    }

    @Test
    void aCallerWithoutSpinTimeParksAndIsWokenByItsCompletion() throws Exception {
        Waiting waiting = startWaiting(0);
        awaitParked(waiting.request);
        assertTrue(waiting.request.complete(LogRequest.Outcome.OK));
        assertSame(LogRequest.Outcome.OK, waiting.outcome.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aCallerThatFindsItsOutcomeWhileYieldingNeverParks() throws Exception {
        Waiting waiting = startWaiting(TimeUnit.SECONDS.toNanos(30));
        assertTrue(waiting.request.complete(LogRequest.Outcome.OK));
        assertSame(LogRequest.Outcome.OK, waiting.outcome.get(10, TimeUnit.SECONDS));
        assertFalse(waiting.request.parked(), "it had 30 s of spin time and its outcome within 10");
    }

    @Test
    void aCallerWhoseSpinTimeRunsOutParksAndIsStillWoken() throws Exception {
        Waiting waiting = startWaiting(MICROS);
        awaitParked(waiting.request);
        LogRequest.Outcome panic = new LogRequest.Outcome(Code.PANIC_WAL, "the sync failed");
        assertTrue(waiting.request.complete(panic));
        assertFalse(waiting.request.complete(LogRequest.Outcome.OK), "the first completion wins");
        assertSame(panic, waiting.outcome.get(10, TimeUnit.SECONDS));
    }

    /**
     * Completions land anywhere from before a caller's spin to after its park, 20,000 times. A completion that
     * skipped the unpark of a parked caller, or a spin that ignored its outcome, hangs a round and fails it; the
     * ordering that closes the narrowest window (the caller's volatile write of {@code parked} before its last
     * read of the outcome) is argued in {@link LogRequest#await}, since a race this narrow is rarely hit.
     */
    @Test
    void noCompletionIsMissedWhileItsCallerStopsYieldingToPark() throws Exception {
        long seed = System.nanoTime();
        System.out.println("LogRequestWaitTest seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        ExecutorService waiters = Executors.newSingleThreadExecutor();
        try {
            SynchronousQueue<LogRequest> handOver = new SynchronousQueue<>();
            for (int round = 0; round < 20_000; round++) {
                long spin = random.nextInt(4) * random.nextInt(5 * (int) MICROS); // 0 in a quarter of rounds
                Future<LogRequest.Outcome> outcome = waiters.submit(() -> {
                    LogRequest request = request(spin);
                    handOver.put(request);
                    return request.await();
                });
                LogRequest request = handOver.poll(10, TimeUnit.SECONDS);
                if (request == null) {
                    outcome.get(10, TimeUnit.SECONDS); // throws what stopped the caller
                }
                for (int i = random.nextInt(200); i > 0; i--) {
                    Thread.onSpinWait(); // completes anywhere from before the spin to well after the park
                }
                request.complete(LogRequest.Outcome.OK);
                assertSame(LogRequest.Outcome.OK, outcome.get(10, TimeUnit.SECONDS), "round " + round + ", seed " + seed);
            }
        } finally {
            waiters.shutdownNow();
        }
    }

    /** A caller on its own thread, waiting on a request with {@code spinNanos} of spin time. */
    private record Waiting(LogRequest request, CompletableFuture<LogRequest.Outcome> outcome) {
    }

    private static Waiting startWaiting(long spinNanos) throws Exception {
        SynchronousQueue<LogRequest> handOver = new SynchronousQueue<>();
        CompletableFuture<LogRequest.Outcome> outcome = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                LogRequest request = request(spinNanos);
                handOver.put(request);
                outcome.complete(request.await());
            } catch (Throwable e) {
                outcome.completeExceptionally(e);
            }
        }, "waiting-caller");
        thread.setDaemon(true);
        thread.start();
        LogRequest request = handOver.poll(10, TimeUnit.SECONDS);
        if (request == null) {
            outcome.get(10, TimeUnit.SECONDS); // throws what stopped the caller
            throw new AssertionError("the caller made no request");
        }
        return new Waiting(request, outcome);
    }

    /** A request made on the calling thread, as a caller makes it, with its place in the log given. */
    private static LogRequest request(long spinNanos) {
        Change change = new Change("k", new byte[] {1}, 1);
        LogRequest request = new LogRequest(Operation.Kind.WRITE, "", List.of(change), List.of(new Staged(change.record())));
        request.assignSequence(1, spinNanos);
        return request;
    }

    /** Waits until the caller of {@code request} has stopped yielding and is about to park, or parked. */
    private static void awaitParked(LogRequest request) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!request.parked()) {
            assertTrue(System.nanoTime() < deadline, "the caller never stopped yielding");
            Thread.yield(); // the caller needs a processor to get there
        }
    }
}
