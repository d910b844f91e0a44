package io.coffer.tool;

import io.coffer.FilesReport;
import io.coffer.internal.checkpoint.CheckpointInfo;
import io.coffer.internal.checkpoint.CheckpointReader;
import io.coffer.internal.checkpoint.CorruptCheckpointException;
import io.coffer.internal.files.DbFiles;
import io.coffer.internal.files.Limits;
import io.coffer.internal.io.StorageFile;
import io.coffer.internal.recovery.Recovery;
import io.coffer.internal.wal.LogFormat;
import io.coffer.internal.wal.LogReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code verify DIR}: checks every CRC of every log and checkpoint with the engine's own readers, and the
 * sequence of operations across the files by the rules recovery applies, without opening the database
 * and without holding anything in memory but one frame at a time.
 *
 * <ul>
 *   <li>Every checkpoint is read whole ({@link CheckpointReader}); any damage is corruption. The base is
 *       the newest one that validates, as in recovery.</li>
 *   <li>Every log is read whole ({@link io.coffer.internal.wal.LogReader}). Only the log being written may
 *       end in damage that can be a torn last write: the highest-numbered log, or the one before it when that
 *       one holds no valid frame. That is a torn tail, which opening cuts off when {@code allowStartupErrLoadLogs} is
 *       true. Any other damage is corruption.</li>
 *   <li>A highest-numbered log that holds no valid frame and starts past where the log before it ends was made
 *       ahead of need and never used: noted; opening deletes it.</li>
 *   <li>Inside every log, operations must be numbered on from the header's first sequence with no gap.</li>
 *   <li>The logs after the base must continue its last sequence with no gap, each starting where the one
 *       before it ended, as recovery requires; a gap means a log is missing. Gaps among older logs that
 *       the base covers are reported as notes: recovery never reads those logs.</li>
 *   <li>A damaged checkpoint newer than the base is corruption; as in recovery, opening still succeeds
 *       when the logs hold everything it covered, which is noted, or refuses, which is a second problem.</li>
 *   <li>{@code .check} files are unfinished checkpoints: never read, deleted when the database opens. Noted.</li>
 * </ul>
 */
final class Verify {
    private enum Verdict { OK, NOTE, TORN, CORRUPT }

    private record Finding(Verdict verdict, String text) {
    }

    private final Limits limits;
    private final PrintStream out;
    private final ReadOnlyStorage storage = new ReadOnlyStorage();
    /** File name → findings, in listing order. */
    private final Map<String, List<Finding>> findings = new LinkedHashMap<>();

    Verify(Limits limits, PrintStream out) {
        this.limits = limits;
        this.out = out;
    }

    /** A checkpoint as read: its info, or (when it did not load) the last sequence its intact header states, or -1. */
    private record CheckpointState(CheckpointInfo info, long headerSequence) {
    }

    int verify(Path dir) throws IOException {
        DbFiles files = new DbFiles(dir);
        List<FilesReport.Entry> entries = CofferTool.listing(dir);
        List<Long> logs = new ArrayList<>();
        TreeMap<Long, CheckpointState> checkpoints = new TreeMap<>();
        for (FilesReport.Entry entry : entries) {
            findings.put(entry.name(), new ArrayList<>());
            switch (entry.kind()) {
                case LOG -> logs.add(entry.number());
                case CHECKPOINT -> checkpoints.put(entry.number(), readCheckpoint(files.checkpoint(entry.number()), entry));
                case CHECK -> add(entry.name(), Verdict.NOTE, "an unfinished checkpoint (a stop or crash interrupted it): "
                        + "never read; opening the database deletes it");
            }
        }
        long baseNumber = 0;
        long baseSequence = 0;
        for (Map.Entry<Long, CheckpointState> checkpoint : checkpoints.descendingMap().entrySet()) {
            if (checkpoint.getValue().info != null) {
                baseNumber = checkpoint.getKey();
                baseSequence = checkpoint.getValue().info.lastSequence();
                break;
            }
        }

        Chain chain = new Chain(baseSequence);
        long lastLog = logs.isEmpty() ? -1 : logs.get(logs.size() - 1);
        boolean lastHoldsNoFrame = logs.size() >= 2 && holdsNoFrame(files.log(lastLog));
        long writtenLog = lastHoldsNoFrame ? logs.get(logs.size() - 2) : lastLog;
        List<Long> replayed = new ArrayList<>();
        for (long log : logs) {
            boolean covered = log <= baseNumber;
            boolean maybeAhead = log == lastLog && lastHoldsNoFrame && writtenLog == log - 1;
            boolean headerRead = verifyLog(files.log(log), log, log >= writtenLog, maybeAhead, covered, baseNumber, chain);
            if (!covered && headerRead) { // as recovery counts it: only a log with its header proves what came before
                replayed.add(log);
            }
        }
        checkSkippedCheckpoints(files, checkpoints, baseNumber, replayed, chain.replayedTo);
        return report(entries.size());
    }

