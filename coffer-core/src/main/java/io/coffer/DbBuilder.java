package io.coffer;

import io.coffer.internal.engine.Config;
import io.coffer.internal.engine.Engine;
import io.coffer.internal.files.Limits;
import io.coffer.internal.io.NioStorage;
import io.coffer.internal.io.Storage;
import io.coffer.internal.resources.ResourceSampler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Configures a database; {@link #create()} ends the chain. Setters never throw: every option is checked
 * in {@code create()}, which answers an ERROR report naming the first invalid option.
 *
 * <p>Defaults follow the Go original except where a benchmark showed a better one (see each constant).
 * Not thread-safe: configure from one thread.
 */
public final class DbBuilder {
    /** Most operations in one write + sync. */
    public static final int DEFAULT_BATCH_SIZE = 1000;
    /** Operations per log file before a new one starts. */
    public static final int DEFAULT_LIMIT_RECORDS_PER_LOGFILE = 1000;
    /** How often the follower looks for closed logs to checkpoint. */
    public static final Duration DEFAULT_FOLLOW_PAUSE = Duration.ofSeconds(60);
    /** Closed logs that make the follower write a checkpoint. */
    public static final int DEFAULT_LOGS_BY_CHECKPOINT = 10;
    public static final int DEFAULT_MAX_KEY_LENGTH = 100;
    public static final int DEFAULT_MAX_VALUE_LENGTH = 10_000;
    public static final int DEFAULT_MAX_RECS_PER_OPERATION = 1000;
    /** 100 MiB. */
    public static final long DEFAULT_LIMIT_MEMORY = 100L << 20;
    /** 1000 MiB. */
    public static final long DEFAULT_LIMIT_DISK = 1000L << 20;
    /** How often the resource watcher samples free memory and disk. */
    public static final Duration DEFAULT_RESOURCE_PERIOD = Duration.ofMillis(250);
    /** The largest key length the log format can carry (an unsigned 16-bit length). */
    public static final int MAX_KEY_LENGTH_LIMIT = 0xFFFF;

    private final Object dir;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private int limitRecordsPerLogfile = DEFAULT_LIMIT_RECORDS_PER_LOGFILE;
    private Duration followPause = DEFAULT_FOLLOW_PAUSE;
    private int logsByCheckpoint = DEFAULT_LOGS_BY_CHECKPOINT;
    private boolean allowStartupErrLoadLogs = true;
    private int maxKeyLength = DEFAULT_MAX_KEY_LENGTH;
    private int maxValueLength = DEFAULT_MAX_VALUE_LENGTH;
    private int maxRecsPerOperation = DEFAULT_MAX_RECS_PER_OPERATION;
    private boolean removeUnlessLogs = true;
    private long limitMemory = DEFAULT_LIMIT_MEMORY;
    private long limitDisk = DEFAULT_LIMIT_DISK;
    private final Map<String, Handler> handlers = new LinkedHashMap<>();
    private String invalidHandler;
    private Storage storage = new NioStorage();
    private ResourceSampler sampler;
    private Duration resourcePeriod = DEFAULT_RESOURCE_PERIOD;
    private boolean makeLogsInline;

    DbBuilder(Object dir) {
        this.dir = dir;
    }

    public DbBuilder batchSize(int operations) {
        this.batchSize = operations;
        return this;
    }

    public DbBuilder limitRecordsPerLogfile(int operations) {
        this.limitRecordsPerLogfile = operations;
        return this;
    }

    public DbBuilder followPause(Duration pause) {
        this.followPause = pause;
        return this;
    }

    public DbBuilder logsByCheckpoint(int logs) {
        this.logsByCheckpoint = logs;
        return this;
    }

    /** Open even when the last log ends in a torn record (cut off, with a warning); false refuses to open. */
    public DbBuilder allowStartupErrLoadLogs(boolean allow) {
        this.allowStartupErrLoadLogs = allow;
        return this;
    }

    /** Most UTF-8 bytes in a key (inclusive), at most {@link #MAX_KEY_LENGTH_LIMIT}. */
    public DbBuilder maxKeyLength(int bytes) {
        this.maxKeyLength = bytes;
        return this;
    }

    /** Most bytes in a value (inclusive). */
    public DbBuilder maxValueLength(int bytes) {
        this.maxValueLength = bytes;
        return this;
    }

    public DbBuilder maxRecsPerOperation(int records) {
        this.maxRecsPerOperation = records;
        return this;
    }

    /** Delete logs and checkpoints that a newer checkpoint covers (true), or keep them all. */
    public DbBuilder removeUnlessLogs(boolean remove) {
        this.removeUnlessLogs = remove;
        return this;
    }

    /** Minimum free memory in bytes (0 disables the check); below it changes get ERR_RESOURCES. */
    public DbBuilder limitMemory(long bytes) {
        this.limitMemory = bytes;
        return this;
    }

    /** Minimum free disk in the directory in bytes (0 disables the check); below it changes get ERR_RESOURCES. */
    public DbBuilder limitDisk(long bytes) {
        this.limitDisk = bytes;
        return this;
    }

    /** Registers {@code handler} as {@code name}; a later one with the same name replaces it. */
    public DbBuilder handler(String name, Handler handler) {
        if (name == null || handler == null) {
            invalidHandler = invalidHandler != null ? invalidHandler
                    : name == null ? "handler: the name is null" : "handler '" + name + "': the handler is null";
        } else {
            handlers.put(name, handler);
        }
        return this;
    }

    /** Registers every handler of {@code named}. */
    public DbBuilder handlers(Map<String, Handler> named) {
        if (named == null) {
            invalidHandler = invalidHandler != null ? invalidHandler : "handlers: the map is null";
            return this;
        }
        named.forEach(this::handler);
        return this;
    }

    /** Test seam: every file operation goes through {@code storage}. */
    DbBuilder storage(Storage storage) {
        this.storage = storage;
        return this;
    }

    /**
     * Test seam: the batcher makes the next log ahead itself (at its first batch, then right after each rotation),
     * not on a thread of its own, so that every storage call comes in an order a test can replay.
     */
    DbBuilder makeLogsInline() {
        this.makeLogsInline = true;
        return this;
    }

    /** Test seam: the resource watcher reads {@code sampler} every {@code period}. */
    DbBuilder resourceSampler(ResourceSampler sampler, Duration period) {
        this.sampler = sampler;
        this.resourcePeriod = period;
        return this;
    }

    /**
     * Checks every option, locks the directory (creating it if missing), and recovers its data. Never
     * throws. The database comes back in state {@link DbState#CREATED}: call {@link Db#start()} next.
     */
    public CreateReport create() {
        try {
            Path path = path();
            String invalid = path == null ? "dir: " + (dir == null ? "null" : "'" + dir + "' is not a valid path") : invalid(path);
            if (invalid != null) {
                return CreateReport.failed(io.coffer.reports.Code.ERROR, "invalid option " + invalid, List.of());
            }
            Engine.Opened opened = Engine.open(config(path));
            return opened.engine() == null
                    ? CreateReport.failed(io.coffer.reports.Code.ERROR, opened.error(), opened.warnings())
                    : CreateReport.created(new Db(opened.engine()), opened.warnings());
        } catch (RuntimeException | Error e) {
            return CreateReport.failed(io.coffer.reports.Code.ERROR, "create failed: " + e, List.of());
        }
    }

    private Path path() {
        try {
            return dir instanceof Path ? (Path) dir : dir instanceof String ? Path.of((String) dir) : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /** The first invalid option, as "name: why", or null. */
    private String invalid(Path path) {
        if (Files.exists(path) && !Files.isDirectory(path)) {
            return "dir: " + path + " is a file, not a directory";
        }
        if (batchSize < 1) {
            return "batchSize: " + batchSize + " (must be at least 1)";
        }
        if (limitRecordsPerLogfile < 1) {
            return "limitRecordsPerLogfile: " + limitRecordsPerLogfile + " (must be at least 1)";
        }
        if (followPause == null || followPause.isNegative() || followPause.isZero()) {
            return "followPause: " + followPause + " (must be positive)";
        }
        if (logsByCheckpoint < 1) {
            return "logsByCheckpoint: " + logsByCheckpoint + " (must be at least 1)";
        }
        if (maxKeyLength < 1 || maxKeyLength > MAX_KEY_LENGTH_LIMIT) {
            return "maxKeyLength: " + maxKeyLength + " (must be 1.." + MAX_KEY_LENGTH_LIMIT + ")";
        }
        if (maxValueLength < 0) {
            return "maxValueLength: " + maxValueLength + " (must be at least 0)";
        }
        if (maxRecsPerOperation < 1) {
            return "maxRecsPerOperation: " + maxRecsPerOperation + " (must be at least 1)";
        }
        if (limitMemory < 0) {
            return "limitMemory: " + limitMemory + " (must be at least 0)";
        }
        if (limitDisk < 0) {
            return "limitDisk: " + limitDisk + " (must be at least 0)";
        }
        if (invalidHandler != null) {
            return invalidHandler;
        }
        for (String name : handlers.keySet()) {
            if (name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > Limits.MAX_HANDLER_NAME_LENGTH) {
                return "handler '" + name + "': names must have 1.." + Limits.MAX_HANDLER_NAME_LENGTH + " UTF-8 bytes";
            }
        }
        return null;
    }

    private Config config(Path path) {
        return new Config(path.toAbsolutePath().normalize(), batchSize, limitRecordsPerLogfile, followPause, logsByCheckpoint,
                allowStartupErrLoadLogs, maxKeyLength, maxValueLength, maxRecsPerOperation, removeUnlessLogs, limitMemory,
                limitDisk, handlers, storage, sampler, resourcePeriod, makeLogsInline);
    }
}
