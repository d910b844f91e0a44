/**
 * The resource watcher (guarantee 16): whether free memory and free disk allow the database to change data.
 *
 * <p>Owns the sampling of resources and the verdict on it, nothing else: the engine asks
 * {@link io.coffer.internal.resources.ResourceWatcher#allowsChanges()} on every change path and answers
 * {@code ERR_RESOURCES} with {@link io.coffer.internal.resources.ResourceWatcher#refusal()} when it says no;
 * reads never ask. {@link io.coffer.internal.resources.ResourceSampler} is the seam that reads the figures,
 * {@link io.coffer.internal.resources.OshiResourceSampler} the production one (OSHI for physical memory,
 * {@link java.lang.Runtime} for heap headroom, the directory's {@link java.nio.file.FileStore} for disk).
 *
 * <p>Threads:
 * <ul>
 *   <li>any thread may call {@code allowsChanges()}, {@code refusal()}, {@code lastSample()} and the other
 *       getters at any time; they read one volatile reference and never block;</li>
 *   <li>the thread that runs the engine's {@code start()} / {@code stop()} calls
 *       {@code ResourceWatcher.start()} / {@code stop()} (they are serialized with each other, so a second
 *       caller only waits);</li>
 *   <li>the one {@code coffer-resources} daemon thread, alive between {@code start()} and {@code stop()},
 *       calls the sampler every period and is the only thread that does so in the background; a caller of
 *       {@code sampleNow()} (tests, or {@code start()}) samples on its own thread, serialized with it.</li>
 * </ul>
 */
package io.coffer.internal.resources;
