package io.coffer.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coffer.CreateReport;
import io.coffer.Db;
import io.coffer.DbBuilder;
import io.coffer.reports.Code;
import io.coffer.reports.Report;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/** Small helpers shared by the engine tests. */
public final class Dbs {
    private Dbs() {
    }

    /** A builder with limits that never refuse on a test machine and a follower that stays out of the way. */
    public static DbBuilder builder(Path dir) {
        return Db.builder(dir).limitMemory(0).limitDisk(0).followPause(Duration.ofHours(1));
    }

    /** Creates and starts a database, failing the test with the report if either step is not OK. */
    public static Db started(Path dir, UnaryOperator<DbBuilder> options) {
        Db db = created(dir, options);
        assertOk(db.start());
        return db;
    }

    public static Db started(Path dir) {
        return started(dir, b -> b);
    }

    public static Db created(Path dir, UnaryOperator<DbBuilder> options) {
        CreateReport report = options.apply(builder(dir)).create();
        assertOk(report);
        assertNotNull(report.db());
        return report.db();
    }

    public static void assertOk(Report report) {
        assertTrue(report.isCodeOk(), () -> "expected OK but got " + report);
    }

    public static void assertCode(Code expected, Report report) {
        assertEquals(expected, report.code(), () -> "expected " + expected + " but got " + report);
    }

    public static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** Polls {@code condition} every few milliseconds for up to 30 s; fails naming {@code what} if it never holds. */
    public static void waitUntil(BooleanSupplier condition, String what) {
        waitUntil(condition, () -> what);
    }

    /** As {@link #waitUntil(BooleanSupplier, String)}, with a failure message made when it fails (what is still so). */
    public static void waitUntil(BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what.get());
            }
            LockSupport.parkNanos(5_000_000);
        }
    }
}
