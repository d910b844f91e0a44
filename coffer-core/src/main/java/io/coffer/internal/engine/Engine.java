package io.coffer.internal.engine;

import io.coffer.DbState;
import io.coffer.FilesReport;
import io.coffer.internal.Mutation;
import io.coffer.internal.batch.Batcher;
import io.coffer.internal.checkpoint.CheckpointWriter;
import io.coffer.internal.files.DbFiles;
import io.coffer.internal.follow.Follower;
import io.coffer.internal.io.Storage;
import io.coffer.internal.io.StorageFile;
import io.coffer.internal.records.KeyLocks;
import io.coffer.internal.records.Record;
import io.coffer.internal.records.RecordStore;
import io.coffer.internal.recovery.Recovery;
import io.coffer.internal.resources.OshiResourceSampler;
import io.coffer.internal.resources.ResourceSample;
import io.coffer.internal.resources.ResourceSampler;
import io.coffer.internal.resources.ResourceWatcher;
import io.coffer.internal.wal.Change;
import io.coffer.internal.wal.LogWriter;
import io.coffer.internal.wal.Operation;
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
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The database behind {@link io.coffer.Db}: wires the parts together and owns the lifecycle.
 *
 * <p>Lifecycle transitions ({@code start}, {@code stop}, {@code stopHard}, {@code close}) and the
 * {@code Unsafe} bulk load hold {@link #lifecycle}, so they never interleave. Operations never take that
 * lock: they enter the current {@link Epoch}, which a stop closes. {@code stopHard} aborts the batcher
 * before it waits for the lock, so it returns in bounded time even while a {@code stop} is draining.
 */
public final class Engine {
    private static final Logger LOG = LogManager.getLogger(Engine.class);
    /** How long stop waits for operations in flight (a handler may be slow) before refusing the rest. */
    static final long DRAIN_OPERATIONS_MILLIS = 5_000;
    /** How long stop waits for the batcher to write what is queued. */
    static final long DRAIN_BATCHER_MILLIS = 60_000;
    /** How long stopHard waits for the write or force in progress. */
    static final long ABORT_MILLIS = 5_000;

    private final Config config;
    private final Storage storage;
    private final DbFiles files;
    private final RecordStore store;
    private final ResourceWatcher watcher;
    private final Follower follower;
    private final Operations operations;
    private final DirectoryLock directoryLock;

    /** Serializes lifecycle transitions and the unsafe bulk load. */
    private final ReentrantLock lifecycle = new ReentrantLock();
    /** Written under lifecycle (and by the batcher's failure callback); read by any thread. */
    private volatile DbState state = DbState.CREATED;
    /** The running epoch, or null; written under lifecycle, cleared also by a batcher failure. */
    private volatile Epoch running;
    /** The epoch being started or stopped, which stopHard may abort without the lifecycle lock. */
    private volatile Epoch active;
    /** Why the database failed, or null. */
    private volatile String failure;
    /** Whether the failure was the log's (writing, syncing, or creating it). */
    private volatile boolean walFailed;
    /** The last operation in the log; written under lifecycle while no batcher runs, read by any. */
    private volatile long lastSequence;
    /** The newest checkpoint and the last sequence it covers; guarded by lifecycle. */
    private volatile long newestCheckpoint;
    private long checkpointSequence;
    /** The batcher of the last start, exited or not: the directory stays locked until it exits; guarded by lifecycle. */
    private Batcher lastBatcher;
    /** The log {@code writeListUnsafe} appends to while stopped; guarded by lifecycle. */
    private LogWriter unsafeLog;

    private Engine(Config config, DirectoryLock directoryLock, Recovery.Result recovered, ResourceSampler sampler) {
        this.config = config;
        this.storage = config.storage();
        this.files = new DbFiles(config.dir());
        this.directoryLock = directoryLock;
        this.store = new RecordStore(recovered.records(), recovered.sortedKeys());
        this.lastSequence = recovered.lastSequence();
        this.newestCheckpoint = recovered.checkpoint();
        this.checkpointSequence = recovered.checkpointSequence();
        this.watcher = new ResourceWatcher(sampler, config.limitMemory(), config.limitDisk(), config.resourcePeriod());
        this.follower = new Follower(storage, files, config.limits(), config.logsByCheckpoint(), config.removeUnlessLogs(),
                config.followPause(), this::openLogNumber);
        this.operations = new Operations(this, store, new KeyLocks(), new RequestCheck(config.limits()), config.handlers());
    }

    /** What {@link #open} answers: the engine, or why there is none; and recovery's warnings either way. */
    public record Opened(Engine engine, String error, List<String> warnings) {
    }

    /** Locks the directory and recovers it. Never throws. */
    public static Opened open(Config config) {
        DirectoryLock lock = null;
        try {
            Files.createDirectories(config.dir());
            lock = DirectoryLock.acquire(new DbFiles(config.dir()).lock(), config.dir());
            Recovery.Result recovered = new Recovery(config.storage(), new DbFiles(config.dir()), config.limits(),
                    config.allowStartupErrLoadLogs()).run();
            ResourceSampler sampler = config.sampler() != null ? config.sampler() : new OshiResourceSampler(config.dir());
            Engine engine = new Engine(config, lock, recovered, sampler);
            LOG.info("opened {}: {} records, last operation {}, checkpoint {}, {} operations replayed", config.dir(),
                    recovered.records().size(), recovered.lastSequence(), recovered.checkpoint(), recovered.replayed());
            return new Opened(engine, null, recovered.warnings());
        } catch (Recovery.RecoveryException | IOException | RuntimeException e) {
            closeQuietly(lock);
            String message = e instanceof Recovery.RecoveryException ? e.getMessage() : "cannot open " + config.dir() + ": " + e;
            return new Opened(null, message, List.of());
        }
    }

    // ---- lifecycle --------------------------------------------------------------------------------------

    public Report start() {
        lifecycle.lock();
        try {
            switch (state) {
                case RUNNING:
                    return Report.ok();
                case CREATED:
                case STOPPED:
                    return startLocked();
                default:
                    return notRunningReport();
            }
        } finally {
            lifecycle.unlock();
        }
    }

    private Report startLocked() {
        closeUnsafeLog();
        LogWriter log;
        try {
            log = LogWriter.create(storage, files, files.nextNumber(storage), lastSequence + 1);
        } catch (IOException e) {
            return fail("start could not create a durable log: " + e);
        }
        Batcher batcher = new Batcher(storage, files, store, log, lastSequence, config.batchSize(),
                config.limitRecordsPerLogfile(), config.makeLogsInline(), this::onBatcherFailure);
        Epoch epoch = new Epoch(batcher);
        active = epoch;
        watcher.start();
        batcher.start();
        lastBatcher = batcher; // started: it will run its exit
        follower.start();
        running = epoch;
        state = DbState.RUNNING;
        return Report.ok();
    }

    public Report stop() {
        lifecycle.lock();
        try {
            switch (state) {
                case RUNNING:
                    return stopRunning();
                case CREATED:
                case STOPPED:
                    return checkpointIfBehind();
                default:
                    return notRunningReport();
            }
        } finally {
            lifecycle.unlock();
        }
    }

    /** Refuses new operations, lets those in flight finish, drains the batcher, then checkpoints. */
    private Report stopRunning() {
        Epoch epoch = running;
        state = DbState.TRANSITION;
        running = null;
        if (!epoch.close(DRAIN_OPERATIONS_MILLIS)) {
            LOG.warn("stop: operations still in flight after {} ms (a slow handler?) will be refused", DRAIN_OPERATIONS_MILLIS);
        }
        boolean drained = epoch.batcher.drainAndStop(DRAIN_BATCHER_MILLIS);
        follower.stop();
        watcher.stop();
        active = null;
        if (state == DbState.FAILED || epoch.batcher.failure() != null) {
            return notRunningReport();
        }
        if (!drained) {
            return fail("stop: the log write in progress did not finish (within " + DRAIN_BATCHER_MILLIS
                    + " ms, or before a stopHard gave up on it)");
        }
        if (epoch.batcher.durableSequence() == lastSequence) {
            deleteEmptyLog(epoch.batcher.currentLog());
        }
        lastSequence = epoch.batcher.durableSequence();
        state = DbState.STOPPED;
        return checkpointIfBehind();
    }

    /** A run that logged nothing leaves no file behind: its log holds only a header. */
    private void deleteEmptyLog(long number) {
        try {
            storage.delete(files.log(number));
            storage.syncDirectory(files.dir());
        } catch (IOException e) {
            LOG.warn("could not delete the empty log {}; it is harmless", number, e);
        }
    }

    public Report stopHard() {
        Epoch draining = active;
        if (draining != null) {
            draining.batcher.abort(ABORT_MILLIS); // so that a stop() draining this epoch ends at once
        }
        lifecycle.lock();
        try {
            if (state != DbState.RUNNING) {
                return state == DbState.CREATED || state == DbState.STOPPED ? Report.ok() : notRunningReport();
            }
            Epoch epoch = active;
            running = null;
            epoch.close(0);
            boolean finished = epoch.batcher.abort(ABORT_MILLIS); // at once if the first abort gave up on it
            follower.stop();
            watcher.stop();
            active = null;
            if (!finished) {
                return fail("stopHard: the log write in progress did not finish within " + ABORT_MILLIS + " ms");
            }
            if (epoch.batcher.failure() != null) {
                return notRunningReport();
            }
            lastSequence = epoch.batcher.durableSequence();
            state = DbState.STOPPED;
            return Report.ok();
        } finally {
            lifecycle.unlock();
        }
    }

    public void close() {
        if (state == DbState.RUNNING && !stop().isCodeOk() && state != DbState.FAILED) {
            stopHard();
        }
        lifecycle.lock();
        try {
            if (state == DbState.CLOSED) {
                return;
            }
            if (state == DbState.FAILED || state == DbState.TRANSITION || state == DbState.RUNNING) {
                stopThreadsAfterFailure();
            }
            closeUnsafeLog();
            // before CLOSED shows (a thread that sees it may open the directory at once), unless the batcher is stuck
            releaseDirectory();
            state = DbState.CLOSED;
        } finally {
            lifecycle.unlock();
        }
    }

    /**
     * Releases the directory lock, or, while the last batcher is still stuck in a write or force that a stop could
     * not wait out, leaves that to the batcher's exit: until then it may still close its log and delete the one made
     * ahead by name, and a database opened on the directory meanwhile may have made a log of that very name.
     */
    private void releaseDirectory() {
        if (lastBatcher == null) {
            closeQuietly(directoryLock);
            return;
        }
        if (!lastBatcher.whenExited(() -> closeQuietly(directoryLock))) {
            LOG.warn("closed while the log writer of {} is stuck in a write or force: "
                    + "the directory stays locked until that call returns", config.dir());
        }
    }

    /** A failed database may still have its follower and watcher running, and a batcher to reap. */
    private void stopThreadsAfterFailure() {
        Epoch epoch = running != null ? running : active;
        running = null;
        if (epoch != null) {
            epoch.close(0);
            epoch.batcher.abort(ABORT_MILLIS);
        }
        follower.stop();
        watcher.stop();
        active = null;
    }

    /** The batcher's failure callback (batcher thread): the database fails; only close() leaves that state. */
    private void onBatcherFailure(IOException e) {
        failure = "writing or syncing the log failed: " + e.getMessage();
        walFailed = true;
        running = null;
        state = DbState.FAILED;
    }

    private Report fail(String why) {
        LOG.error(why);
        failure = why;
        walFailed = true;
        running = null;
        state = DbState.FAILED;
        return Report.of(Code.PANIC_WAL, why);
    }

    private Report notRunningReport() {
        Failure why = notRunning();
        return Report.of(why.code(), why.message());
    }

    /**
     * Why an operation cannot run now: PANIC_WAL once the log has failed (for every later call too),
     * PANIC for another failure, else PANIC_STOPPED.
     */
    Failure notRunning() {
        DbState now = state;
        if (now == DbState.FAILED) {
            return new Failure(walFailed ? Code.PANIC_WAL : Code.PANIC, notRunningMessage());
        }
        return new Failure(Code.PANIC_STOPPED, notRunningMessage());
    }

    // ---- checkpoints at stop ------------------------------------------------------------------------------

    /**
     * Writes a checkpoint of the committed records if the logs hold operations the newest checkpoint does
     * not cover, then (with removeUnlessLogs) deletes what it covers. Caller holds lifecycle; no batcher runs.
     */
    private Report checkpointIfBehind() {
        closeUnsafeLog();
        if (lastSequence == checkpointSequence && newestCheckpoint != 0 || lastSequence == 0) {
            return Report.ok();
        }
        try {
            long number = files.nextNumber(storage);
            if (Mutation.active() == Mutation.DELETE_BEFORE_CHECKPOINT_DURABLE && config.removeUnlessLogs()) { follower.removeCovered(number); } // R17 hook
            CheckpointWriter.write(storage, files, number, lastSequence, Follower.checkpointEntries(store.sortedKeys(), store::committed));
            newestCheckpoint = number;
            checkpointSequence = lastSequence;
            if (config.removeUnlessLogs()) {
                follower.removeCovered(number);
            }
            return Report.ok();
        } catch (IOException e) {
            LOG.error("the checkpoint at stop failed; the logs still hold every change", e);
            return Report.of(Code.ERROR, "stopped, but writing the checkpoint failed (the logs still hold every change): " + e);
        }
    }

    // ---- operations -------------------------------------------------------------------------------------

    /** Enters the running epoch, or returns null when the database is not running. */
    Epoch enter() {
        Epoch epoch = running;
        return epoch != null && epoch.enter() ? epoch : null;
    }

    boolean isRunning() {
        return running != null;
    }

    boolean isClosed() {
        return state == DbState.CLOSED;
    }

    String notRunningMessage() {
        DbState now = state;
        if (now == DbState.FAILED) {
            return "the database has failed: " + failure + "; close it and open it again";
        }
        return "the database is " + now.name().toLowerCase() + (now == DbState.CLOSED ? "" : "; call start() first");
    }

    /** ERR_RESOURCES when free memory or disk is below its limit, else null. */
    Failure resourceFailure() {
        return watcher.allowsChanges() ? null : new Failure(Code.ERR_RESOURCES, watcher.refusal());
    }

    public Report write(String key, byte[] value) {
        return operations.write(key, value);
    }

    public WriteListReport writeList(Map<String, byte[]> records, boolean strict) {
        return operations.writeList(records, strict);
    }

    public ReadReport read(String key) {
        return operations.read(key);
    }

    public ReadListReport readList(Collection<String> keys) {
        return operations.readList(keys, false);
    }

    public ReadListReport readListUnsafe(Collection<String> keys) {
        return operations.readList(keys, true);
    }

    public Report delete(String key) {
        return operations.delete(key);
    }

    public DeleteListReport deleteList(Collection<String> keys, boolean strict) {
        return operations.deleteList(keys, strict);
    }

    public TransactionReport transaction(String handler, List<String> keys, byte[] arg) {
        return operations.transaction(handler, keys, arg);
    }

    public CountReport count(boolean anyState) {
        return operations.count(anyState);
    }

    public RecordsListReport recordsList(boolean anyState) {
        return operations.list(anyState, store::keys);
    }

    public RecordsListReport recordsListWithPrefix(String prefix) {
        return operations.listMatching(prefix, true);
    }

    public RecordsListReport recordsListWithSuffix(String suffix) {
        return operations.listMatching(suffix, false);
    }

    /**
     * Bulk load: while running, an optional writeList; otherwise written to a log of its own, forced,
     * and applied before it returns. Holds lifecycle, so it never races a start or stop.
     */
    public Report writeListUnsafe(Map<String, byte[]> records) {
        if (isRunning()) {
            WriteListReport report = writeList(records, false);
            return report.isCodeOk() ? Report.ok() : Report.of(report.code(), report.error());
        }
        lifecycle.lock();
        try {
            if (state != DbState.CREATED && state != DbState.STOPPED) {
                return state == DbState.RUNNING ? writeListUnsafe(records) : notRunningReport();
            }
            Failure failure = new RequestCheck(config.limits()).records(records);
            if (failure != null) {
                return Report.of(failure.code(), failure.message());
            }
            if (records.isEmpty()) {
                return Report.ok();
            }
            watcher.sampleNow();
            Failure resources = resourceFailure();
            return resources != null ? Report.of(resources.code(), resources.message()) : loadUnsafe(records);
        } finally {
            lifecycle.unlock();
        }
    }

    private Report loadUnsafe(Map<String, byte[]> records) {
        List<Change> changes = new ArrayList<>(records.size());
        for (String key : RequestCheck.sortedCopy(records.keySet())) {
            byte[] current = store.committed(key);
            changes.add(new Change(key, records.get(key), current == null ? 1 : Record.version(current) + 1)); // packs a copy
        }
        Operation operation = new Operation(lastSequence + 1, Operation.Kind.WRITE, "", changes);
        try {
            if (unsafeLog == null) {
                unsafeLog = LogWriter.create(storage, files, files.nextNumber(storage), lastSequence + 1);
            }
            unsafeLog.append(List.of(operation));
            unsafeLog.force();
        } catch (IOException e) {
            return fail("writeListUnsafe could not write the log: " + e);
        }
        lastSequence = operation.sequence();
        for (Change change : changes) {
            store.commit(change.key(), change.record());
        }
        return Report.ok();
    }

    private void closeUnsafeLog() {
        if (unsafeLog != null) {
            try {
                unsafeLog.close();
            } catch (IOException e) {
                LOG.warn("closing the bulk-load log failed (its content was forced)", e);
            }
            unsafeLog = null;
        }
    }

    // ---- status ---------------------------------------------------------------------------------------------

    /** The figures of {@link io.coffer.Db#status()}, read without stopping anything. */
    public record Status(DbState state, long recordCount, long currentLog, long newestCheckpoint, long durableSequence,
            String failure, String followerError, long checkpointsWritten, long freeMemory, long limitMemory,
            long freeDisk, long limitDisk, boolean changesAllowed, long logSyncs, long syncedOperations) {
    }

    public Status status() {
        Epoch epoch = active;
        long current = epoch == null ? 0 : epoch.batcher.currentLog();
        long durable = epoch == null ? lastSequence : epoch.batcher.durableSequence();
        if (watcher.lastSample() == null) {
            watcher.sampleNow();
        }
        ResourceSample resources = watcher.lastSample();
        return new Status(state, store.size(), current, Math.max(newestCheckpoint, follower.newestCheckpoint()), durable,
                failure, follower.lastError(), follower.checkpointsWritten(), resources == null ? -1 : resources.freeMemory(),
                config.limitMemory(), resources == null ? -1 : resources.freeDisk(), config.limitDisk(), watcher.allowsChanges(),
                epoch == null ? 0 : epoch.batcher.syncs(), epoch == null ? 0 : epoch.batcher.syncedOperations());
    }

    public DbState state() {
        return state;
    }

    /**
     * The log, checkpoint and unfinished checkpoint files in the directory with their sizes, unsorted, for
     * {@link io.coffer.Db#files()}. Reads without stopping anything: a file deleted meanwhile is left out.
     */
    public List<FilesReport.Entry> files() throws IOException {
        List<FilesReport.Entry> found = new ArrayList<>();
        for (String name : storage.list(files.dir())) {
            for (FilesReport.Kind kind : FilesReport.Kind.values()) {
                Optional<Long> number = DbFiles.parse(name, kind.extension());
                if (number.isEmpty()) {
                    continue;
                }
                try (StorageFile file = storage.open(files.dir().resolve(name))) {
                    found.add(new FilesReport.Entry(name, kind, number.get(), file.size()));
                } catch (NoSuchFileException e) {
                    LOG.debug("{} was removed while listing", name);
                }
            }
        }
        return found;
    }

    /** The log the batcher writes, which the follower must never touch; no bound while none is open. */
    private long openLogNumber() {
        Epoch epoch = active;
        return epoch == null ? Long.MAX_VALUE : epoch.batcher.currentLog();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("closing {} failed", closeable, e);
        }
    }
}
