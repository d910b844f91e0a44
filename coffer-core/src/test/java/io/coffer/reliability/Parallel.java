package io.coffer.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs independent cases on a few threads, each with a directory of its own (for the lock file), and bounds
 * the whole: a case that hangs is reported with the stack of the thread stuck in it, never waited for forever.
 */
final class Parallel {
    /** Stop scheduling new cases after this many cases found violations. */
    static final int MAX_FAILING_CASES = 20;

    /** A case: returns its violations (empty when it passed). */
    @FunctionalInterface
    interface Case {
        List<String> run(long index, Path dir, int worker) throws Exception;
    }

    private Parallel() {
    }

    static Path dir(Path work, int worker) {
        try {
            return Files.createDirectories(work.resolve("worker" + worker)).toAbsolutePath().normalize();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs cases {@code first..last} (inclusive); returns the violations in case order. */
    static List<String> forEach(long first, long last, int threads, Path work, long timeoutSeconds, Case task)
            throws InterruptedException {
        Map<Long, List<String>> found = new ConcurrentSkipListMap<>();
        AtomicLong next = new AtomicLong(first);
        AtomicInteger failing = new AtomicInteger();
        long[] current = new long[threads];
        Thread[] workers = new Thread[threads];
        CountDownLatch done = new CountDownLatch(threads);
        for (int w = 0; w < threads; w++) {
            int worker = w;
            Path dir = dir(work, worker);
            workers[w] = new Thread(() -> {
                try {
                    for (long index; failing.get() < MAX_FAILING_CASES && (index = next.getAndIncrement()) <= last;) {
                        current[worker] = index;
                        List<String> violations;
                        try {
                            violations = task.run(index, dir, worker);
                        } catch (Throwable t) {
                            violations = List.of("case " + index + " threw " + t);
                        }
                        if (!violations.isEmpty()) {
                            found.put(index, violations);
                            failing.incrementAndGet();
                        }
                    }
                } finally {
                    done.countDown();
                }
            }, "reliability-" + w);
            workers[w].setDaemon(true);
            workers[w].start();
        }
        List<String> violations = new ArrayList<>();
        if (!done.await(timeoutSeconds, TimeUnit.SECONDS)) {
            for (int w = 0; w < threads; w++) {
                if (workers[w].isAlive()) {
                    StringBuilder stack = new StringBuilder();
                    for (StackTraceElement element : workers[w].getStackTrace()) {
                        stack.append("\n    at ").append(element);
                    }
                    violations.add("HANG: case " + current[w] + " did not finish within " + timeoutSeconds + " s" + stack);
                }
            }
        }
        found.values().forEach(violations::addAll);
        return violations;
    }
}
