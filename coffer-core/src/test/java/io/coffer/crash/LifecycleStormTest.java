package io.coffer.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.coffer.CreateReport;
import io.coffer.Db;
import io.coffer.DbBuilder;
import io.coffer.DbState;
import io.coffer.Handler;
import io.coffer.reports.Code;
import io.coffer.reports.ReadReport;
import io.coffer.reports.Report;
import io.coffer.reports.TransactionReport;
import io.coffer.testing.Seeds;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * R14, R15 and GUARANTEES 13-15: {@code start}, {@code stop}, {@code stopHard}, {@code close} and a new
 * {@code create()} on the same directory, called in seeded random order from several threads while other
 * threads write, read and run transactions. Every call returns within {@value #CALL_DEADLINE_SECONDS} s,
 * no engine thread outlives {@code close()}, every acknowledged write is there after a final reopen, and
 * only one live database may hold a directory, in this JVM and across processes. A handler that blocks
 * holds up only its own keys, and {@code stopHard} still returns promptly.
 */
class LifecycleStormTest {
    static final long CALL_DEADLINE_SECONDS = 30;
    private static final Set<String> ENGINE_THREADS =
            Set.of("coffer-batcher", "coffer-log-maker", "coffer-follower", "coffer-resources", "coffer-log-reader");
    private static final int COUNTERS = 4;

    @TempDir
    Path dir;

    private final Calls calls = new Calls();
    /** Engine threads that other tests in this JVM left behind; only new ones count as ours. */
    private Set<Thread> baseline;

    @BeforeEach
    void rememberEngineThreads() {
        baseline = engineThreads();
    }

    @AfterEach
    void noCallIsStillRunning() {
        calls.check();
    }

    private DbBuilder builder() {
        return Db.builder(dir).limitMemory(0).limitDisk(0).followPause(Duration.ofMillis(20)).logsByCheckpoint(1)
                .limitRecordsPerLogfile(20).handler("inc", LifecycleStormTest::increment);
    }

    private static Map<String, byte[]> increment(byte[] arg, Map<String, byte[]> records) {
        Map<String, byte[]> result = new HashMap<>();
        records.forEach((key, value) -> result.put(key, number(ByteBuffer.wrap(value).getLong() + 1)));
        return result;
    }

    private static byte[] number(long n) {
        return ByteBuffer.allocate(8).putLong(n).array();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    // ---- the storm --------------------------------------------------------------------------------------------

    /** A backstop only: every call has its deadline, and every round's threads must end within minutes. */
    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void seededInterleavingsOfLifecycleCallsAndOperationsNeverHangLeakAThreadOrLoseAnAcknowledgedWrite() throws Exception {
        storm("LifecycleStormTest", Integer.getInteger("coffer.storm.rounds", 30));
    }

    @Test
    @Tag("stress")
    @Timeout(value = 2, unit = TimeUnit.HOURS)
    void thousandsOfStormRoundsNeverHangLeakOrLose() throws Exception {
        storm("LifecycleStormTest(stress)", Integer.getInteger("coffer.storm.stressRounds", 2000));
    }

    private void storm(String name, int rounds) throws Exception {
        long seed = Seeds.seed(name);
        Random random = new Random(seed);
        Ledger ledger = new Ledger();
        try (Db db = created()) {
            assertOk(db.start(), seed);
            for (int c = 0; c < COUNTERS; c++) {
                assertOk(db.write("ctr" + c, number(0)), seed);
            }
        }
        AtomicReference<Db> current = new AtomicReference<>(created());
        long started = System.nanoTime();
        for (int round = 0; round < rounds; round++) {
            new Round(seed, round, random.nextLong(), current, ledger).run();
            // Whatever the storm left, close() ends it: no engine thread may outlive it, and the directory is free.
            Db last = current.get();
            calls.run("close at the end of round " + round, last::close);
            assertEquals(DbState.CLOSED, last.state(), "seed=" + seed);
            awaitNoEngineThreads("seed=" + seed + " round=" + round);
            current.set(created());
        }
        Db last = current.get();
        try {
            assertOk(calls.call("final start", last::start), seed);
            for (Map.Entry<String, String> entry : ledger.written.entrySet()) {
                ReadReport read = last.read(entry.getKey());
                assertTrue(read.isCodeOk(), () -> "seed=" + seed + ": acknowledged write of " + entry.getKey() + " lost: " + read);
                assertEquals(entry.getValue(), new String(read.data(), StandardCharsets.UTF_8), "seed=" + seed);
            }
            for (int c = 0; c < COUNTERS; c++) {
                long value = ByteBuffer.wrap(last.read("ctr" + c).data()).getLong();
                long acked = ledger.increments.get(c);
                long unknown = ledger.refusedIncrements.get(c);
                assertTrue(value >= acked && value <= acked + unknown, "seed=" + seed + ": counter " + c + " is " + value
                        + " after " + acked + " acknowledged and " + unknown + " refused increments");
                if (value > acked) {
                    System.out.println(name + ": counter " + c + " holds " + (value - acked) + " increments answered PANIC_STOPPED");
                }
            }
        } finally {
            calls.run("final close", last::close);
        }
        awaitNoEngineThreads("seed=" + seed + " at the end");
        System.out.printf("%s seed=%d: %d rounds, %d lifecycle calls (%s), %d acknowledged writes, %d reads,"
                + " %d acknowledged increments, %.1f s%n", name, seed, rounds, ledger.lifecycleCalls.get(),
                ledger.lifecycleOutcomes, ledger.written.size(), ledger.reads.get(), sum(ledger.increments),
                (System.nanoTime() - started) / 1e9);
    }

    private static long sum(AtomicLongArray array) {
        long sum = 0;
        for (int i = 0; i < array.length(); i++) {
            sum += array.get(i);
        }
        return sum;
    }

    /** What the storm was told: acknowledged writes and increments, and what happened to lifecycle calls. */
    private static final class Ledger {
        final Map<String, String> written = new ConcurrentHashMap<>();
        final AtomicLongArray increments = new AtomicLongArray(COUNTERS);
        final AtomicLongArray refusedIncrements = new AtomicLongArray(COUNTERS);
        final AtomicLong reads = new AtomicLong();
        final AtomicLong lifecycleCalls = new AtomicLong();
        /**
         * Databases on which a close() has returned: only then must the directory be free (state CLOSED comes first).
         * Held weakly: a set of every closed database kept each one's records, and by round ~900 of the stress tier
         * the heap was full, every call ran ten times slower and a stopHard missed its 30 s deadline.
         */
        final Set<Db> closeReturned = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
        final Map<String, AtomicLong> lifecycleOutcomes = new ConcurrentHashMap<>();

        void outcome(String call, Object result) {
            lifecycleCalls.incrementAndGet();
            lifecycleOutcomes.computeIfAbsent(call + "=" + result, k -> new AtomicLong()).incrementAndGet();
        }
    }

    /** One round: lifecycle threads and operation threads on the current database, until the lifecycle threads end. */
    private final class Round {
        private final long seed;
        private final int round;
        private final Random random;
        private final AtomicReference<Db> current;
        private final Ledger ledger;
        /** Serializes the "create on the same directory" action, so its outcome can be judged. */
        private final ReentrantLock creating = new ReentrantLock();
        private final AtomicBoolean over = new AtomicBoolean();
        /** OK operations so far; lifecycle threads wait on it to let some work through between their calls. */
        private final Progress progress = new Progress();
        /** Lifecycle calls so far; an operation thread refused for not running waits on it instead of spinning. */
        private final Progress lifecycleCalls = new Progress();

        Round(long seed, int round, long roundSeed, AtomicReference<Db> current, Ledger ledger) {
            this.seed = seed;
            this.round = round;
            this.random = new Random(roundSeed);
            this.current = current;
            this.ledger = ledger;
        }

        private String where() {
            return "seed=" + seed + " round=" + round;
        }

        void run() throws InterruptedException {
            List<Thread> lifecycle = new ArrayList<>();
            List<Thread> operations = new ArrayList<>();
            int lifecycleThreads = 2 + random.nextInt(2);
            int operationThreads = 3 + random.nextInt(3);
            for (int t = 0; t < lifecycleThreads; t++) {
                Random mine = new Random(random.nextLong());
                lifecycle.add(thread("storm-lifecycle-" + t, () -> lifecycle(mine)));
            }
            for (int t = 0; t < operationThreads; t++) {
                Random mine = new Random(random.nextLong());
                int index = t;
                operations.add(thread("storm-ops-" + t, () -> operations(mine, index)));
            }
            lifecycle.forEach(Thread::start);
            operations.forEach(Thread::start);
            try {
                calls.join(lifecycle, where());
            } finally {
                over.set(true);
                calls.join(operations, where());
            }
        }

        private Thread thread(String name, Runnable body) {
            return new Thread(() -> {
                try {
                    body.run();
                } catch (Throwable e) {
                    calls.failed(where() + " " + Thread.currentThread().getName() + ": " + stack(e));
                }
            }, name);
        }

        private void lifecycle(Random random) {
            int actions = 8 + random.nextInt(16);
            for (int i = 0; i < actions; i++) {
                Db db = current.get();
                int choice = random.nextInt(100);
                if (choice < 30) {
                    expectOkUnlessClosed("start", db, calls.call("start", db::start));
                } else if (choice < 50) {
                    expectOkUnlessClosed("stop", db, calls.call("stop", db::stop));
                } else if (choice < 70) {
                    expectOkUnlessClosed("stopHard", db, calls.call("stopHard", db::stopHard));
                } else if (choice < 80) {
                    calls.run("close", db::close);
                    ledger.closeReturned.add(db);
                    ledger.outcome("close", db.state());
                    assertEquals(DbState.CLOSED, db.state(), where() + ": close() returned but the database is not closed");
                } else if (choice < 95) {
                    createOnTheSameDirectory();
                } else {
                    calls.call("status", db::status);
                }
                lifecycleCalls.add();
                progress.await(random.nextInt(30), 50);
            }
        }

        private void expectOkUnlessClosed(String call, Db db, Report report) {
            ledger.outcome(call, report.code());
            if (report.code() == Code.PANIC_STOPPED && db.state() == DbState.CLOSED) {
                return;
            }
            assertTrue(report.isCodeOk(), () -> where() + ": " + call + " answered " + report + " in state " + db.state());
        }

        /** A second live database on the directory is refused; once the current one is closed, one is allowed. */
        private void createOnTheSameDirectory() {
            creating.lock();
            try {
                Db old = current.get();
                // Not old.state() == CLOSED: a close() running on another thread sets that before it lets go of
                // the directory; only a close() that has returned promises a free directory.
                boolean wasClosed = ledger.closeReturned.contains(old);
                CreateReport report = calls.call("create", () -> builder().create());
                ledger.outcome("create", report.code());
                if (report.isCodeOk()) {
                    DbState oldState = old.state();
                    if (oldState != DbState.CLOSED) {
                        report.db().close();
                        fail(where() + ": a second database opened the directory while the first is " + oldState);
                    }
                    assertTrue(current.compareAndSet(old, report.db()), where());
                } else {
                    assertEquals(Code.ERROR, report.code(), where() + ": " + report);
                    assertTrue(report.error().contains(dir.toAbsolutePath().normalize().toString()),
                            () -> where() + ": the refusal does not name the directory: " + report.error());
                    assertFalse(wasClosed, () -> where() + ": create() refused after close() returned: " + report);
                }
            } finally {
                creating.unlock();
            }
        }

        private void operations(Random random, int thread) {
            List<String> mine = new ArrayList<>();
            long n = 0;
            while (!over.get()) {
                Db db = current.get();
                int choice = random.nextInt(100);
                if (choice < 50 || mine.isEmpty()) {
                    String key = "r" + round + "/o" + thread + "/" + (n++);
                    String value = key + ":" + Long.toHexString(random.nextLong());
                    Report report = calls.call("write", () -> db.write(key, bytes(value)));
                    if (report.isCodeOk()) {
                        ledger.written.put(key, value);
                        mine.add(key);
                        progress.add();
                    } else {
                        expectNotRunning("write", db, report);
                    }
                } else if (choice < 70) {
                    String key = mine.get(random.nextInt(mine.size()));
                    ReadReport report = calls.call("read", () -> db.read(key));
                    ledger.reads.incrementAndGet();
                    if (report.isCodeOk()) {
                        assertEquals(ledger.written.get(key), new String(report.data(), StandardCharsets.UTF_8), where());
                    } else {
                        assertTrue(report.code() != Code.ERR_NOT_FOUND, () -> where() + ": the acknowledged write of " + key
                                + " is not found by a read in state " + db.state());
                        expectNotRunning("read", db, report);
                    }
                } else if (choice < 92) {
                    int counter = random.nextInt(COUNTERS);
                    TransactionReport report = calls.call("transaction", () -> db.transaction("inc", List.of("ctr" + counter), null));
                    if (report.isCodeOk()) {
                        ledger.increments.incrementAndGet(counter);
                        progress.add();
                    } else {
                        expectNotRunning("transaction", db, report);
                        ledger.refusedIncrements.incrementAndGet(counter);
                    }
                } else {
                    Report report = calls.call("count", db::count);
                    if (!report.isCodeOk()) {
                        expectNotRunning("count", db, report);
                    }
                }
            }
        }

        /**
         * The only refusal the storm may cause: PANIC_STOPPED, from a database that is not running. The thread
         * then waits for the next lifecycle call (at most 20 ms) rather than spin on refusals.
         */
        private void expectNotRunning(String call, Db db, Report report) {
            assertEquals(Code.PANIC_STOPPED, report.code(), () -> where() + ": " + call + " answered " + report
                    + " in state " + db.state());
            lifecycleCalls.await(1, 20);
        }
    }

    /** A count of OK operations that threads can wait on, with a deadline. */
    private static final class Progress {
        private long count;

        synchronized void add() {
            count++;
            notifyAll();
        }

        /** Waits until {@code more} further operations succeeded or {@code millis} passed. */
        synchronized void await(int more, long millis) {
            long target = count + more;
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            try {
                long left;
                while (count < target && (left = deadline - System.nanoTime()) > 0) {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- one live database per directory ---------------------------------------------------------------------

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aSecondDatabaseOnALiveDirectoryIsRefusedInThisJvmAndFromAnotherProcessUntilTheHolderDies(@TempDir Path logs)
            throws Exception {
        String named = dir.toAbsolutePath().normalize().toString();
        try (Db first = created()) {
            assertOk(first.start(), 0);
            CreateReport second = builder().create();
            assertEquals(Code.ERROR, second.code(), second::toString);
            assertTrue(second.error().contains(named), second::error);
            assertOk(first.write("k", bytes("v")), 0);
        }

        Process child = ChildJvm.start(ChildJvm.command(childOptions(), LockHolderChild.class, dir.toString()),
                logs.resolve("holder.err"));
        try {
            ChildJvm.Lines lines = new ChildJvm.Lines(child.getInputStream(), "lock-holder-reader");
            String line = lines.poll(TimeUnit.SECONDS.toMillis(60));
            assertEquals("LOCKED", line, () -> "the child did not take the directory: " + line);
            CreateReport refused = calls.call("create while another process holds the directory", () -> builder().create());
            assertEquals(Code.ERROR, refused.code(), refused::toString);
            assertTrue(refused.error().contains(named), refused::error);
            assertTrue(refused.error().contains("locked by another process"), refused::error);
            assertEquals(null, refused.db());

            child.toHandle().destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the killed child did not exit");
        } finally {
            ChildJvm.kill(child);
        }
        CreateReport reopened = calls.call("create after the holder died", () -> builder().create());
        assertOk(reopened, 0);
        try (Db db = reopened.db()) {
            assertOk(db.start(), 0);
            assertEquals("by the child", new String(db.read("held").data(), StandardCharsets.UTF_8));
            assertEquals("v", new String(db.read("k").data(), StandardCharsets.UTF_8));
        }
        awaitNoEngineThreads("after the lock test");
    }

    static List<String> childOptions() {
        List<String> options = new ArrayList<>(List.of("-Xmx128m"));
        options.addAll(ChildJvm.FAST_START);
        return options;
    }

    // ---- a handler that blocks -----------------------------------------------------------------------------------

    /** Says when it is entered, then blocks until released (at most 90 s) and changes nothing. */
    private static final class BlockingHandler implements Handler {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        /** Starts a transaction of this handler (registered as "block") on {@code key} and waits until it blocks. */
        Future<TransactionReport> blockOn(ExecutorService pool, Db db, String key) throws InterruptedException {
            Future<TransactionReport> blocked = pool.submit(() -> db.transaction("block", List.of(key), null));
            assertTrue(entered.await(30, TimeUnit.SECONDS), "the handler never ran");
            return blocked;
        }

        @Override
        public Map<String, byte[]> handle(byte[] arg, Map<String, byte[]> records) throws InterruptedException {
            entered.countDown();
            release.await(90, TimeUnit.SECONDS);
            return records;
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aBlockedHandlerHoldsUpOnlyItsOwnKeysAndStopHardStillReturnsWithinSeconds() throws Exception {
        BlockingHandler block = new BlockingHandler();
        CreateReport created = builder().handler("block", block).create();
        assertOk(created, 0);
        ExecutorService pool = Executors.newCachedThreadPool();
        try (Db db = created.db()) {
            assertOk(db.start(), 0);
            assertOk(db.write("stuck", number(7)), 0);
            assertOk(db.write("free", number(0)), 0);
            long baseline = timeIncrements(db, "free", 100);

            Future<TransactionReport> blocked = block.blockOn(pool, db, "stuck");
            Future<TransactionReport> waiting = pool.submit(() -> db.transaction("inc", List.of("stuck"), null));

            long whileBlocked = timeIncrements(db, "free", 100);
            for (int i = 0; i < 50; i++) {
                assertOk(calls.call("write beside a blocked handler", () -> db.write("other" + Math.random(), bytes("x"))), 0);
            }
            assertEquals(200, ByteBuffer.wrap(db.read("free").data()).getLong());
            assertFalse(blocked.isDone(), "the blocking handler returned early");
            assertFalse(waiting.isDone(), "a transaction on the blocked key ran while its lock was held");
            System.out.printf("LifecycleStormTest: 100 increments took %.1f ms alone and %.1f ms beside a blocked handler%n",
                    baseline / 1e6, whileBlocked / 1e6);

            long before = System.nanoTime();
            Report stopped = calls.call("stopHard while a handler blocks", db::stopHard);
            long took = System.nanoTime() - before;
            assertOk(stopped, 0);
            assertTrue(took < TimeUnit.SECONDS.toNanos(6), "stopHard took " + took / 1_000_000 + " ms with a blocked handler");
            assertEquals(Code.PANIC_STOPPED, waiting.get(10, TimeUnit.SECONDS).code(), "the waiter gives up when the database stops");

            block.release.countDown();
            TransactionReport late = blocked.get(30, TimeUnit.SECONDS);
            assertEquals(Code.PANIC_STOPPED, late.code(), late::toString);
            assertOk(db.start(), 0);
            ReadReport stuck = db.read("stuck");
            assertEquals(7, ByteBuffer.wrap(stuck.data()).getLong());
            assertEquals(1, stuck.version(), "the refused transaction changed nothing");
            assertOk(db.write("stuck", number(8)), 0);
        } finally {
            block.release.countDown();
            pool.shutdownNow();
        }
        awaitNoEngineThreads("after the blocked handler");
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void stopWithABlockedHandlerReturnsInBoundedTimeAndKeepsEverythingAcknowledged() throws Exception {
        BlockingHandler block = new BlockingHandler();
        CreateReport created = builder().handler("block", block).create();
        assertOk(created, 0);
        ExecutorService pool = Executors.newCachedThreadPool();
        try (Db db = created.db()) {
            assertOk(db.start(), 0);
            assertOk(db.write("stuck", number(7)), 0);
            Future<TransactionReport> blocked = block.blockOn(pool, db, "stuck");
            for (int i = 0; i < 20; i++) {
                assertOk(db.write("k" + i, bytes("v" + i)), 0);
            }
            long before = System.nanoTime();
            Report stopped = calls.call("stop while a handler blocks", db::stop);
            long took = System.nanoTime() - before;
            assertOk(stopped, 0);
            System.out.printf("LifecycleStormTest: stop() with a blocked handler took %d ms%n", took / 1_000_000);
            // stop() waits at most Engine.DRAIN_OPERATIONS_MILLIS (5 s) for operations in flight (R14: <= 5 s),
            // then refuses the stuck one; allow a little for the checkpoint on a busy machine.
            assertTrue(took < TimeUnit.SECONDS.toNanos(8), "stop took " + took / 1_000_000 + " ms with a blocked handler");
            block.release.countDown();
            assertEquals(Code.PANIC_STOPPED, blocked.get(30, TimeUnit.SECONDS).code());
        } finally {
            block.release.countDown();
            pool.shutdownNow();
        }
        try (Db db = created()) {
            assertOk(db.start(), 0);
            for (int i = 0; i < 20; i++) {
                assertEquals("v" + i, new String(db.read("k" + i).data(), StandardCharsets.UTF_8));
            }
            assertEquals(1, db.read("stuck").version());
        }
        awaitNoEngineThreads("after stop with a blocked handler");
    }

    /** Nanoseconds for {@code n} increments of {@code key}, each through the deadline helper. */
    private long timeIncrements(Db db, String key, int n) {
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            assertOk(calls.call("increment", () -> db.transaction("inc", List.of(key), null)), 0);
        }
        return System.nanoTime() - start;
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private Db created() {
        CreateReport report = calls.call("create", () -> builder().create());
        assertOk(report, 0);
        assertNotNull(report.db());
        return report.db();
    }

    private static void assertOk(Report report, long seed) {
        assertTrue(report.isCodeOk(), () -> (seed != 0 ? "seed=" + seed + ": " : "") + "expected OK but got " + report);
    }

    private static Set<Thread> engineThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> ENGINE_THREADS.contains(t.getName()) && t.isAlive())
                .collect(Collectors.toSet());
    }

    /** Polls (up to 10 s) until no engine thread started by this test is alive. */
    private void awaitNoEngineThreads(String where) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            Set<Thread> ours = engineThreads();
            ours.removeAll(baseline);
            if (ours.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                StringBuilder stacks = new StringBuilder();
                for (Thread thread : ours) {
                    stacks.append(thread.getName()).append(":\n").append(stack(thread)).append('\n');
                }
                fail(where + ": engine threads still alive 10 s after close():\n" + stacks);
            }
            Thread thread = ours.iterator().next();
            thread.join(50);
        }
    }

    static String stack(Thread thread) {
        StringBuilder text = new StringBuilder();
        for (StackTraceElement element : thread.getStackTrace()) {
            text.append("    at ").append(element).append('\n');
        }
        return text.toString();
    }

    static String stack(Throwable e) {
        java.io.StringWriter text = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(text));
        return text.toString();
    }

    /**
     * Runs calls under the deadline: each call is registered with its thread while it runs, so a call that has
     * not returned after {@value #CALL_DEADLINE_SECONDS} s fails the test with that thread's stack, and one that
     * returned late fails it too. Threads report their failures here.
     */
    static final class Calls {
        private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(CALL_DEADLINE_SECONDS);

        private record Call(String what, long started) {
        }

        private final Map<Thread, Call> running = new ConcurrentHashMap<>();
        private final Queue<String> failures = new ConcurrentLinkedQueue<>();

        <T> T call(String what, Supplier<T> call) {
            Thread me = Thread.currentThread();
            long started = System.nanoTime();
            running.put(me, new Call(what, started));
            try {
                return call.get();
            } finally {
                running.remove(me);
                long took = System.nanoTime() - started;
                if (took > DEADLINE_NANOS) {
                    failures.add(what + " returned only after " + took / 1_000_000 + " ms");
                }
            }
        }

        void run(String what, Runnable call) {
            call(what, () -> {
                call.run();
                return null;
            });
        }

        void failed(String why) {
            failures.add(why);
        }

        /** Fails the test if a thread failed or a call is past its deadline. */
        void check() {
            long now = System.nanoTime();
            for (Map.Entry<Thread, Call> entry : running.entrySet()) {
                Call call = entry.getValue();
                if (now - call.started > DEADLINE_NANOS) {
                    failures.add(call.what + " has not returned after " + CALL_DEADLINE_SECONDS + " s; "
                            + entry.getKey().getName() + " is at:\n" + stack(entry.getKey()));
                }
            }
            if (!failures.isEmpty()) {
                fail(failures.size() + " failures, the first:\n" + failures.peek());
            }
        }

        /** Joins the threads, checking the deadlines while waiting; every thread must end within a few minutes. */
        void join(List<Thread> threads, String where) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            for (Thread thread : threads) {
                while (thread.isAlive()) {
                    thread.join(100);
                    check();
                    if (System.nanoTime() > deadline) {
                        fail(where + ": " + thread.getName() + " did not finish:\n" + stack(thread));
                    }
                }
            }
            check();
        }
    }
}
