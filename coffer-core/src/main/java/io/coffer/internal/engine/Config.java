package io.coffer.internal.engine;

import io.coffer.Handler;
import io.coffer.internal.files.Limits;
import io.coffer.internal.io.Storage;
import io.coffer.internal.resources.ResourceSampler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Every option of a database, validated once by the builder and immutable afterwards.
 *
 * @param sampler        null for the production OSHI sampler of {@code dir}
 * @param makeLogsInline test seam: the batcher makes the next log ahead itself, right after each rotation, not on
 *                       a thread of its own, so that storage calls come in a fixed order
 */
public record Config(
        Path dir,
        int batchSize,
        int limitRecordsPerLogfile,
        Duration followPause,
        int logsByCheckpoint,
        boolean allowStartupErrLoadLogs,
        int maxKeyLength,
        int maxValueLength,
        int maxRecsPerOperation,
        boolean removeUnlessLogs,
        long limitMemory,
        long limitDisk,
        Map<String, Handler> handlers,
        Storage storage,
        ResourceSampler sampler,
        Duration resourcePeriod,
        boolean makeLogsInline) {

    public Config {
        handlers = Map.copyOf(handlers);
    }

    public Limits limits() {
        return new Limits(maxKeyLength, maxValueLength, maxRecsPerOperation);
    }
}