    private CheckpointState readCheckpoint(Path path, FilesReport.Entry entry) throws IOException {
        try (StorageFile file = storage.open(path)) {
            CheckpointInfo info = CheckpointReader.read(file, entry.number(), limits, record -> { });
            add(entry.name(), Verdict.OK, Status.plural(info.recordCount(), "record") + ", covers operations 1.."
                    + info.lastSequence() + ", " + info.bytes() + " bytes");
            return new CheckpointState(info, -1);
        } catch (CorruptCheckpointException e) {
            add(entry.name(), Verdict.CORRUPT, "offset " + e.offset() + ": " + e.problem());
            return new CheckpointState(null, headerSequence(path, entry.number()));
        }
    }

    /** The last sequence a damaged checkpoint's intact header states, or -1 (as recovery reads it). */
    private long headerSequence(Path path, long number) throws IOException {
        try (StorageFile file = storage.open(path)) {
            return CheckpointReader.headerSequence(file, number);
        }
    }

    /** Where the sequence of operations stands as the logs are read in order. */
    private static final class Chain {
        /** The sequence the next log after the base must start with, or -1 when unknown (after damage). */
        long expectReplayed;
        /** The same for the covered logs, which only earn notes; -1 when unknown. */
        long expectCovered = -1;
        /** The last sequence replay would reach, for the skipped-checkpoint rule. */
        long replayedTo;

        Chain(long baseSequence) {
            this.expectReplayed = baseSequence + 1;
            this.replayedTo = baseSequence;
        }
    }

    /** Whether no valid frame starts right after the header of the log at {@code path} (as recovery decides it). */
    private boolean holdsNoFrame(Path path) throws IOException {
        try (StorageFile file = storage.open(path)) {
            return LogReader.holdsNoFrame(file, limits);
        }
    }

    /**
     * Verifies one log; returns whether its header was read.
     *
     * @param last       whether it may be the log being written (may end in a torn write)
     * @param maybeAhead whether it is the last log, without frames, right after the log being written
     */
    private boolean verifyLog(Path path, long number, boolean last, boolean maybeAhead, boolean covered, long baseNumber,
            Chain chain) throws IOException {
        String name = path.getFileName().toString();
        long[] gap = {-1};
        String[] gapText = {null};
        LogWalk.Result result;
        try (StorageFile file = storage.open(path)) {
            LogWalk.Header header = LogWalk.header(file, number);
            long[] next = {header.valid() ? header.firstSequence() : -1};
            result = LogWalk.walk(file, number, limits, (position, operation) -> {
                if (gap[0] < 0 && next[0] >= 0 && operation.sequence() != next[0]) {
                    gap[0] = position;
                    gapText[0] = "operation " + operation.sequence() + " where operation " + next[0]
                            + " was expected: operations are missing or repeated";
                }
                next[0] = operation.sequence() + 1;
            });
        }
        LogWalk.Header header = result.header();
        long operations = result.scan().operations();

        if (header.valid()) {
            long first = header.firstSequence();
            long expected = covered ? chain.expectCovered : chain.expectReplayed;
            boolean unused = maybeAhead && !covered && expected >= 0 && Recovery.holdsNothingAndRunsAhead(result.scan(), expected);
            if (unused) {
                add(name, Verdict.NOTE, "made ahead to start at operation " + first + " and never used (the logs before"
                        + " it end at operation " + (expected - 1) + "): opening deletes it");
                return false;
            }
            if (expected >= 0 && first != expected) {
                if (covered) {
                    add(name, Verdict.NOTE, "starts at operation " + first + " but the log before it ended at operation "
                            + (expected - 1) + "; checkpoint " + DbFiles.name(baseNumber, DbFiles.CHECKPOINT)
                            + " covers this log, so recovery does not read it");
                } else {
                    add(name, Verdict.CORRUPT, "offset 0: starts at operation " + first + " but operation " + expected
                            + " was expected: a log is missing before it");
                }
            }
        }
        if (gap[0] >= 0) {
            add(name, Verdict.CORRUPT, "offset " + gap[0] + ": " + gapText[0]);
        }
        if (!result.scan().clean()) {
            long at = result.scan().validEnd();
            if (last && result.scan().tornTailOnly()) {
                add(name, Verdict.TORN, "offset " + at + " of " + result.scan().size() + ": " + result.scan().damage() + "; "
                        + (at < LogFormat.HEADER_BYTES ? "opening deletes this log: its header never became durable"
                                : "opening cuts the log to " + at + " bytes")
                        + " (when allowStartupErrLoadLogs is true)");
            } else {
                add(name, Verdict.CORRUPT, "offset " + at + ": " + result.scan().damage()
                        + (last ? "" : " (only the last log may end in a torn write)"));
            }
        }

        boolean intact = header.valid() && gap[0] < 0 && (result.scan().clean() || last);
        long end = header.valid() ? header.firstSequence() + operations : -1;
        List<Finding> mine = findingsOf(name);
        if (mine.stream().allMatch(f -> f.verdict == Verdict.NOTE)) {
            mine.add(0, new Finding(Verdict.OK, describe(header, operations, result)));
        }
        if (covered) {
            chain.expectCovered = intact ? end : -1;
        } else {
            chain.expectReplayed = intact ? end : -1;
            if (intact) {
                chain.replayedTo = end - 1;
            }
        }
        return header.valid();
    }

