package io.coffer;

import io.coffer.internal.io.Storage;
import io.coffer.internal.resources.ResourceSampler;
import java.time.Duration;

/** Opens the builder's package-private test seams to tests in any package. */
public final class TestSeams {
    private TestSeams() {
    }

    public static DbBuilder storage(DbBuilder builder, Storage storage) {
        return builder.storage(storage);
    }

    public static DbBuilder resourceSampler(DbBuilder builder, ResourceSampler sampler, Duration period) {
        return builder.resourceSampler(sampler, period);
    }
}
