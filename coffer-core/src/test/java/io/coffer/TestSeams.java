package io.coffer;

import io.coffer.internal.io.Storage;
import io.coffer.internal.resources.ResourceSampler;
import java.time.Duration;

/** Opens the builder's package-private test seams to tests in any package. */
public final class TestSeams {
    private TestSeams() {
    }

    /**
     * Every file operation goes through {@code storage}, in an order a test can replay: the next log is made
     * ahead on the batcher thread, not on a thread of its own.
     */
    public static DbBuilder storage(DbBuilder builder, Storage storage) {
        return builder.storage(storage).makeLogsInline();
    }

    /** Every file operation goes through {@code storage}; the next log is made ahead on its own thread, as in production. */
    public static DbBuilder storageWithLogsMadeAhead(DbBuilder builder, Storage storage) {
        return builder.storage(storage);
    }

    public static DbBuilder resourceSampler(DbBuilder builder, ResourceSampler sampler, Duration period) {
        return builder.resourceSampler(sampler, period);
    }
}
