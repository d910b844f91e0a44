package io.coffer.internal.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coffer.internal.files.DbFiles;
import io.coffer.internal.files.Limits;
import io.coffer.internal.io.NioStorage;
import io.coffer.internal.io.StorageFile;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log is written ahead with zeros, frames overwrite them, and a reader takes zeros after the last frame as
 * the clean end of the log but anything else there as damage.
 */
class LogPreallocationTest {
    private static final Limits LIMITS = new Limits(100, 100_000, 1000);
    private static final long NUMBER = DbFiles.BASE_NUMBER + 1;

    @TempDir
    Path dir;
    private final NioStorage storage = new NioStorage();
    private long sequence;

    private Path log() {
        return new DbFiles(dir).log(NUMBER);
    }

    private List<Operation> batch(int operations, int valueBytes) {
        List<Operation> batch = new ArrayList<>();
        for (int i = 0; i < operations; i++) {
            sequence++;
            byte[] value = ("v" + sequence + "-").repeat(valueBytes).substring(0, valueBytes).getBytes(StandardCharsets.UTF_8);
            batch.add(new Operation(sequence, Operation.Kind.WRITE, "", List.of(new Change("k" + sequence, value, 1))));
        }
        return batch;
    }

    private LogReader.Scan scan(List<Operation> into) throws IOException {
        try (StorageFile file = storage.open(log())) {
            return LogReader.read(file, NUMBER, LIMITS, into::add);
        }
    }

    @Test
    void aNewLogIsItsHeaderThenZerosAndWritingFramesDoesNotChangeItsSize() throws IOException {
        try (LogWriter writer = LogWriter.create(storage, new DbFiles(dir), NUMBER, 1)) {
            long size = Files.size(log());
            assertEquals(LogFormat.HEADER_BYTES + LogFormat.MIN_PREALLOCATION_BYTES, size);
            for (int i = 0; i < 20; i++) {
                writer.append(batch(3, 50));
                writer.force();
                assertEquals(size, Files.size(log()), "a frame overwrites zeros: the size stays, so fdatasync commits no metadata");
            }
            assertTrue(writer.bytes() > LogFormat.HEADER_BYTES && writer.bytes() < size);
        }
        List<Operation> read = new ArrayList<>();
        LogReader.Scan scan = scan(read);
        assertTrue(scan.clean(), scan::toString);
        assertEquals(60, read.size());
        assertEquals(60, scan.operations());
    }

    @Test
    void framesThatReachTheEndOfTheZerosGrowTheLogAndAllReadBack() throws IOException {
        long written;
        try (LogWriter writer = LogWriter.create(storage, new DbFiles(dir), NUMBER, 1)) {
            for (int i = 0; i < 40; i++) {
                writer.append(batch(4, 2_000)); // 40 frames of about 8 KiB: 320 KiB, five times the first room
                writer.force();
                assertTrue(Files.size(log()) >= writer.bytes(), "the frames never end past the file");
            }
            written = writer.bytes();
        }
        long size = Files.size(log());
        assertTrue(size > written, "zeros remain after the last frame: " + size + " vs " + written);
        assertTrue(size <= 2 * written + LogFormat.MIN_PREALLOCATION_BYTES, "the room grows by steps that double: " + size);
        List<Operation> read = new ArrayList<>();
        LogReader.Scan scan = scan(read);
        assertTrue(scan.clean(), scan::toString);
        assertEquals(written, scan.validEnd());
        assertEquals(160, read.size());
        assertEquals(160, read.get(159).sequence());
    }

    @Test
    void aNewLogIsSizedAfterThePreviousOneWithinTheLimits() {
        assertEquals(LogFormat.MIN_PREALLOCATION_BYTES, LogWriter.preallocation(0));
        assertEquals(LogFormat.MIN_PREALLOCATION_BYTES, LogWriter.preallocation(5_000));
        assertEquals(300 * 1024, LogWriter.preallocation(300 * 1024 - 100), "rounded up to whole 4 KiB pages");
        assertEquals(LogFormat.MAX_PREALLOCATION_BYTES, LogWriter.preallocation(1L << 40));
    }

    @Test
    void aNonZeroByteAnywhereInTheZerosIsDamageNotTheCleanEnd() throws IOException {
        long end;
        try (LogWriter writer = LogWriter.create(storage, new DbFiles(dir), NUMBER, 1)) {
            writer.append(batch(2, 10));
            writer.force();
            end = writer.bytes();
        }
        long size = Files.size(log());
        try (RandomAccessFile file = new RandomAccessFile(log().toFile(), "rw")) {
            file.seek(size - 1); // the very last byte of the room, 64 KiB after the frame
            file.write(1);
        }
        List<Operation> read = new ArrayList<>();
        LogReader.Scan scan = scan(read);
        assertFalse(scan.clean(), "a stray byte after the frames must be reported, not skipped");
        assertEquals(end, scan.validEnd());
        assertTrue(scan.tornTailOnly(), "nothing valid follows: in the last log it may be a torn write, which is cut");
        assertEquals(2, read.size());
    }

    @Test
    void aWholeFrameFoundBehindZerosIsCorruptionNotATornTail() throws IOException {
        long firstEnd;
        try (LogWriter writer = LogWriter.create(storage, new DbFiles(dir), NUMBER, 1)) {
            writer.append(batch(2, 10));
            firstEnd = writer.bytes();
            writer.append(batch(2, 10));
            writer.append(batch(2, 10));
            writer.force();
        }
        byte[] bytes = Files.readAllBytes(log());
        Arrays.fill(bytes, (int) firstEnd, (int) firstEnd + 30, (byte) 0); // the second frame zeroed
        Files.write(log(), bytes);
        List<Operation> read = new ArrayList<>();
        LogReader.Scan scan = scan(read);
        assertFalse(scan.clean());
        assertEquals(firstEnd, scan.validEnd());
        assertFalse(scan.tornTailOnly(), "a synced frame after the zeros proves that the zeros are damage");
    }
}
