package io.coffer.internal.resources;

/**
 * One reading of the resources that decide whether the database may change data. All sizes are bytes.
 *
 * <p>{@code freeMemory} is the smaller of {@code physicalFree} and {@code heapHeadroom}, because records
 * live on the JVM heap: the database runs out of memory when the heap cannot grow any more, even if the
 * machine has plenty left (the heap is capped by {@code -Xmx}), and when the machine has no physical memory
 * left to back a heap that still has room to grow on paper. Either one running low is enough to fail.
 *
 * <p>The heap headroom counts garbage not yet collected as used, so it is a cautious figure: it can dip
 * under the limit just before a collection and comes back at the next sample after it.
 *
 * @param freeMemory     {@code min(physicalFree, heapHeadroom)}: the figure compared with {@code limitMemory}
 * @param physicalFree   physical memory the operating system can give without swapping (Linux
 *                       {@code MemAvailable})
 * @param heapHeadroom   {@code Runtime.maxMemory() - (totalMemory() - freeMemory())}: how much more the heap
 *                       may hold
 * @param freeDisk       usable space of the file store that holds the database directory, the figure
 *                       compared with {@code limitDisk}
 * @param sampledAtNanos {@link System#nanoTime()} when the sample was taken
 */
public record ResourceSample(long freeMemory, long physicalFree, long heapHeadroom, long freeDisk,
                             long sampledAtNanos) {

    /**
     * @throws IllegalArgumentException if a size is negative or {@code freeMemory} is not the smaller of the
     *                                  two memory figures
     */
    public ResourceSample {
        if (physicalFree < 0 || heapHeadroom < 0 || freeDisk < 0) {
            throw new IllegalArgumentException("negative size in sample: physicalFree=" + physicalFree
                    + ", heapHeadroom=" + heapHeadroom + ", freeDisk=" + freeDisk);
        }
        if (freeMemory != Math.min(physicalFree, heapHeadroom)) {
            throw new IllegalArgumentException("freeMemory " + freeMemory + " is not min(physicalFree "
                    + physicalFree + ", heapHeadroom " + heapHeadroom + ")");
        }
    }

    /** A sample whose {@code freeMemory} is derived from the two memory figures. */
    public static ResourceSample of(long physicalFree, long heapHeadroom, long freeDisk, long sampledAtNanos) {
        return new ResourceSample(Math.min(physicalFree, heapHeadroom), physicalFree, heapHeadroom, freeDisk,
                sampledAtNanos);
    }
}
