package io.coffer.internal.recovery;

import io.coffer.internal.Mutation;
import io.coffer.internal.checkpoint.CheckpointEntry;
import io.coffer.internal.checkpoint.CheckpointInfo;
import io.coffer.internal.checkpoint.CheckpointReader;
import io.coffer.internal.files.DbFiles;
import io.coffer.internal.files.Limits;
import io.coffer.internal.io.Storage;
import io.coffer.internal.io.StorageFile;
import io.coffer.internal.records.RecordTable;
import io.coffer.internal.wal.Change;
import io.coffer.internal.wal.LogFormat;
import io.coffer.internal.wal.LogReader;
import io.coffer.internal.wal.Operation;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Rebuilds the records from a directory: the newest valid checkpoint, then every later log in order.
 *
 * <p>The rules, in the order they apply:
 * <ol>
 *   <li>Leftover {@code .check} files (a checkpoint a crash interrupted) are deleted: they are never read.</li>
 *   <li>The newest checkpoint that validates is the base. A newer one that does not is skipped only if the
 *       logs still hold everything it covered: continuous sequences up to a log written after it, or up to
 *       the last sequence its intact header states. Otherwise recovery refuses, naming the file.</li>
 *   <li>Logs numbered above the base are replayed in order. Their operations must continue the base's
 *       sequence with no gap and no repeat, checked against each log's header even when a log is empty,
 *       so a missing log is found, never skipped.</li>
 *   <li>A last log that holds no valid frame and starts ahead of the operations before it, numbered right
 *       after the log before it, is the next log made ahead of need ({@code NextLog}) and never used: it is
 *       deleted. The log before it was the one being written.</li>
 *   <li>Only the log being written may end in damage: the last log, or the one before a last log that holds
 *       no frame. Only damage that can be a torn last write (nothing valid after it) is accepted: it is cut
 *       off, forced and reported as a warning when allowed, else refused. Any other damage refuses recovery
 *       with the file and offset.</li>
 *   <li>What recovery read must be on the disk before anything is built on it: the last log's last frame
 *       (its header when it has none), the only write a dead process can have left unsynced, is written again
 *       over itself and forced, and the directory is forced ({@code rewriteLastWrite}). Without this, a
 *       process killed before its force, or whose force failed, leaves a frame in the page cache that the
 *       next process replays and builds on, and a power loss then takes it away from under later logs.</li>
 * </ol>
 *
 * <p>Recovery changes the directory only by deleting {@code .check} leftovers and unused logs, cutting a torn
 * tail and writing the last frame again, all idempotent, so a crash during recovery and a second recovery give
 * the same state. Runs on the thread calling {@code create()}, before any other thread of the database exists,
 * with one helper that reads the logs ahead ({@link LogReadAhead}); the follower runs its read-only replay the
 * same way.
 */
public final class Recovery {
    private static final Logger LOG = LogManager.getLogger(Recovery.class);
    /**
     * Log bytes per record a replay is guessed to create, to size its map: a record of a 16-byte key and a
     * 100-byte value takes 141 to 158 bytes of log, one of a 16-byte value about 60. Fewer records than guessed
     * cost at most 4 bytes of table per record; more cost growth steps, the last of which rehashes them all.
     */
    static final long LOG_BYTES_PER_RECORD = 128;

    private final Storage storage;
    private final DbFiles files;
    private final Limits limits;
    private final boolean allowTornTail;
    /** Only logs numbered below this are read. */
    private final long logBound;
    /** Whether recovery may change the directory (delete .check leftovers, cut a torn tail). */
    private final boolean mayRepair;
    private final List<String> warnings = new ArrayList<>();

    /**
     * What recovery found.
     *
     * @param records          the recovered committed records, unordered (no one else holds this table: the
     *                         engine's store adopts it as its point-read index, so nothing is copied; a hash
     *                         table because replay is mostly random inserts, which a sorted map makes slow)
     * @param sortedKeys       the keys of the same records, ascending, for the store's sorted index
     * @param lastSequence     the sequence of the last recovered operation (0 for a new database)
     * @param checkpoint       the number of the checkpoint used as base, or 0
     * @param checkpointSequence the last sequence that checkpoint covers, or 0
     * @param replayed         operations replayed from logs
     * @param warnings         what was tolerated
     */
    public record Result(RecordTable records, List<String> sortedKeys, long lastSequence,
            long checkpoint,
            long checkpointSequence, long replayed, List<String> warnings) {
    }

