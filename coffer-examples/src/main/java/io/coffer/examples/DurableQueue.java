package io.coffer.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.coffer.CreateReport;
import io.coffer.Db;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A first-in first-out queue that survives a restart, kept in a Coffer database: one record per item.
 *
 * <p>An item's key is {@value #PREFIX} followed by its sequence number padded to 19 digits, so the keys'
 * sorted order (which {@code recordsListWithPrefix} returns) is the queue's order. {@link #offer} writes the
 * item under the next number; {@link #poll} reads the oldest one and deletes it. Head and tail live in memory
 * and are recovered when the queue is opened: the head is the first key, the tail one past the last.
 *
 * <p>Delivery is at least once: an item is deleted after it has been read, so a crash between the two
 * hands it out again after the restart. Items are at most {@code maxValueLength} bytes. The queue is
 * thread-safe; {@link #poll(Duration)} waits for a producer in this process.
 *
 * <p>{@link #main} produces 100 items on one thread while another consumes 40, stops the database, opens it
 * again and consumes the other 60, in order.
 */
public final class DurableQueue {
    static final String PREFIX = "q/";

    private final Db db;
    /** Sequence number of the oldest item; equals {@code tail} when empty. Guarded by {@code this}. */
    private long head;
    /** Sequence number the next item gets. Guarded by {@code this}. */
    private long tail;

    /** Opens the queue kept in {@code db} (which must be running), recovering head and tail from its keys. */
    public DurableQueue(Db db) {
        this.db = db;
        List<String> keys = Check.ok(db.recordsListWithPrefix(PREFIX), "list the queue").keys();
        this.head = keys.isEmpty() ? 0 : sequence(keys.get(0));
        this.tail = keys.isEmpty() ? 0 : sequence(keys.get(keys.size() - 1)) + 1;
    }

    /** Appends an item; durable when this returns. */
    public synchronized void offer(byte[] item) {
        // A strict write refuses to overwrite, so a bug here could never replace an unconsumed item.
        Check.ok(db.writeList(Map.of(key(tail), item), true), "enqueue");
        tail++;
        notifyAll();
    }

    /** Removes and returns the oldest item, or null when the queue is empty. */
    public synchronized byte[] poll() {
        return head == tail ? null : removeHead();
    }

    /** Removes and returns the oldest item, waiting up to {@code timeout} for one; null if none came. */
    public synchronized byte[] poll(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (head == tail) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return removeHead();
    }

    public synchronized long size() {
        return tail - head;
    }

    private byte[] removeHead() {
        String key = key(head);
        byte[] item = Check.ok(db.read(key), "read the head").data();
        Check.ok(db.delete(key), "delete the head");
        head++;
        return item;
    }

    static String key(long sequence) {
        return PREFIX + String.format("%019d", sequence);
    }

    private static long sequence(String key) {
        return Long.parseLong(key.substring(PREFIX.length()));
    }

    /** What the demo consumed before the restart, how many items waited at the restart, and what it consumed after. */
    public record Result(List<Integer> consumedBeforeRestart, long waitingAtRestart, List<Integer> consumedAfterRestart) {
        public List<Integer> consumed() {
            List<Integer> all = new ArrayList<>(consumedBeforeRestart);
            all.addAll(consumedAfterRestart);
            return all;
        }
    }

    public static void main(String[] args) throws IOException, InterruptedException, ExecutionException {
        try {
            Result result = run(Files.createTempDirectory("coffer-queue-"), 100, 40);
            System.out.println("consumed before the restart: " + result.consumedBeforeRestart());
            System.out.println("waiting at the restart:      " + result.waitingAtRestart());
            System.out.println("consumed after the restart:  " + result.consumedAfterRestart());
        } catch (Check.Failed e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }

    /**
     * Produces items 0..{@code produce}-1 on a producer thread while this thread consumes
     * {@code consumeBeforeRestart} of them; stops; reopens {@code dir} and consumes the rest.
     */
    public static Result run(Path dir, int produce, int consumeBeforeRestart) throws InterruptedException, ExecutionException {
        List<Integer> before = new ArrayList<>();
        try (Db db = open(dir)) {
            Check.ok(db.start(), "start");
            DurableQueue queue = new DurableQueue(db);

            ExecutorService producerThread = Executors.newSingleThreadExecutor();
            Future<?> producing = producerThread.submit(() -> {
                for (int i = 0; i < produce; i++) {
                    queue.offer(("item " + i).getBytes(UTF_8));
                }
            });
            producerThread.shutdown();
            while (before.size() < consumeBeforeRestart) {
                byte[] item = queue.poll(Duration.ofSeconds(10));
                if (item == null) {
                    producing.get(); // rethrows the producer's failure, if that is why nothing came
                    throw new IllegalStateException("the producer finished but the queue is empty");
                }
                before.add(number(item));
            }
            producing.get();
            Check.ok(db.stop(), "stop");
        }

        List<Integer> after = new ArrayList<>();
        long waiting;
        try (Db db = open(dir)) {
            Check.ok(db.start(), "start after reopening");
            DurableQueue queue = new DurableQueue(db);
            waiting = queue.size();
            for (byte[] item = queue.poll(); item != null; item = queue.poll()) {
                after.add(number(item));
            }
            Check.ok(db.stop(), "stop");
        }
        return new Result(before, waiting, after);
    }

    private static int number(byte[] item) {
        return Integer.parseInt(new String(item, UTF_8).substring("item ".length()));
    }

    private static Db open(Path dir) {
        CreateReport created = Check.ok(Db.builder(dir).create(), "create " + dir);
        created.warnings().forEach(warning -> System.err.println("warning: " + warning));
        return created.db();
    }
}
