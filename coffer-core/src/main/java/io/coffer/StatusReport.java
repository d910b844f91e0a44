package io.coffer;

import io.coffer.reports.Code;
import io.coffer.reports.Report;

/**
 * A snapshot of a database's health, as answered by {@link Db#status()}. Always OK unless the database
 * is closed; the figures are read without stopping anything, so they may be a moment apart.
 */
public final class StatusReport extends Report {
    private final DbState state;
    private final long recordCount;
    private final long currentLog;
    private final long newestCheckpoint;
    private final long durableSequence;
    private final String failure;
    private final String followerError;
    private final long checkpointsWritten;
    private final long freeMemory;
    private final long limitMemory;
    private final long freeDisk;
    private final long limitDisk;
    private final boolean changesAllowed;
    private final long logSyncs;
    private final long syncedOperations;

    StatusReport(Code code, String error, Builder b) {
        super(code, error);
        this.state = b.state;
        this.recordCount = b.recordCount;
        this.currentLog = b.currentLog;
        this.newestCheckpoint = b.newestCheckpoint;
        this.durableSequence = b.durableSequence;
        this.failure = b.failure;
        this.followerError = b.followerError;
        this.checkpointsWritten = b.checkpointsWritten;
        this.freeMemory = b.freeMemory;
        this.limitMemory = b.limitMemory;
        this.freeDisk = b.freeDisk;
        this.limitDisk = b.limitDisk;
        this.changesAllowed = b.changesAllowed;
        this.logSyncs = b.logSyncs;
        this.syncedOperations = b.syncedOperations;
    }

    public DbState state() {
        return state;
    }

    public long recordCount() {
        return recordCount;
    }

    /** The number of the log being written, or 0 when none is open. */
    public long currentLog() {
        return currentLog;
    }

    /** The number of the newest checkpoint on disk, or 0 when there is none. */
    public long newestCheckpoint() {
        return newestCheckpoint;
    }

    /** The sequence number of the last operation forced to disk (operations are numbered from 1). */
    public long durableSequence() {
        return durableSequence;
    }

    /** Why the database failed, or null. */
    public String failure() {
        return failure;
    }

    /** The follower's last error, or null while it is healthy. */
    public String followerError() {
        return followerError;
    }

    public boolean followerHealthy() {
        return followerError == null;
    }

    /** Checkpoints the follower has written since this database was created. */
    public long checkpointsWritten() {
        return checkpointsWritten;
    }

    /** Free memory as the resource watcher last saw it (the smaller of physical and heap headroom). */
    public long freeMemory() {
        return freeMemory;
    }

    public long limitMemory() {
        return limitMemory;
    }

    /** Usable disk space in the database directory as last sampled. */
    public long freeDisk() {
        return freeDisk;
    }

    public long limitDisk() {
        return limitDisk;
    }

    /** False while free memory or disk is below its limit and changes get ERR_RESOURCES. */
    public boolean changesAllowed() {
        return changesAllowed;
    }

    /**
     * Forces of the log since the last {@code start()} (0 while not running). Each is one group commit: one write
     * and one sync for every operation that was waiting.
     */
    public long logSyncs() {
        return logSyncs;
    }

    /**
     * Operations made durable by those forces. {@code syncedOperations() / logSyncs()} is how many operations
     * shared a sync on average: near 1 with one writer, up to the number of writers when many wait at once.
     */
    public long syncedOperations() {
        return syncedOperations;
    }

    @Override
    public String toString() {
        return "Status{state=" + state + ", records=" + recordCount + ", currentLog=" + currentLog
                + ", newestCheckpoint=" + newestCheckpoint + ", durableSequence=" + durableSequence
                + ", freeMemory=" + freeMemory + "/" + limitMemory + ", freeDisk=" + freeDisk + "/" + limitDisk
                + ", changesAllowed=" + changesAllowed + ", logSyncs=" + logSyncs + ", syncedOperations=" + syncedOperations
                + (failure == null ? "" : ", failure=" + failure)
                + (followerError == null ? "" : ", followerError=" + followerError) + "}";
    }

    /** Collects the figures; used by the engine only. */
    static final class Builder {
        DbState state;
        long recordCount;
        long currentLog;
        long newestCheckpoint;
        long durableSequence;
        String failure;
        String followerError;
        long checkpointsWritten;
        long freeMemory;
        long limitMemory;
        long freeDisk;
        long limitDisk;
        boolean changesAllowed;
        long logSyncs;
        long syncedOperations;

        StatusReport build() {
            return new StatusReport(state == DbState.CLOSED ? Code.PANIC_STOPPED : Code.OK,
                    state == DbState.CLOSED ? "the database is closed" : null, this);
        }
    }
}