    /** Recovery refused: the directory holds damage it must not paper over. The message names file and offset. */
    public static final class RecoveryException extends Exception {
        private static final long serialVersionUID = 1L;

        public RecoveryException(String message) {
            super(message);
        }

        public RecoveryException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Recovery at {@code create()}: every log, repairing what the rules allow. */
    public Recovery(Storage storage, DbFiles files, Limits limits, boolean allowTornTail) {
        this(storage, files, limits, allowTornTail, Long.MAX_VALUE, true);
    }

    private Recovery(Storage storage, DbFiles files, Limits limits, boolean allowTornTail, long logBound, boolean mayRepair) {
        this.storage = storage;
        this.files = files;
        this.limits = limits;
        this.allowTornTail = allowTornTail;
        this.logBound = logBound;
        this.mayRepair = mayRepair;
    }

    /**
     * The follower's replay: the newest checkpoint and the closed logs numbered below {@code openLog},
     * read only. Closed logs were forced whole, so any damage in them is an error here.
     */
    public static Recovery ofClosedLogs(Storage storage, DbFiles files, Limits limits, long openLog) {
        return new Recovery(storage, files, limits, false, openLog, false);
    }

    public Result run() throws RecoveryException {
        try {
            if (mayRepair) {
                deleteLeftoverChecks();
            }
            List<Long> logs = files.numbers(storage, DbFiles.LOG);
            Base base = loadBase(files.numbers(storage, DbFiles.CHECKPOINT), logs);
            Replay replay = new Replay(base.records, base.order, base.sequence);
            List<Long> toReplay = new ArrayList<>();
            for (long log : logs) {
                if (log > base.number && log < logBound) {
                    toReplay.add(log);
                }
            }
            List<Long> continuing = new ArrayList<>();
            int writtenLast = mayRepair && lastHoldsNoFrame(toReplay) ? toReplay.size() - 2 : toReplay.size() - 1;
            try (LogReadAhead reading = new LogReadAhead(storage, files, limits, toReplay)) {
                for (int i = 0; i < toReplay.size(); i++) {
                    long previous = i == 0 ? -1 : toReplay.get(i - 1);
                    if (replayLog(toReplay.get(i), previous, i >= writtenLast, i == toReplay.size() - 1, replay, reading)) {
                        continuing.add(toReplay.get(i));
                    }
                }
            } catch (RecoveryException e) {
                throw base.naming(e);
            }
            base.checkSkippedCovered(replay.sequence, continuing);
            RecordTable records = base.records.trimmed(); // made for more than the logs left: the store keeps it for good
            return new Result(records, base.order.sorted(records), replay.sequence, base.number, base.sequence, replay.operations,
                    Collections.unmodifiableList(warnings));
        } catch (IOException e) {
            throw new RecoveryException("recovery could not read " + files.dir() + ": " + e, e);
        }
    }

    private void deleteLeftoverChecks() throws IOException {
        List<Long> checks = files.numbers(storage, DbFiles.CHECK);
        for (long check : checks) {
            LOG.info("deleting {}: a checkpoint a stop or crash interrupted", files.check(check).getFileName());
            storage.delete(files.check(check));
        }
        if (!checks.isEmpty()) {
            storage.syncDirectory(files.dir());
        }
    }

    /** The base state: the newest checkpoint that loads, with the ones skipped on the way. */
    private final class Base {
        final long number;
        final long sequence;
        final RecordTable records;
        final KeyOrder order;
        /** Newer checkpoints that did not load: number → last sequence from an intact header, or -1. */
        final Map<Long, Long> skipped;
        final Map<Long, String> skippedWhy;

        Base(long number, long sequence, RecordTable records, KeyOrder order,
                Map<Long, Long> skipped, Map<Long, String> skippedWhy) {
            this.number = number;
            this.sequence = sequence;
            this.records = records;
            this.order = order;
            this.skipped = skipped;
            this.skippedWhy = skippedWhy;
        }

