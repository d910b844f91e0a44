package io.coffer.internal.files;

import io.coffer.internal.io.Storage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Owns the names of the files in a database directory and their order.
 *
 * <pre>
 *   NNNNNNNNNN.log          a log of operations          (10 decimal digits, first 1000000001)
 *   NNNNNNNNNN.check        a checkpoint being written   (never read; deleted at recovery)
 *   NNNNNNNNNN.checkpoint   a complete checkpoint        (covers every log numbered &lt;= NNNNNNNNNN)
 *   coffer.lock             the directory lock
 * </pre>
 *
 * <p>Numbers are shared by all kinds and only grow: a new file takes one more than the largest number
 * in the directory. A checkpoint written by the follower takes the number of the last log it covers,
 * so {@code N.log} and {@code N.checkpoint} may both exist; the checkpoint then covers that log.
 */
public final class DbFiles {
    /** The number before the first file of a new directory. */
    public static final long BASE_NUMBER = 1_000_000_000L;
    public static final String LOG = ".log";
    public static final String CHECK = ".check";
    public static final String CHECKPOINT = ".checkpoint";
    public static final String LOCK_NAME = "coffer.lock";

    private final Path dir;

    public DbFiles(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public Path log(long number) {
        return dir.resolve(name(number, LOG));
    }

    public Path check(long number) {
        return dir.resolve(name(number, CHECK));
    }

    public Path checkpoint(long number) {
        return dir.resolve(name(number, CHECKPOINT));
    }

    public Path lock() {
        return dir.resolve(LOCK_NAME);
    }

    /**
     * The file name of {@code number}: ten digits, zero-padded, then {@code extension}. Not {@code String.format}:
     * the batcher calls this at every new log.
     */
    public static String name(long number, String extension) {
        String digits = Long.toString(number);
        return "0".repeat(Math.max(0, 10 - digits.length())) + digits + extension;
    }

    /** The numbers of the files with that extension, ascending. */
    public List<Long> numbers(Storage storage, String extension) throws IOException {
        List<Long> numbers = new ArrayList<>();
        for (String name : storage.list(dir)) {
            parse(name, extension).ifPresent(numbers::add);
        }
        Collections.sort(numbers);
        return numbers;
    }

    /** One more than the largest number of any log, check or checkpoint file (at least {@link #BASE_NUMBER} + 1). */
    public long nextNumber(Storage storage) throws IOException {
        long max = BASE_NUMBER;
        for (String name : storage.list(dir)) {
            for (String extension : List.of(LOG, CHECK, CHECKPOINT)) {
                Optional<Long> number = parse(name, extension);
                if (number.isPresent()) {
                    max = Math.max(max, number.get());
                }
            }
        }
        return max + 1;
    }

    /** The number of {@code name} if it is exactly ten digits followed by {@code extension}. */
    public static Optional<Long> parse(String name, String extension) {
        if (name.length() != 10 + extension.length() || !name.endsWith(extension)) {
            return Optional.empty();
        }
        for (int i = 0; i < 10; i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return Optional.empty();
            }
        }
        return Optional.of(Long.parseLong(name.substring(0, 10)));
    }
}
