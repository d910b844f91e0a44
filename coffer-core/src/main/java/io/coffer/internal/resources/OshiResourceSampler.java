package io.coffer.internal.resources;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import oshi.SystemInfo;
import oshi.hardware.GlobalMemory;

/**
 * The production sampler: physical memory from OSHI ({@link GlobalMemory#getAvailable()}, on Linux
 * {@code MemAvailable} from {@code /proc/meminfo}), heap headroom from {@link Runtime}, and free disk from the
 * {@link FileStore} of the database directory ({@link FileStore#getUsableSpace()}, one {@code statvfs}).
 *
 * <p>The OSHI {@link GlobalMemory} and the {@link FileStore} are looked up on the first sample and then
 * reused, so a sample costs one small file read and one system call. OSHI caches the available memory for
 * about 300 ms, so sampling faster than that returns the same physical figure. The lookups are lazy so that
 * a platform OSHI does not support, or a directory that cannot be reached, shows up as a failed sample
 * reported by the watcher rather than as an exception from a constructor. A failed lookup is retried on the
 * next sample; a disk read that fails drops the cached store so the next sample looks it up again.
 *
 * <p>Thread-safe: {@link #sample()} is synchronized (uncontended in practice, as the watcher calls it from
 * one thread at a time).
 */
public final class OshiResourceSampler implements ResourceSampler {
    private final Path dir;

    /** Looked up on the first successful sample; guarded by {@code this}. */
    private GlobalMemory memory;
    /** The store of {@link #dir}; looked up on first use and after a failed read; guarded by {@code this}. */
    private FileStore store;

    /** @param dir the database directory, whose file store's free space is sampled */
    public OshiResourceSampler(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir");
    }

    /**
     * @throws IOException if the directory's file store cannot be found or read
     * @throws RuntimeException or {@link LinkageError} if OSHI does not support this platform
     */
    @Override
    public synchronized ResourceSample sample() throws IOException {
        if (memory == null) {
            memory = new SystemInfo().getHardware().getMemory();
        }
        long physicalFree = memory.getAvailable();
        long heapHeadroom = heapHeadroom(Runtime.getRuntime());
        long freeDisk = freeDisk();
        return ResourceSample.of(physicalFree, heapHeadroom, freeDisk, System.nanoTime());
    }

    private long freeDisk() throws IOException {
        if (store == null) {
            store = Files.getFileStore(dir);
        }
        try {
            return store.getUsableSpace();
        } catch (IOException | RuntimeException e) {
            store = null;
            throw e;
        }
    }

    /**
     * How many more bytes the heap may hold: {@code maxMemory - (totalMemory - freeMemory)}, never negative.
     * Without {@code -Xmx} the JVM's own default cap applies.
     */
    static long heapHeadroom(Runtime runtime) {
        long used = runtime.totalMemory() - runtime.freeMemory();
        return Math.max(0, runtime.maxMemory() - used);
    }
}