        /**
         * A replay that failed after a corrupt checkpoint was skipped most often failed because of it (the log
         * after it does not continue the older state): the error names the checkpoint first, then the log.
         */
        RecoveryException naming(RecoveryException e) {
            if (skipped.isEmpty()) {
                return e;
            }
            long newest = Collections.max(skipped.keySet());
            return new RecoveryException("checkpoint " + files.checkpoint(newest).getFileName() + " is corrupt ("
                    + skippedWhy.get(newest) + "), so recovery fell back to an older state, and then: " + e.getMessage(), e);
        }

        /** A skipped checkpoint is harmless only if the logs replayed reach past everything it covered. */
        void checkSkippedCovered(long replayedTo, List<Long> replayedLogs) throws RecoveryException {
            for (Map.Entry<Long, Long> entry : skipped.entrySet()) {
                long number = entry.getKey();
                boolean logAfterIt = replayedLogs.stream().anyMatch(log -> log > number);
                boolean reachesItsSequence = entry.getValue() >= 0 && replayedTo >= entry.getValue();
                if (!logAfterIt && !reachesItsSequence) {
                    throw new RecoveryException("checkpoint " + files.checkpoint(number).getFileName() + " is corrupt ("
                            + skippedWhy.get(number) + ") and the logs do not hold everything it covered");
                }
                warnings.add("checkpoint " + files.checkpoint(number).getFileName() + " is corrupt ("
                        + skippedWhy.get(number) + "); recovered from an older state and the logs after it");
            }
        }
    }

    private Base loadBase(List<Long> checkpoints, List<Long> logs) throws IOException {
        Map<Long, Long> skipped = new java.util.TreeMap<>();
        Map<Long, String> why = new java.util.TreeMap<>();
        for (int i = checkpoints.size() - 1; i >= 0; i--) {
            long number = checkpoints.get(i);
            CheckpointLoad load = new CheckpointLoad(expectedLogRecords(logs, number));
            try (StorageFile file = storage.open(files.checkpoint(number))) {
                CheckpointInfo info = CheckpointReader.read(file, number, limits, load::expect, load::add);
                return new Base(number, info.lastSequence(), load.records, load.order, skipped, why);
            } catch (IOException e) {
                LOG.warn("checkpoint {} does not load: {}", files.checkpoint(number).getFileName(), e.getMessage());
                skipped.put(number, headerSequence(number));
                why.put(number, e.getMessage());
            }
        }
        long expected = expectedLogRecords(logs, 0);
        return new Base(0, 0, tableFor(expected), new KeyOrder(), skipped, why);
    }

    /**
     * A guess of how many records the logs after checkpoint {@code after} (0: all) will add: their bytes over
     * {@link #LOG_BYTES_PER_RECORD}. The table is made that large up front because growing it step by step took
     * about a fifth of a million-record replay (every step rehashes everything so far); a guess far too large
     * is undone at the end ({@link RecordTable#trimmed}).
     */
    private long expectedLogRecords(List<Long> logs, long after) throws IOException {
        long bytes = 0;
        for (long log : logs) {
            if (log > after && log < logBound) {
                bytes += storage.size(files.log(log));
            }
        }
        return bytes / LOG_BYTES_PER_RECORD;
    }

    /** A table with room for {@code records} before it grows. */
    private static RecordTable tableFor(long records) {
        return new RecordTable(records);
    }


    /** The records of one checkpoint as it is read, in a map sized once from its footer's count and the logs after it. */
    private static final class CheckpointLoad {
        /** Records the logs after the checkpoint are expected to add. */
        final long fromLogs;
        /** Made by {@link #expect}, which the reader calls before the first record, for {@link #sizedFor} records. */
        RecordTable records;
        long sizedFor;
        final KeyOrder order = new KeyOrder();

        CheckpointLoad(long fromLogs) {
            this.fromLogs = fromLogs;
        }

        void expect(long count) {
            sizedFor = count + fromLogs; // the footer's count, never negative
            records = tableFor(sizedFor);
        }

