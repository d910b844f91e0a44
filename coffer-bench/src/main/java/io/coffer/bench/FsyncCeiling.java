package io.coffer.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The physical limit of this run: how long one durable append takes on the disk under test, without
 * the engine. Every durable target of PERFORMANCE.md is computed from {@link #append4KiBForce}.
 *
 * <ul>
 *   <li>{@code append4KiBForce}: append 4 KiB to a file and {@code FileChannel.force(false)} (fdatasync),
 *       single thread: the latency of one sync, which is what a log group commit pays.</li>
 *   <li>{@code append1MiBForce}: append 1 MiB and force: sequential durable bandwidth
 *       (MiB/s = 1 / seconds per op).</li>
 *   <li>{@code overwrite4KiBForce}: write 4 KiB over zeros already written and forced, and force: the sync
 *       the engine's log pays, since it preallocates its logs (LogFormat) so that a forced frame changes no
 *       file size. Shown beside the ceiling, never used for a target: the targets stay computed from the
 *       append, as PERFORMANCE.md defines them.</li>
 * </ul>
 * The appended file is started afresh every 64 MiB so the trial never fills the disk; every append still
 * extends the file. The overwritten file is 64 MiB of zeros, overwritten from its start again when the
 * writes reach its end.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class FsyncCeiling extends MeteredState {
    private static final long ROLL_BYTES = 64L << 20;

    private Path dir;
    private Path file;
    private FileChannel channel;
    private ByteBuffer small;
    private ByteBuffer large;
    private int generation;
    private FileChannel preallocated;
    private long overwriteAt;

    public FsyncCeiling() {
        super(false);
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = BenchSupport.newDir("fsync");
        small = filled(4096);
        large = filled(1 << 20);
        roll();
        preallocated = BenchSupport.preallocatedZeros(dir.resolve("preallocated.dat"), ROLL_BYTES);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (channel != null) {
            channel.close();
        }
        preallocated.close();
        BenchSupport.deleteRecursively(dir);
    }

    @Benchmark
    public long append4KiBForce() throws IOException {
        return append(small);
    }

    @Benchmark
    public long append1MiBForce() throws IOException {
        return append(large);
    }

    @Benchmark
    public long overwrite4KiBForce() throws IOException {
        if (overwriteAt + small.capacity() > ROLL_BYTES) {
            overwriteAt = 0;
        }
        small.clear();
        while (small.hasRemaining()) {
            overwriteAt += preallocated.write(small, overwriteAt);
        }
        preallocated.force(false);
        return overwriteAt;
    }

    private long append(ByteBuffer buffer) throws IOException {
        if (channel.size() >= ROLL_BYTES) {
            roll();
        }
        buffer.clear();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        channel.force(false);
        return channel.position();
    }

    private void roll() throws IOException {
        if (channel != null) {
            channel.close();
            Files.deleteIfExists(file);
        }
        file = dir.resolve("sync-" + (generation++) + ".dat");
        channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    private static ByteBuffer filled(int size) {
        byte[] bytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(bytes);
        ByteBuffer buffer = ByteBuffer.allocateDirect(size);
        buffer.put(bytes).flip();
        return buffer;
    }
}
