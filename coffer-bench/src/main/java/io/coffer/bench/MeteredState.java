package io.coffer.bench;

import io.coffer.Db;
import java.io.IOException;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;

/**
 * What every timed benchmark's state measures beside its score, by inheritance (JMH runs the helper methods a
 * state inherits): the {@link CpuMeter} over each iteration and, for the durable benchmarks, a {@link SyncProbe}
 * of the disk right before it (untimed, and before the meter starts so its CPU is not counted), and, for a state
 * that names its database ({@link #meteredDb}), how many operations shared each sync ({@link SyncShareMeter}).
 */
public abstract class MeteredState {
    private final CpuMeter cpu = new CpuMeter();
    private final SyncShareMeter perSync = new SyncShareMeter();
    private final boolean probesSync;

    /** @param probesSync whether each iteration is preceded by a sync probe (the benchmarks that wait for syncs) */
    protected MeteredState(boolean probesSync) {
        this.probesSync = probesSync;
    }

    @Setup(Level.Iteration)
    public void beforeIteration(BenchmarkParams benchmark, IterationParams iteration) throws IOException {
        if (probesSync) {
            SyncProbe.beforeIteration(benchmark, iteration);
        }
        if (meteredDb() != null) {
            perSync.start(meteredDb());
        }
        cpu.start();
    }

    /** The database whose syncs {@link SyncShareMeter} counts, or null (the default) for none. */
    protected Db meteredDb() {
        return null;
    }

    @TearDown(Level.Iteration)
    public void afterIteration(BenchmarkParams benchmark, IterationParams iteration) throws IOException {
        cpu.stop(benchmark, iteration);
        if (meteredDb() != null) {
            perSync.stop(meteredDb(), benchmark, iteration);
        }
    }
}
