package io.coffer.tool;

import io.coffer.FilesReport;
import io.coffer.internal.files.DbFiles;
import io.coffer.internal.files.Limits;
import io.coffer.internal.io.StorageFile;
import io.coffer.internal.recovery.Recovery;
import io.coffer.internal.wal.LogFormat;
import io.coffer.internal.wal.LogReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code status DIR}: what opening the directory would recover, found by running the engine's own
 * {@link Recovery} in its read-only mode (the one the follower uses: it neither deletes {@code .check}
 * leftovers nor cuts a torn tail) on a {@link ReadOnlyStorage}, so the rules are exactly recovery's and
 * nothing can be written.
 *
 * <p>The one repair recovery makes to data is cutting a torn tail off the last log (deleting {@code .check}
 * leftovers touches no data). When the read-only pass refuses and the last log ends in a torn tail,
 * the pass runs again on a view of the directory in which that log ends where recovery would cut it, so
 * the figures are what opening with {@code allowStartupErrLoadLogs} (the default) would give. A log made
 * ahead and never used (recovery deletes it, and the log before it is the one that may end torn) is left out
 * of the view from the start.
 *
 * <p>Like opening the database, this holds every record in memory.
 */
final class Status {
    private static final String FORMAT = "%-18s %s%n";

    private final Limits limits;
    private final PrintStream out;

    Status(Limits limits, PrintStream out) {
        this.limits = limits;
        this.out = out;
    }

    int status(Path dir, LockProbe.Result lock, List<FilesReport.Entry> entries) throws IOException {
        DbFiles files = new DbFiles(dir);
        line("directory", dir.toString());
        line("lock", (lock.state() == LockProbe.State.UNKNOWN ? "unknown: " : "") + lock.detail());
        line("files", describe(entries));

        ReadOnlyStorage storage = new ReadOnlyStorage();
        List<Long> logs = logNumbers(entries);
        Path unused = unusedLogMadeAhead(storage, files, logs);
        if (unused != null) {
            storage = storage.cut(unused, -1);
            logs = logs.subList(0, logs.size() - 1);
        }
        Recovery.Result result;
        String repair = null;
        try {
            result = Recovery.ofClosedLogs(storage, files, limits, Long.MAX_VALUE).run();
        } catch (Recovery.RecoveryException refused) {
            Torn torn = tornLastLog(storage, files, logs);
            if (torn == null) {
                line("recovery", "refuses: " + refused.getMessage());
                return CofferTool.EXIT_CORRUPT;
            }
            try {
                result = Recovery.ofClosedLogs(storage.cut(torn.path, torn.scan.validEnd() < LogFormat.HEADER_BYTES ? -1
                        : torn.scan.validEnd()), files, limits, Long.MAX_VALUE).run();
            } catch (Recovery.RecoveryException again) {
                line("recovery", "refuses: " + again.getMessage());
                return CofferTool.EXIT_CORRUPT;
            }
            String name = torn.path.getFileName().toString();
            repair = torn.scan.validEnd() < LogFormat.HEADER_BYTES
                    ? "opening deletes the last log " + name + ": its header never became durable ("
                            + torn.scan.damage() + ")"
                    : "opening cuts the last log " + name + " at byte " + torn.scan.validEnd() + " of " + torn.scan.size()
                            + ": torn record (" + torn.scan.damage() + ")";
        }

        line("newest checkpoint", result.checkpoint() == 0 ? "none"
                : DbFiles.name(result.checkpoint(), DbFiles.CHECKPOINT) + " (covers operations 1.."
                        + result.checkpointSequence() + ")");
        line("last sequence", Long.toString(result.lastSequence()));
        line("records", Long.toString(result.records().size()));
        line("replayed", result.replayed() + (result.replayed() == 1 ? " operation" : " operations") + " from logs"
                + (result.checkpoint() == 0 ? "" : " after the checkpoint"));
        for (String warning : result.warnings()) {
            line("warning", warning);
        }
        if (unused != null) {
            line("note", "opening deletes " + unused.getFileName() + ": made ahead of need and never used (no operation)");
        }
        long checks = entries.stream().filter(e -> e.kind() == FilesReport.Kind.CHECK).count();
        if (checks > 0) {
            line("note", "opening deletes " + checks + " unfinished checkpoint" + (checks == 1 ? "" : "s") + " (.check)");
        }
        if (repair != null) {
            line("repair", repair);
            line("recovery", "torn tail: the figures above are after that repair, which opening makes when "
                    + "allowStartupErrLoadLogs is true (the default); with false, opening refuses");
            return CofferTool.EXIT_TORN;
        }
        line("recovery", "clean: opening recovers this without repairs");
        return CofferTool.EXIT_OK;
    }

    private record Torn(Path path, LogReader.Scan scan) {
    }

    private static List<Long> logNumbers(List<FilesReport.Entry> entries) {
        return entries.stream().filter(e -> e.kind() == FilesReport.Kind.LOG).map(FilesReport.Entry::number).sorted().toList();
    }

    /**
     * The last log, if it is one the batcher made ahead and never used, as recovery tells it: no valid frame,
     * numbered right after the log before it, starting past where that log ends. Else null.
     */
    private Path unusedLogMadeAhead(ReadOnlyStorage storage, DbFiles files, List<Long> logs) throws IOException {
        if (logs.size() < 2 || logs.get(logs.size() - 2) != logs.get(logs.size() - 1) - 1) {
            return null;
        }
        long last = logs.get(logs.size() - 1);
        LogReader.Scan ahead;
        LogReader.Scan before;
        try (StorageFile file = storage.open(files.log(last)); StorageFile previous = storage.open(files.log(last - 1))) {
            if (!LogReader.holdsNoFrame(file, limits)) {
                return null;
            }
            ahead = LogReader.read(file, last, limits, operation -> { });
            before = LogReader.read(previous, last - 1, limits, operation -> { });
        }
        boolean unused = before.firstSequence() >= 0
                && Recovery.holdsNothingAndRunsAhead(ahead, before.firstSequence() + before.operations());
        return unused ? files.log(last) : null;
    }

    /** The last log, if it ends in damage that can be a torn write; else null. */
    private Torn tornLastLog(ReadOnlyStorage storage, DbFiles files, List<Long> logs) throws IOException {
        if (logs.isEmpty()) {
            return null;
        }
        long last = logs.get(logs.size() - 1);
        Path path = files.log(last);
        try (StorageFile file = storage.open(path)) {
            LogReader.Scan scan = LogReader.read(file, last, limits, operation -> { });
            return !scan.clean() && scan.tornTailOnly() ? new Torn(path, scan) : null;
        }
    }

    private void line(String label, String value) {
        out.printf(FORMAT, label, value);
    }

    static String describe(List<FilesReport.Entry> entries) {
        long logs = 0;
        long checkpoints = 0;
        long checks = 0;
        long bytes = 0;
        for (FilesReport.Entry entry : entries) {
            switch (entry.kind()) {
                case LOG -> logs++;
                case CHECKPOINT -> checkpoints++;
                case CHECK -> checks++;
            }
            bytes += entry.size();
        }
        return plural(logs, "log") + ", " + plural(checkpoints, "checkpoint")
                + (checks == 0 ? "" : ", " + plural(checks, "unfinished checkpoint")) + " (" + bytes + " bytes)";
    }

    static String plural(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}
