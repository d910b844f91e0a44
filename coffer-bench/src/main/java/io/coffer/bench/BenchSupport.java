package io.coffer.bench;

import io.coffer.CreateReport;
import io.coffer.Db;
import io.coffer.DbBuilder;
import io.coffer.Handler;
import io.coffer.reports.Report;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * What every benchmark shares: a fresh directory per trial, the database options of the benchmarks, the
 * "exchange" handler, and a check that turns any non-OK report into an exception (so JMH reports the
 * benchmark as failed instead of timing errors).
 *
 * <p>System properties (RunAll passes them to the forks):
 * <ul>
 *   <li>{@code coffer.bench.dir}: where the trial directories are created (default {@code java.io.tmpdir});
 *       the disk under test.</li>
 *   <li>{@code coffer.bench.meta}: where benchmarks leave the facts RunAll needs that JMH does not carry
 *       (record counts and directory sizes of the recovery benchmark).</li>
 * </ul>
 */
final class BenchSupport {
    /** The follower never runs during a measurement: no checkpoint competes with the measured work. */
    static final Duration FOLLOW_PAUSE = Duration.ofHours(1);
    /** As in the Go benchmarks ({@code LogsByCheckpoint 1000}). */
    static final int LOGS_BY_CHECKPOINT = 1000;

    /** Swaps the values of its two keys; the Go benchmarks' handler. */
    static final Handler EXCHANGE = (arg, records) -> {
        if (records.size() != 2) {
            throw new IllegalArgumentException("exchange needs exactly two records, got " + records.keySet());
        }
        Iterator<Map.Entry<String, byte[]>> it = records.entrySet().iterator();
        Map.Entry<String, byte[]> a = it.next();
        Map.Entry<String, byte[]> b = it.next();
        return Map.of(a.getKey(), b.getValue(), b.getKey(), a.getValue());
    };

    private BenchSupport() {
    }

    static Path baseDir() {
        return Paths.get(System.getProperty("coffer.bench.dir", System.getProperty("java.io.tmpdir")));
    }

    /** A new empty directory for one trial. */
    static Path newDir(String name) throws IOException {
        Path base = baseDir();
        Files.createDirectories(base);
        return Files.createTempDirectory(base, "coffer-bench-" + name + "-");
    }

    /**
     * Creates {@code file} holding {@code bytes} of zeros, written 1 MiB at a time and forced with its metadata,
     * and returns it open for writing: the preallocated file a log overwrites, so a later {@code force(false)}
     * changes no file size.
     */
    static FileChannel preallocatedZeros(Path file, long bytes) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
        for (long written = 0; written < bytes; written += 1 << 20) {
            zeros.clear();
            while (zeros.hasRemaining()) {
                channel.write(zeros);
            }
        }
        channel.force(true);
        return channel;
    }

    /** Deletes {@code dir} and everything in it; a null or missing directory is fine. */
    static void deleteRecursively(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * The options of every benchmark database: real fsync (the engine's only mode), resource checks
     * disabled (0) so a busy shared machine never refuses a write, a follower that stays asleep.
     */
    static DbBuilder builder(Path dir) {
        return Db.builder(dir)
                .limitMemory(0)
                .limitDisk(0)
                .followPause(FOLLOW_PAUSE)
                .logsByCheckpoint(LOGS_BY_CHECKPOINT)
                .handler("exchange", EXCHANGE);
    }

    static Db create(DbBuilder builder) {
        CreateReport report = builder.create();
        ok(report, "create");
        return report.db();
    }

    static Db createStarted(DbBuilder builder) {
        Db db = create(builder);
        ok(db.start(), "start");
        return db;
    }

    /** Returns {@code report} if OK; otherwise throws with its code and message. */
    static <R extends Report> R ok(R report, String what) {
        if (!report.isCodeOk()) {
            throw new IllegalStateException(what + " failed: " + report.code() + ": " + report.error());
        }
        return report;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Loads records {@code 0 <= i < count} with {@code writeListUnsafe} (before start) in chunks of
     * {@code chunk} records, each chunk durable when it returns.
     */
    static void bulkLoad(Db db, int count, int chunk, IntFunction<String> key, IntFunction<byte[]> value) {
        Map<String, byte[]> batch = new HashMap<>(chunk * 2);
        for (int i = 0; i < count; i++) {
            batch.put(key.apply(i), value.apply(i));
            if (batch.size() == chunk || i == count - 1) {
                ok(db.writeListUnsafe(batch), "writeListUnsafe");
                batch = new HashMap<>(chunk * 2);
            }
        }
    }

    /** Writes records {@code 0 <= i < count} with {@code writeList(optional)} on a running database. */
    static void writeLoad(Db db, int from, int to, int chunk, IntFunction<String> key, IntFunction<byte[]> value) {
        Map<String, byte[]> batch = new HashMap<>(chunk * 2);
        for (int i = from; i < to; i++) {
            batch.put(key.apply(i), value.apply(i));
            if (batch.size() == chunk || i == to - 1) {
                ok(db.writeList(batch, false), "writeList");
                batch = new HashMap<>(chunk * 2);
            }
        }
    }

    /** Bytes of the regular files in {@code dir} (the lock file is empty or tiny). */
    static long directoryBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            long total = 0;
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f)) {
                    total += Files.size(f);
                }
            }
            return total;
        }
    }

    /** Names of the files in {@code dir} ending with {@code suffix}. */
    static List<String> filesEndingWith(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix)).sorted().toList();
        }
    }

    /** Leaves {@code facts} as {@code <meta dir>/<name>.properties} for RunAll; no-op without a meta dir. */
    static void writeMeta(String name, Properties facts) {
        String meta = System.getProperty("coffer.bench.meta");
        if (meta == null) {
            return;
        }
        try {
            Path dir = Paths.get(meta);
            Files.createDirectories(dir);
            try (OutputStream out = Files.newOutputStream(dir.resolve(name + ".properties"))) {
                facts.store(out, "coffer-bench facts of " + name);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
