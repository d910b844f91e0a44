package io.coffer.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coffer.CreateReport;
import io.coffer.Db;
import io.coffer.reports.Code;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression (fixed in Recovery), found by {@link FileFuzzTest} (a second create() refused what the first accepted), reduced by
 * hand. GUARANTEES 10: "a corrupt checkpoint with no complete fallback makes create() return an error naming
 * the file... It never opens with acknowledged data missing".
 *
 * <p>Recovery skips a corrupt newest checkpoint N if "a log written after it" was replayed
 * ({@code Recovery.Base.checkSkippedCovered}: any replayed log numbered above N). A log whose header never
 * became durable (a crash right after {@code start()} created it: 0 bytes) counts, although it proves nothing
 * and recovery deletes it as a torn tail. So the first create() opens with every record of the checkpoint
 * missing (only a warning), and the second refuses the directory.
 */
class CorruptCheckpointFallbackTest {
    @TempDir
    Path dir;

    @Test
    void aCorruptCheckpointIsNotAcceptedBecauseOfALaterLogWhoseHeaderNeverBecameDurable() throws Exception {
        try (Db db = Db.builder(dir).limitMemory(0).limitDisk(0).create().db()) {
            assertTrue(db.start().isCodeOk());
            for (int i = 0; i < 10; i++) {
                assertTrue(db.write("k" + i, ("v" + i).getBytes(StandardCharsets.UTF_8)).isCodeOk());
            }
            assertTrue(db.stop().isCodeOk()); // 1000000002.checkpoint holds everything; the log is deleted
        }
        Files.write(dir.resolve("1000000003.log"), new byte[0]); // killed right after start() created its log
        Path checkpoint = dir.resolve("1000000002.checkpoint");
        byte[] bytes = Files.readAllBytes(checkpoint);
        bytes[50] ^= 1; // one bad bit inside the first record
        Files.write(checkpoint, bytes);

        CreateReport first = Db.builder(dir).limitMemory(0).limitDisk(0).create();
        if (first.isCodeOk()) {
            try (Db db = first.db()) {
                assertEquals(10, db.countUnsafe().count(), "opened with acknowledged records missing: " + first.warnings());
            }
        } else {
            assertEquals(Code.ERROR, first.code());
            assertTrue(first.error().contains("1000000002.checkpoint"), first::error);
        }
        CreateReport second = Db.builder(dir).limitMemory(0).limitDisk(0).create();
        assertEquals(first.code(), second.code(), "recovery is not idempotent: " + first + " then " + second);
        if (second.db() != null) {
            second.db().close();
        }
    }
}
