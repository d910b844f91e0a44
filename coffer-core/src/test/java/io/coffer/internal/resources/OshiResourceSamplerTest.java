package io.coffer.internal.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OshiResourceSamplerTest {

    @Test
    void returnsPositiveFiguresForATemporaryDirectory(@TempDir Path dir) throws IOException {
        OshiResourceSampler sampler = new OshiResourceSampler(dir);
        long before = System.nanoTime();
        ResourceSample sample = sampler.sample();
        ResourceSample again = sampler.sample();

        assertTrue(sample.physicalFree() > 0, sample.toString());
        assertTrue(sample.heapHeadroom() > 0, sample.toString());
        assertTrue(sample.freeDisk() > 0, sample.toString());
        assertEquals(Math.min(sample.physicalFree(), sample.heapHeadroom()), sample.freeMemory());
        assertTrue(sample.sampledAtNanos() - before >= 0);
        assertTrue(again.sampledAtNanos() - sample.sampledAtNanos() >= 0);
        assertTrue(again.freeDisk() > 0, again.toString());
    }

    @Test
    void heapHeadroomIsWithinTheMaximumHeap() {
        long headroom = OshiResourceSampler.heapHeadroom(Runtime.getRuntime());
        assertTrue(headroom > 0);
        assertTrue(headroom <= Runtime.getRuntime().maxMemory());
    }

    @Test
    void aMissingDirectoryFailsTheSampleAndTheWatcherReportsIt(@TempDir Path dir) {
        OshiResourceSampler sampler = new OshiResourceSampler(dir.resolve("missing"));
        assertThrows(IOException.class, sampler::sample);

        ResourceWatcher watcher = new ResourceWatcher(sampler, 0, 0);
        watcher.sampleNow();
        assertFalse(watcher.allowsChanges());
        assertTrue(watcher.lastFailure().contains("missing"), watcher.lastFailure());
    }

    @Test
    void aWatcherOverTheRealSamplerAllowsChangesUnderZeroLimits(@TempDir Path dir) {
        ResourceWatcher watcher = new ResourceWatcher(new OshiResourceSampler(dir), 0, 0);
        watcher.start();
        try {
            assertTrue(watcher.allowsChanges(), watcher.refusal());
            assertTrue(watcher.lastSample().freeDisk() > 0);
        } finally {
            watcher.stop();
        }
    }
}