        void add(CheckpointEntry entry) {
            records.put(entry.key(), entry.record());
            order.checkpointKey(entry.key());
        }
    }

    /** The last sequence a corrupt checkpoint's header states, or -1 when the header itself is damaged. */
    private long headerSequence(long number) {
        try (StorageFile file = storage.open(files.checkpoint(number))) {
            return CheckpointReader.headerSequence(file, number);
        } catch (IOException e) {
            return -1;
        }
    }

    /** Applies operations in order, refusing any gap or repeat in their sequence. */
    private final class Replay {
        final RecordTable records;
        final KeyOrder order;
        long sequence;
        long operations;
        String gap;

        Replay(RecordTable records, KeyOrder order, long sequence) {
            this.records = records;
            this.order = order;
            this.sequence = sequence;
        }

        void apply(Operation operation) {
            if (gap != null) {
                return;
            }
            if (operation.sequence() != sequence + 1) {
                gap = "operation " + operation.sequence() + " follows operation " + sequence;
                return;
            }
            List<Change> changes = operation.changes();
            for (int i = 0; i < changes.size(); i++) { // indexed: no iterator per operation on a million-operation replay
                Change change = changes.get(i);
                if (change.isDelete()) {
                    records.remove(change.key());
                } else {
                    if (records.put(change.key(), change.record()) == null) {
                        order.created(change.key());
                    }
                }
            }
            sequence = operation.sequence();
            operations++;
        }
    }

    /**
     * Whether the last of {@code logs} has no valid frame right after its header (or no whole header): a log
     * made ahead and never used, or one that was about to be used. Only then may the log before it have been
     * the one being written when the process died. Reads one frame at most.
     */
    private boolean lastHoldsNoFrame(List<Long> logs) throws IOException {
        if (logs.size() < 2) {
            return false;
        }
        try (StorageFile file = storage.open(files.log(logs.get(logs.size() - 1)))) {
            return LogReader.holdsNoFrame(file, limits);
        }
    }

    /**
     * Replays one log. Returns true when its header was read and its first sequence continued the replay:
     * only such a log proves that everything before it is accounted for.
     *
     * @param previous the log replayed before it, or -1
     * @param written  whether it may have been the log being written: the last, or the one before an unused last
     */
    private boolean replayLog(long number, long previous, boolean written, boolean last, Replay replay, LogReadAhead logs)
            throws IOException, RecoveryException {
        String name = files.log(number).getFileName().toString();
        long expectedFirst = replay.sequence + 1;
        LogReader.Scan scan = logs.next(replay::apply);
        if (last && mayRepair && madeAheadAndUnused(scan, number, previous, expectedFirst)) {
            deleteUnusedLog(number, name, scan.firstSequence(), expectedFirst);
            return false;
        }
        if (scan.firstSequence() >= 0 && scan.firstSequence() != expectedFirst) {
            throw new RecoveryException("log " + name + " starts at operation " + scan.firstSequence()
                    + " but operation " + expectedFirst + " was expected: a log is missing before it");
        }
        if (replay.gap != null) {
            throw new RecoveryException("log " + name + ": " + replay.gap + "; operations are missing");
        }
        if (!scan.clean() && (!written || !scan.tornTailOnly() || !mayRepair)) {
            throw new RecoveryException("log " + name + " is corrupt at byte " + scan.validEnd() + ": " + scan.damage());
        }
        if (written && mayRepair) {
            repairLastLog(number, name, scan);
        }
        return scan.firstSequence() >= 0;
    }

    /**
     * A log with a whole header and no valid frame (zeros after it, or what a crash left of zeros being
     * written), numbered right after the log before it, whose first sequence runs ahead of the operations
     * replayed: the batcher made it while that log filled and never wrote to it. A log it had started to write
     * would begin at the expected operation.
     */
    private static boolean madeAheadAndUnused(LogReader.Scan scan, long number, long previous, long expectedFirst) {
        return previous >= 0 && number == previous + 1 && holdsNothingAndRunsAhead(scan, expectedFirst);
    }

