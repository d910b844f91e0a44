package io.coffer.fuzz;

import io.coffer.CreateReport;
import io.coffer.Db;
import io.coffer.DbBuilder;
import io.coffer.reports.Report;
import io.coffer.reports.TransactionReport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Real files to mutate: the {@code .log} and {@code .checkpoint} files of a small database run (several
 * threads, so frames hold several operations; rotated logs; a follower checkpoint that shares its number
 * with a log; a stop checkpoint; logs after it; keys in several scripts), and every (key, value) pair the run
 * ever wrote, so a recovered record can be told from one that was never written.
 */
final class FuzzCorpus {
    /** File name to content; never changed after the build. */
    final Map<String, byte[]> files;
    /** {@link #pair} of every record the run wrote. */
    final Set<String> pairs;

    private FuzzCorpus(Map<String, byte[]> files, Set<String> pairs) {
        this.files = files;
        this.pairs = pairs;
    }

    static String pair(String key, byte[] value) {
        return key + "\u0000" + HexFormat.of().formatHex(value);
    }

    /**
     * Runs a small database in {@code dir} with {@code options} applied and values up to {@code maxValue} bytes,
     * and collects its files.
     */
    static FuzzCorpus build(Path dir, long seed, int maxValue, UnaryOperator<DbBuilder> options) throws Exception {
        Random random = new Random(seed);
        Set<String> pairs = Collections.synchronizedSet(new HashSet<>());
        DbBuilder builder = options.apply(Db.builder(dir).limitMemory(0).limitDisk(0).removeUnlessLogs(false)
                .limitRecordsPerLogfile(6).followPause(Duration.ofMillis(20)).logsByCheckpoint(2)
                .handler("inc", FuzzCorpus::increment));
        CreateReport created = builder.create();
        check(created);
        Db db = created.db();
        try {
            check(db.start());
            check(db.write("ctr", number(0)));
            pairs.add(pair("ctr", number(0)));
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Random mine = new Random(random.nextLong());
                int thread = t;
                threads.add(new Thread(() -> {
                    try {
                        load(db, mine, thread, maxValue, pairs, 12);
                    } catch (Throwable e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread thread : threads) {
                thread.join(TimeUnit.MINUTES.toMillis(1));
            }
            if (!failures.isEmpty()) {
                throw new IllegalStateException("building the corpus failed", failures.get(0));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (db.status().checkpointsWritten() == 0 && System.nanoTime() < deadline) {
                load(db, random, 9, maxValue, pairs, 1); // keep going until the follower has checkpointed
            }
            check(db.stop());
            check(db.start());
            load(db, random, 8, maxValue, pairs, 8);
            check(db.stopHard());
        } finally {
            db.close();
        }
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path file : (Iterable<Path>) list::iterator) {
                String name = file.getFileName().toString();
                if (name.endsWith(".log") || name.endsWith(".checkpoint")) {
                    files.put(name, Files.readAllBytes(file));
                }
            }
        }
        return new FuzzCorpus(Map.copyOf(files), Set.copyOf(pairs));
    }

    /** A few operations of every kind: writes, writeLists, deletes and transactions. */
    private static void load(Db db, Random random, int thread, int maxValue, Set<String> pairs, int operations) {
        String[] scripts = {"k", "ключ", "鍵", "\uD83D\uDD11"};
        for (int i = 0; i < operations; i++) {
            String key = scripts[random.nextInt(scripts.length)] + thread + "-" + random.nextInt(6);
            switch (random.nextInt(5)) {
                case 0, 1 -> {
                    byte[] value = value(random, maxValue);
                    check(db.write(key, value));
                    pairs.add(pair(key, value));
                }
                case 2 -> {
                    Map<String, byte[]> records = new LinkedHashMap<>();
                    for (int k = 0; k < 3; k++) {
                        records.put(key + "/" + k, value(random, maxValue));
                    }
                    check(db.writeList(records, false));
                    records.forEach((k, v) -> pairs.add(pair(k, v)));
                }
                case 3 -> db.delete(key); // may be absent: either answer is fine
                default -> {
                    TransactionReport report = db.transaction("inc", List.of("ctr"), null);
                    check(report);
                    pairs.add(pair("ctr", report.data().get("ctr")));
                }
            }
        }
    }

    private static byte[] value(Random random, int maxValue) {
        byte[] value = new byte[random.nextInt(maxValue + 1)];
        random.nextBytes(value);
        return value;
    }

    private static Map<String, byte[]> increment(byte[] arg, Map<String, byte[]> records) {
        Map<String, byte[]> result = new HashMap<>();
        records.forEach((key, value) -> result.put(key, number(ByteBuffer.wrap(value).getLong() + 1)));
        return result;
    }

    private static byte[] number(long n) {
        return ByteBuffer.allocate(8).putLong(n).array();
    }

    private static void check(Report report) {
        if (!report.isCodeOk()) {
            throw new IllegalStateException("building the corpus: " + report);
        }
    }

    /** Deletes a directory tree. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
