package io.coffer.bench;

import io.coffer.Db;
import io.coffer.StatusReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * How many operations shared each force of the log during each measurement iteration, from the database's own
 * counters ({@link StatusReport#logSyncs()}, {@link StatusReport#syncedOperations()}). With 32 callers it says how
 * close group commit came to putting every waiting caller in one sync: 32 would be all of them.
 *
 * <p>Call {@link #start} in an iteration setup and {@link #stop} in the iteration teardown; each measurement
 * iteration appends one line (operations per sync) to {@code <meta>/per-sync-<Class.method>.txt}.
 */
final class SyncShareMeter {
    private long syncsStart;
    private long operationsStart;

    void start(Db db) {
        StatusReport status = db.status();
        syncsStart = status.logSyncs();
        operationsStart = status.syncedOperations();
    }

    void stop(Db db, BenchmarkParams benchmark, IterationParams iteration) throws IOException {
        StatusReport status = db.status();
        long syncs = status.logSyncs() - syncsStart;
        long operations = status.syncedOperations() - operationsStart;
        String meta = System.getProperty("coffer.bench.meta");
        if (meta == null || iteration.getType() != IterationType.MEASUREMENT || syncs <= 0) {
            return;
        }
        Path dir = Paths.get(meta);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(fileName(SyncProbe.shortName(benchmark.getBenchmark()))),
                String.format(Locale.ROOT, "%.2f%n", operations / (double) syncs), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static String fileName(String benchmark) {
        return "per-sync-" + benchmark + ".txt";
    }
}