    private static String describe(LogWalk.Header header, long operations, LogWalk.Result result) {
        String range = operations == 0 ? "no operations (next is " + header.firstSequence() + ")"
                : operations + (operations == 1 ? " operation" : " operations") + " (" + header.firstSequence() + ".."
                        + (header.firstSequence() + operations - 1) + ") in " + result.frames()
                        + (result.frames() == 1 ? " frame" : " frames");
        long zeros = result.scan().size() - result.scan().validEnd();
        return range + ", " + result.scan().validEnd() + " bytes" + (zeros > 0 ? " + " + zeros + " preallocated (zeros)" : "");
    }

    /** Recovery's rule for a damaged checkpoint newer than the base: harmless only if the logs hold what it covered. */
    private void checkSkippedCheckpoints(DbFiles files, TreeMap<Long, CheckpointState> checkpoints, long baseNumber,
            List<Long> replayed, long replayedTo) {
        for (Map.Entry<Long, CheckpointState> checkpoint : checkpoints.tailMap(baseNumber, false).entrySet()) {
            CheckpointState state = checkpoint.getValue();
            if (state.info != null) {
                continue;
            }
            long number = checkpoint.getKey();
            String name = files.checkpoint(number).getFileName().toString();
            boolean logAfterIt = replayed.stream().anyMatch(log -> log > number);
            boolean reachesItsSequence = state.headerSequence >= 0 && replayedTo >= state.headerSequence;
            String base = baseNumber == 0 ? "an empty database" : DbFiles.name(baseNumber, DbFiles.CHECKPOINT);
            if (logAfterIt || reachesItsSequence) {
                add(name, Verdict.NOTE, "opening skips it and recovers from " + base + " and the logs after it");
            } else {
                add(name, Verdict.CORRUPT, "the logs do not hold everything it covered: opening refuses");
            }
        }
    }

    private List<Finding> findingsOf(String name) {
        return findings.computeIfAbsent(name, n -> new ArrayList<>());
    }

    private void add(String name, Verdict verdict, String text) {
        findingsOf(name).add(new Finding(verdict, text));
    }

    private int report(int fileCount) {
        int problems = 0;
        boolean torn = false;
        for (Map.Entry<String, List<Finding>> file : findings.entrySet()) {
            for (Finding finding : file.getValue()) {
                out.printf("%-21s  %-7s  %s%n", file.getKey(), finding.verdict == Verdict.OK ? "ok" : finding.verdict.name(),
                        finding.text);
                problems += finding.verdict == Verdict.CORRUPT ? 1 : 0;
                torn |= finding.verdict == Verdict.TORN;
            }
        }
        String checked = fileCount + (fileCount == 1 ? " file" : " files") + " checked: ";
        if (problems > 0) {
            out.println(checked + "CORRUPT (" + problems + (problems == 1 ? " problem" : " problems")
                    + (torn ? ", and a torn tail" : "") + ")");
            return CofferTool.EXIT_CORRUPT;
        }
        if (torn) {
            out.println(checked + "torn tail only");
            return CofferTool.EXIT_TORN;
        }
        out.println(checked + "clean");
        return CofferTool.EXIT_OK;
    }
}
