package io.coffer;

import io.coffer.internal.engine.Engine;
import io.coffer.reports.Code;
import io.coffer.reports.CountReport;
import io.coffer.reports.DeleteListReport;
import io.coffer.reports.ReadListReport;
import io.coffer.reports.ReadReport;
import io.coffer.reports.RecordsListReport;
import io.coffer.reports.Report;
import io.coffer.reports.TransactionReport;
import io.coffer.reports.WriteListReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * An embedded, durable key-value database. Create one with {@link #builder(Path)}, then {@link #start()}.
 *
 * <p><b>Every call returns a report and none throws.</b> Check {@code isCodeOk()}; an ERROR-class code means
 * the call changed nothing and the database keeps working; a PANIC-class code means the database is stopped
 * or has failed.
 *
 * <p><b>An OK change is on disk.</b> It is acknowledged only after its log record, and the directory
 * entry of the log, have been forced to stable storage. Changes of many threads share one sync (group
 * commit). A read never returns a value that is not yet on disk.
 *
 * <p><b>Thread safety.</b> Every method may be called from any number of threads. The {@code Unsafe}
 * methods are for a database that is not running, one caller at a time. Transactions and writes on
 * overlapping keys are serializable; on disjoint keys they run in parallel.
 *
 * <p>Keys are non-empty strings of valid Unicode of at most {@code maxKeyLength} UTF-8 bytes. Values are
 * byte arrays of at most {@code maxValueLength} bytes; they are copied in and out.
 */
public final class Db implements AutoCloseable {
    private final Engine engine;

    Db(Engine engine) {
        this.engine = engine;
    }

    public static DbBuilder builder(Path dir) {
        return new DbBuilder(dir);
    }

    public static DbBuilder builder(String dir) {
        return new DbBuilder(dir);
    }

    /** From CREATED or STOPPED: opens a new log file and starts the batcher, follower and resource watcher. */
    public Report start() {
        return engine.start();
    }

    /**
     * Refuses new operations, lets those in flight finish, syncs everything accepted, writes a checkpoint
     * and stops the threads. Idempotent; the next {@code create()} reads that checkpoint and no log.
     */
    public Report stop() {
        return engine.stop();
    }

    /**
     * Stops at once without a checkpoint: operations not yet synced get PANIC_STOPPED. Returns in bounded
     * time even if the disk hangs: after waiting 5 s for the write or force in progress it answers PANIC_WAL,
     * the database fails and only {@code close()} is left. The callers of that write get PANIC_STOPPED without
     * knowing its outcome: if the disk ever answers, their change may be durable and found by the next open.
     */
    public Report stopHard() {
        return engine.stopHard();
    }

    /**
     * {@link #stop()} if running, then releases the directory lock; every later call gets PANIC_STOPPED. After a
     * stop that found the log's write or force hanging, the lock is released only when that call returns: until
     * then the thread stuck in it still owns files in the directory, and another {@code create()} there is refused.
     */
    @Override
    public void close() {
        engine.close();
    }

    /** Inserts or overwrites one record. */
    public Report write(String key, byte[] value) {
        return engine.write(key, value);
    }

    /**
     * Writes several records atomically. Strict: all or nothing, {@code ERR_RECORDS_FOUND} (with the keys in
     * {@code found()}) if any exists. Optional: writes all; {@code found()} lists the keys overwritten.
     */
    public WriteListReport writeList(Map<String, byte[]> records, boolean strict) {
        return engine.writeList(records, strict);
    }

    /**
     * Bulk load before {@code start()}: durable when it returns OK. One caller at a time. While running it
     * acts as {@code writeList(records, false)}.
     */
    public Report writeListUnsafe(Map<String, byte[]> records) {
        return engine.writeListUnsafe(records);
    }

    /** The value and version of {@code key}; {@code ERR_NOT_FOUND} when absent. */
    public ReadReport read(String key) {
        return engine.read(key);
    }

    /** The records found, and {@code ERR_NOT_FOUND} with {@code notFound()} when any key is absent. */
    public ReadListReport readList(Collection<String> keys) {
        return engine.readList(keys);
    }

    /** Like {@link #readList} in any state but CLOSED, for a database that is not running. */
    public ReadListReport readListUnsafe(Collection<String> keys) {
        return engine.readListUnsafe(keys);
    }

    /** Deletes one record; {@code ERR_NOT_FOUND} when absent. */
    public Report delete(String key) {
        return engine.delete(key);
    }

    /** Deletes all the keys or none: {@code ERR_NOT_FOUND} and nothing deleted if any is absent. */
    public DeleteListReport deleteListStrict(Collection<String> keys) {
        return engine.deleteList(keys, true);
    }

    /** Deletes the keys that exist; OK, with {@code removed()} and {@code notFound()}. */
    public DeleteListReport deleteListOptional(Collection<String> keys) {
        return engine.deleteList(keys, false);
    }

    /**
     * Runs the handler registered as {@code handler} on copies of the records {@code keys} and commits the
     * new values it returns atomically; {@code data()} holds them. See {@link Handler} for the rules.
     */
    public TransactionReport transaction(String handler, List<String> keys, byte[] arg) {
        return engine.transaction(handler, keys, arg);
    }

    public CountReport count() {
        return engine.count(false);
    }

    /** The number of records, in any state but CLOSED. */
    public CountReport countUnsafe() {
        return engine.count(true);
    }

    /** Every key, sorted ascending. */
    public RecordsListReport recordsList() {
        return engine.recordsList(false);
    }

    /** Every key, sorted, in any state but CLOSED. */
    public RecordsListReport recordsListUnsafe() {
        return engine.recordsList(true);
    }

    /** The keys starting with {@code prefix}, sorted; costs the number of matches, not the store size. */
    public RecordsListReport recordsListWithPrefix(String prefix) {
        return engine.recordsListWithPrefix(prefix);
    }

    /** The keys ending with {@code suffix}, sorted (scans every key). */
    public RecordsListReport recordsListWithSuffix(String suffix) {
        return engine.recordsListWithSuffix(suffix);
    }

    /**
     * State, record count, current log, newest checkpoint, durable position, follower health, resources, and how
     * many operations each force of the log carried since the last start.
     */
    public StatusReport status() {
        Engine.Status s = engine.status();
        StatusReport.Builder b = new StatusReport.Builder();
        b.state = s.state();
        b.recordCount = s.recordCount();
        b.currentLog = s.currentLog();
        b.newestCheckpoint = s.newestCheckpoint();
        b.durableSequence = s.durableSequence();
        b.failure = s.failure();
        b.followerError = s.followerError();
        b.checkpointsWritten = s.checkpointsWritten();
        b.freeMemory = s.freeMemory();
        b.limitMemory = s.limitMemory();
        b.freeDisk = s.freeDisk();
        b.limitDisk = s.limitDisk();
        b.changesAllowed = s.changesAllowed();
        b.logSyncs = s.logSyncs();
        b.syncedOperations = s.syncedOperations();
        return b.build();
    }

    /**
     * The logs, checkpoints and unfinished checkpoints in the directory, sorted by number then kind, with
     * their sizes; in any state but CLOSED (PANIC_STOPPED). Reads the directory without stopping anything.
     */
    public FilesReport files() {
        if (engine.state() == DbState.CLOSED) {
            return FilesReport.failed(Code.PANIC_STOPPED, "the database is closed");
        }
        try {
            return FilesReport.listed(engine.files());
        } catch (IOException | RuntimeException e) {
            return FilesReport.failed(Code.ERROR, "listing the database's files failed: " + e);
        }
    }

    /** The lifecycle state right now. */
    public DbState state() {
        return engine.state();
    }
}
