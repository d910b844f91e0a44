package io.coffer;

import io.coffer.internal.files.DbFiles;
import io.coffer.reports.Code;
import io.coffer.reports.Report;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The answer to {@link Db#files()}: the logs, checkpoints and unfinished checkpoints in the database
 * directory, sorted by number and then by kind, with their sizes. OK in every state but CLOSED, which
 * answers PANIC_STOPPED; ERROR (with an empty list) when the directory cannot be read.
 *
 * <p>The directory is read without stopping anything, so while the database runs the last log may grow
 * and the follower may add or remove files a moment later. While it runs, the log after the one being written
 * is usually there too: made ahead of need (header and preallocated zeros, durable), it holds no operation
 * until the batcher moves on to it; a stop deletes it, and so does opening after a crash.
 */
public final class FilesReport extends Report {
    /** What a file is, named by its extension. The order of the constants is the order within one number. */
    public enum Kind {
        /** {@code NNNNNNNNNN.log}: a log of operations. */
        LOG(DbFiles.LOG),
        /** {@code NNNNNNNNNN.checkpoint}: a complete checkpoint, covering every log numbered up to its own number. */
        CHECKPOINT(DbFiles.CHECKPOINT),
        /** {@code NNNNNNNNNN.check}: a checkpoint being written, or one a crash interrupted (never read). */
        CHECK(DbFiles.CHECK);

        private final String extension;

        Kind(String extension) {
            this.extension = extension;
        }

        /** The file name's extension, with its dot. */
        public String extension() {
            return extension;
        }
    }

    /**
     * One file.
     *
     * @param name   the file's name in the directory, such as {@code 1000000001.log}
     * @param kind   what the file is
     * @param number the ten-digit number of its name
     * @param size   its size in bytes
     */
    public record Entry(String name, Kind kind, long number, long size) {
        /** By number, then by kind. */
        public static final Comparator<Entry> ORDER = Comparator.comparingLong(Entry::number).thenComparing(Entry::kind);

        public Entry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
        }
    }

    private final List<Entry> entries;

    private FilesReport(Code code, String error, List<Entry> entries) {
        super(code, error);
        this.entries = entries;
    }

    static FilesReport listed(List<Entry> unsorted) {
        List<Entry> sorted = new ArrayList<>(unsorted);
        sorted.sort(Entry.ORDER);
        return new FilesReport(Code.OK, null, List.copyOf(sorted));
    }

    static FilesReport failed(Code code, String error) {
        return new FilesReport(code, error, List.of());
    }

    /** The files, sorted by number and then by kind; empty unless OK. */
    public List<Entry> entries() {
        return entries;
    }

    /** The sum of the sizes of {@link #entries()}. */
    public long totalSize() {
        long total = 0;
        for (Entry entry : entries) {
            total += entry.size();
        }
        return total;
    }

    @Override
    public String toString() {
        return isCodeOk() ? "Files" + entries : super.toString();
    }
}
