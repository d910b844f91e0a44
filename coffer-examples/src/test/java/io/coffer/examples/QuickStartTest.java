package io.coffer.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuickStartTest {

    @Test
    void readsBackWhatItWroteAndCommitsTheTransaction(@TempDir Path dir) {
        QuickStart.Result result = QuickStart.run(dir);

        assertEquals("hello", result.written());
        assertEquals(result.written(), result.read());
        assertEquals("hello, world", result.afterTransaction());
    }
}
