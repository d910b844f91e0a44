package io.coffer.reliability;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Silences the engine's logging while thousands of injected failures are each logged with a stack trace;
 * the checks report what matters. Restores the level on close.
 */
final class Quiet implements AutoCloseable {
    private static final String ENGINE = "io.coffer";
    private final Level previous;

    Quiet() {
        previous = LogManager.getLogger(ENGINE).getLevel();
        Configurator.setLevel(ENGINE, Level.OFF);
    }

    @Override
    public void close() {
        Configurator.setLevel(ENGINE, previous);
    }
}
