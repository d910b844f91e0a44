package io.coffer.internal.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coffer.internal.files.DbFiles;
import io.coffer.internal.files.Limits;
import io.coffer.internal.io.NioStorage;
import io.coffer.internal.io.StorageFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes and reads about 256 MiB of small records; prints the rates (stress tier: {@code mvn -Pstress verify}). */
@Tag("stress")
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CheckpointThroughputTest {
    private static final int RECORDS = 2_000_000;
    private static final int VALUE_BYTES = 100;

    @TempDir
    Path dir;

    @Test
    void two_million_small_records_are_written_and_read_at_well_over_a_hundred_mib_per_second() throws IOException {
        NioStorage storage = new NioStorage();
        DbFiles files = new DbFiles(dir);
        byte[] value = new byte[VALUE_BYTES];
        Iterator<CheckpointEntry> entries = new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < RECORDS;
            }

            @Override
            public CheckpointEntry next() {
                if (next == RECORDS) {
                    throw new NoSuchElementException();
                }
                return new CheckpointEntry("user:" + (10_000_000 + next++), value, next);
            }
        };
        long start = System.nanoTime();
        assertEquals(RECORDS, CheckpointWriter.write(storage, files, 1, 1, entries));
        double writeSeconds = (System.nanoTime() - start) / 1e9;

        long[] count = new long[1];
        CheckpointInfo info;
        start = System.nanoTime();
        try (StorageFile file = storage.open(files.checkpoint(1))) {
            info = CheckpointReader.read(file, 1, new Limits(64, VALUE_BYTES, 10), entry -> count[0]++);
        }
        double readSeconds = (System.nanoTime() - start) / 1e9;
        double mib = info.bytes() / (1024.0 * 1024.0);
        System.out.printf("checkpoint of %.1f MiB: write %.0f MiB/s (incl. force), read %.0f MiB/s%n",
                mib, mib / writeSeconds, mib / readSeconds);
        assertEquals(RECORDS, count[0]);
        assertTrue(mib / writeSeconds > 100, "write rate " + mib / writeSeconds + " MiB/s");
        assertTrue(mib / readSeconds > 100, "read rate " + mib / readSeconds + " MiB/s");
    }
}