    /**
     * The rule for a last log made ahead and never used, given how it scanned and the first operation the logs
     * before it leave to come: no valid frame, nothing but a torn write after its whole header, and a first
     * sequence past {@code expectedFirst}. (It must also be numbered right after the log before it.) The tools
     * apply the same rule.
     */
    public static boolean holdsNothingAndRunsAhead(LogReader.Scan scan, long expectedFirst) {
        return scan.lastFrame() < 0 && (scan.clean() || scan.tornTailOnly()) && scan.firstSequence() > expectedFirst;
    }

    /** Deletes, durably, a log made ahead and never used: it holds nothing. */
    private void deleteUnusedLog(long number, String name, long firstSequence, long expectedFirst) throws IOException {
        storage.delete(files.log(number));
        storage.syncDirectory(files.dir());
        LOG.info("deleted {}: made ahead to start at operation {}, never used (the logs end at operation {})", name,
                firstSequence, expectedFirst - 1);
    }

    /** Cuts a torn tail off the log being written (when allowed), then makes its last write durable. */
    private void repairLastLog(long number, String name, LogReader.Scan scan) throws RecoveryException {
        if (!scan.clean()) {
            if (!allowTornTail) {
                throw new RecoveryException("last log " + name + " ends in a torn record at byte " + scan.validEnd() + " ("
                        + scan.damage() + ") and allowStartupErrLoadLogs is false");
            }
            try (StorageFile file = storage.open(files.log(number))) {
                cutTornTail(file, name, scan);
            } catch (IOException e) {
                throw new RecoveryException("last log " + name + " ends in a torn record at byte " + scan.validEnd()
                        + " and cutting it off failed (the next open tries again): " + e.getMessage(), e);
            }
        }
        if (scan.validEnd() < LogFormat.HEADER_BYTES || Mutation.active() == Mutation.SKIP_LAST_FRAME_REWRITE) { // R17 hook
            return; // no header: the cut deleted the log
        }
        try (StorageFile file = storage.open(files.log(number))) {
            rewriteLastWrite(file, scan);
        } catch (IOException e) {
            throw new RecoveryException("last log " + name + ": making its last frame durable again failed (the next"
                    + " open tries again): " + e.getMessage(), e);
        }
    }

    /**
     * Writes the last log's last frame (its header when it has none) again, over itself, then forces the log and
     * the directory. A process killed between writing a frame and forcing it leaves the frame in the page cache,
     * where the next process reads it; a process whose force failed leaves it there too, in pages Linux has
     * marked clean (fsyncgate), which no later force writes. Replayed and built on by new changes, such a frame
     * would vanish at the next power loss and leave a gap before the next log that no recovery accepts. Only the
     * last write can be in that state: nothing is written to a log after its force fails, and every earlier frame
     * was forced before the next one was written. Written again, the bytes are dirty, so this force carries them
     * to the disk, or fails and recovery refuses. The directory is forced too: the dead process may not have
     * synced the entry of a log it had just made.
     */
    private void rewriteLastWrite(StorageFile file, LogReader.Scan scan) throws IOException {
        long from = scan.lastFrame() >= 0 ? scan.lastFrame() : 0;
        ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(scan.validEnd() - from));
        if (file.readFully(bytes, from) < bytes.capacity()) {
            throw new EOFException("the log ended before byte " + scan.validEnd() + " while it was read again");
        }
        file.write(bytes.flip(), from);
        file.force();
        storage.syncDirectory(files.dir());
    }

    /** Cuts the torn tail (or deletes a log whose header never became durable), durably, and warns. */
    private void cutTornTail(StorageFile file, String name, LogReader.Scan scan) throws IOException {
        String warning = "last log " + name + " cut at byte " + scan.validEnd() + " of " + scan.size() + ": torn record ("
                + scan.damage() + ")";
        if (scan.validEnd() < LogFormat.HEADER_BYTES) {
            file.close();
            storage.delete(files.dir().resolve(name));
            storage.syncDirectory(files.dir());
            warning = "last log " + name + " deleted: its header never became durable (" + scan.damage() + ")";
        } else {
            file.truncate(scan.validEnd());
            file.force();
        }
        LOG.warn(warning);
        warnings.add(warning);
    }
}
