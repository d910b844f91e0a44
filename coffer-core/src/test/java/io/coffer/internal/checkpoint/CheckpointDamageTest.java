package io.coffer.internal.checkpoint;

import static io.coffer.internal.checkpoint.Checkpoints.NUMBER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coffer.internal.files.Limits;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Truncation at every offset, every single-bit flip, trailing bytes, forged footers: none of them loads. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CheckpointDamageTest {
    private static final Limits LIMITS = new Limits(64, 4096, 100);

    @TempDir
    Path dir;

    private List<CheckpointEntry> entries;
    private byte[] bytes;

    @BeforeEach
    void writeSmallCheckpoint() throws IOException {
        entries = Checkpoints.small(30);
        bytes = Checkpoints.writeBytes(dir, entries);
        assertEquals(entries, Checkpoints.read(bytes, LIMITS), "the undamaged file loads");
    }

    /** Reads {@code damaged}; it must be refused with a CorruptCheckpointException, nothing else. */
    private static CorruptCheckpointException refused(byte[] damaged, int chunk, String what) {
        List<CheckpointEntry> loaded = new ArrayList<>();
        CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class,
                () -> CheckpointReader.read(new MemoryFile(damaged), NUMBER, LIMITS, loaded::add, chunk), what);
        assertTrue(e.offset() >= 0 && e.offset() <= Math.max(damaged.length, 0), what + ": offset " + e.offset());
        return e;
    }

    @Test
    void a_cut_at_every_byte_offset_is_refused_and_nothing_is_handed_to_the_sink() {
        for (int cut = 0; cut < bytes.length; cut++) {
            byte[] truncated = Arrays.copyOf(bytes, cut);
            List<CheckpointEntry> loaded = new ArrayList<>();
            assertThrows(CorruptCheckpointException.class,
                    () -> CheckpointReader.read(new MemoryFile(truncated), NUMBER, LIMITS, loaded::add), "cut at " + cut);
            assertEquals(List.of(), loaded, "the footer is checked first, so a cut file hands on nothing (cut at " + cut + ")");
        }
    }

    @Test
    void a_cut_exactly_on_every_record_boundary_is_refused_with_a_footer_message() {
        List<Integer> boundaries = Checkpoints.frameBoundaries(bytes);
        assertEquals(entries.size() + 1, boundaries.size());
        for (int boundary : boundaries) {
            CorruptCheckpointException e = refused(Arrays.copyOf(bytes, boundary), CheckpointReader.CHUNK_BYTES,
                    "cut at boundary " + boundary);
            assertTrue(e.getMessage().contains("footer") || e.getMessage().contains("shorter"), e.getMessage());
        }
    }

    @Test
    void a_cut_on_a_record_boundary_followed_by_a_zeroed_tail_is_refused() {
        for (int boundary : Checkpoints.frameBoundaries(bytes)) {
            byte[] zeroTail = Arrays.copyOf(Arrays.copyOf(bytes, boundary), bytes.length);
            refused(zeroTail, CheckpointReader.CHUNK_BYTES, "zeros from " + boundary);
        }
    }

    @Test
    void flipping_every_bit_is_detected() {
        for (int chunk : new int[] {CheckpointReader.CHUNK_BYTES, 64}) {
            for (int bit = 0; bit < bytes.length * 8; bit++) {
                byte[] flipped = bytes.clone();
                flipped[bit / 8] ^= (byte) (1 << (bit % 8));
                refused(flipped, chunk, "bit " + bit + " (chunk " + chunk + ")");
            }
        }
    }

    @Test
    void trailing_bytes_after_the_footer_are_refused() {
        byte[] footer = Arrays.copyOfRange(bytes, bytes.length - CheckpointFormat.FOOTER_BYTES, bytes.length);
        List<byte[]> tails = List.of(new byte[1], new byte[] {42}, new byte[CheckpointFormat.FOOTER_BYTES], footer,
                Arrays.copyOfRange(bytes, CheckpointFormat.HEADER_BYTES, bytes.length));
        for (byte[] tail : tails) {
            byte[] longer = Arrays.copyOf(bytes, bytes.length + tail.length);
            System.arraycopy(tail, 0, longer, bytes.length, tail.length);
            refused(longer, CheckpointReader.CHUNK_BYTES, tail.length + " trailing bytes");
        }
    }

    @Test
    void a_footer_forged_inside_a_value_does_not_make_a_cut_file_load() throws IOException {
        // The last record's value ends with a footer that would be valid if the file were cut right after it.
        List<CheckpointEntry> forged = new ArrayList<>(entries);
        forged.add(new CheckpointEntry("forger", new byte[CheckpointFormat.FOOTER_BYTES], 1));
        Path other = dir.resolve("forged");
        java.nio.file.Files.createDirectory(other);
        int cut = Checkpoints.writeBytes(other, forged).length - CheckpointFormat.FOOTER_BYTES;
        for (long count : new long[] {entries.size(), entries.size() + 1}) {
            byte[] fakeFooter = new byte[CheckpointFormat.FOOTER_BYTES];
            CheckpointFormat.footer(count, cut - CheckpointFormat.FOOTER_BYTES, NUMBER).get(fakeFooter);
            forged.set(forged.size() - 1, new CheckpointEntry("forger", fakeFooter, 1));
            Path again = dir.resolve("forged-" + count);
            java.nio.file.Files.createDirectory(again);
            byte[] full = Checkpoints.writeBytes(again, forged);
            assertEquals(forged, Checkpoints.read(full, LIMITS), "the whole file is fine");
            CorruptCheckpointException e = refused(Arrays.copyOf(full, cut), CheckpointReader.CHUNK_BYTES, "forged footer");
            assertTrue(e.getMessage().contains("runs past the footer"), e.getMessage());
        }
    }

    @Test
    void a_checkpoint_with_a_swapped_footer_from_a_larger_checkpoint_is_refused() throws IOException {
        Path other = dir.resolve("other");
        java.nio.file.Files.createDirectory(other);
        byte[] larger = Checkpoints.writeBytes(other, Checkpoints.small(31));
        byte[] spliced = bytes.clone();
        System.arraycopy(larger, larger.length - CheckpointFormat.FOOTER_BYTES, spliced,
                spliced.length - CheckpointFormat.FOOTER_BYTES, CheckpointFormat.FOOTER_BYTES);
        refused(spliced, CheckpointReader.CHUNK_BYTES, "spliced footer");
    }

    @Test
    void two_records_swapped_still_load_because_order_carries_no_meaning() throws IOException {
        List<Integer> boundaries = Checkpoints.frameBoundaries(bytes);
        int a = boundaries.get(0);
        int b = boundaries.get(1);
        int c = boundaries.get(2);
        byte[] swapped = bytes.clone();
        System.arraycopy(bytes, b, swapped, a, c - b);
        System.arraycopy(bytes, a, swapped, a + (c - b), b - a);
        List<CheckpointEntry> expected = new ArrayList<>(entries);
        expected.set(0, entries.get(1));
        expected.set(1, entries.get(0));
        assertEquals(expected, Checkpoints.read(swapped, LIMITS));
    }
}
