package io.coffer.internal.resources;

import static io.coffer.internal.resources.FakeSampler.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResourceWatcherLoggingTest {
    private final Capture capture = new Capture();
    private final Logger logger = (Logger) LogManager.getLogger(ResourceWatcher.class);
    private final FakeSampler sampler = new FakeSampler();
    private final ResourceWatcher watcher = new ResourceWatcher(sampler, 100 * MIB, 100 * MIB, Duration.ofHours(1));
    private Level levelBefore;

    @BeforeEach
    void captureTheWatcherLog() {
        capture.start();
        logger.addAppender(capture);
        levelBefore = logger.getLevel();
        logger.setLevel(Level.INFO);
    }

    @AfterEach
    void releaseTheLog() {
        logger.setLevel(levelBefore);
        logger.removeAppender(capture);
        capture.stop();
    }

    @Test
    void logsAWarningWhenChangesBecomeRefusedAndInfoWhenTheyResumeOnlyOnTransitions() {
        watcher.sampleNow();
        sampler.freeMemory(10 * MIB);
        watcher.sampleNow();
        watcher.sampleNow();
        watcher.sampleNow();
        sampler.freeMemory(200 * MIB);
        watcher.sampleNow();
        watcher.sampleNow();

        assertEquals(List.of(
                "WARN Changes are refused: free memory 10.0 MiB is below limitMemory 100.0 MiB",
                "INFO Changes resume: free memory 200.0 MiB (limitMemory 100.0 MiB), free disk 97.7 GiB "
                        + "(limitDisk 100.0 MiB)"), capture.lines());
    }

    @Test
    void logsARunOfFailedSamplesOnceAndItsEnd() {
        watcher.sampleNow();
        sampler.throwing(new IllegalStateException("boom"));
        for (int i = 0; i < ResourceWatcher.FAILURES_BEFORE_REFUSAL + 2; i++) {
            watcher.sampleNow();
        }
        sampler.throwing(null);
        watcher.sampleNow();

        assertEquals(List.of(
                "WARN Resource sample failed; the last good sample is trusted for up to 3 failures in a row",
                "WARN Changes are refused: resources unknown: the last 3 resource samples failed "
                        + "(last failure: java.lang.IllegalStateException: boom)",
                "INFO Resource sampling works again after 5 failed samples",
                "INFO Changes resume: free memory 4.0 GiB (limitMemory 100.0 MiB), free disk 97.7 GiB "
                        + "(limitDisk 100.0 MiB)"), capture.lines());
    }

    /** Keeps "LEVEL message" of each event. */
    private static final class Capture extends AbstractAppender {
        private final List<String> lines = new ArrayList<>();

        Capture() {
            super("capture", null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public synchronized void append(LogEvent event) {
            lines.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
        }

        synchronized List<String> lines() {
            return List.copyOf(lines);
        }
    }
}
