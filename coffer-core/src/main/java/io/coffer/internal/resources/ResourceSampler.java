package io.coffer.internal.resources;

import java.io.IOException;

/**
 * Reads the current free memory and disk. {@link OshiResourceSampler} is the production implementation;
 * tests substitute one whose figures they set.
 *
 * <p>{@link ResourceWatcher} calls {@link #sample()} from one thread at a time (the thread running
 * {@code start()} or {@code sampleNow()}, or the {@code coffer-resources} thread), never concurrently.
 */
public interface ResourceSampler {

    /**
     * Takes one sample now. It may fail by throwing anything; the watcher records a failure instead of
     * passing it on (see {@link ResourceWatcher}), so an implementation need not catch its own errors.
     *
     * @return the sample, never null
     * @throws IOException if the free disk space cannot be read
     */
    ResourceSample sample() throws IOException;
}
