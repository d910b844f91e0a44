package io.coffer.internal.checkpoint;

import static io.coffer.internal.checkpoint.Checkpoints.LAST_SEQUENCE;
import static io.coffer.internal.checkpoint.Checkpoints.NUMBER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coffer.internal.checkpoint.Checkpoints.Crafted;
import io.coffer.internal.files.DbFiles;
import io.coffer.internal.files.Limits;
import io.coffer.internal.io.NioStorage;
import io.coffer.internal.io.Storage;
import io.coffer.internal.io.StorageFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hand-made files: lengths, counts and fields chosen to hurt a careless reader. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CheckpointCraftedFileTest {
    private static final Limits LIMITS = new Limits(16, 64, 10);
    /** Far below anything a careless reader would allocate for a 0x7FFFFFFF length. */
    private static final long SMALL_ALLOCATION = 64 * 1024;

    @TempDir
    Path dir;

    private static CorruptCheckpointException refused(byte[] bytes, Limits limits) {
        List<CheckpointEntry> loaded = new ArrayList<>();
        CorruptCheckpointException[] thrown = new CorruptCheckpointException[1];
        long allocated = Checkpoints.allocatedBy(() -> thrown[0] = assertThrows(CorruptCheckpointException.class,
                () -> CheckpointReader.read(new MemoryFile(bytes), NUMBER, limits, loaded::add)));
        assertTrue(allocated < SMALL_ALLOCATION + 2L * bytes.length, "allocated " + allocated + " bytes");
        return thrown[0];
    }

    private static void assertMessage(CorruptCheckpointException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should mention '" + part + "'");
        }
    }

    private static Crafted withGoodRecords() {
        return new Crafted().header(NUMBER, LAST_SEQUENCE)
                .frame(Checkpoints.body("a", 1, new byte[] {1}))
                .frame(Checkpoints.body("b", 2, new byte[0]));
    }

    @Test
    void a_crafted_file_that_follows_the_format_loads() throws IOException {
        byte[] bytes = withGoodRecords().footer().bytes();
        assertEquals(List.of(new CheckpointEntry("a", new byte[] {1}, 1), new CheckpointEntry("b", new byte[0], 2)),
                Checkpoints.read(bytes, LIMITS));
    }

    @ParameterizedTest(name = "length field {0}")
    @ValueSource(ints = {0x7FFFFFFF, -1, Integer.MIN_VALUE, 0, 14, 0x10000, 1 << 30})
    void a_crafted_record_length_is_refused_without_a_large_allocation(int length) {
        byte[] body = Checkpoints.body("c", 3, new byte[] {9, 9});
        byte[] bytes = withGoodRecords().frameClaiming(length, body).footer().bytes();
        CorruptCheckpointException e = refused(bytes, LIMITS);
        assertEquals(CheckpointFormat.HEADER_BYTES + 8L + 16 + 8 + 15, e.offset(), "the third record's offset");
    }

    @Test
    void a_length_just_over_the_limits_with_a_bad_checksum_is_refused_as_damage() {
        int overLimit = (int) CheckpointFormat.maxBodyBytes(LIMITS) + 1;
        Crafted crafted = withGoodRecords().frameClaiming(overLimit, new byte[overLimit]);
        byte[] bytes = crafted.footer().bytes();
        ByteBuffer.wrap(bytes).putInt(CheckpointFormat.HEADER_BYTES + 47 + 4, 12345); // spoil its CRC
        assertMessage(refused(bytes, LIMITS), "checksum mismatch");
    }

    @Test
    void a_value_just_over_the_limit_is_refused_naming_the_limit() {
        byte[] bytes = withGoodRecords()
                .frame(Checkpoints.body("c", 3, new byte[LIMITS.maxValueLength() + 1])).footer().bytes();
        assertMessage(refused(bytes, LIMITS), "value of 65 bytes", "maxValueLength 64", "reopen");
    }

    @Test
    void a_key_just_over_the_limit_is_refused_naming_the_limit() {
        byte[] bytes = withGoodRecords()
                .frame(Checkpoints.body("k".repeat(LIMITS.maxKeyLength() + 1), 3, new byte[0])).footer().bytes();
        assertMessage(refused(bytes, LIMITS), "key of 17 bytes", "maxKeyLength 16", "reopen");
    }

    @Test
    void a_record_written_under_larger_limits_is_refused_under_lowered_ones_naming_the_limit() throws IOException {
        Storage storage = new NioStorage();
        DbFiles files = new DbFiles(dir);
        List<CheckpointEntry> entries = List.of(
                new CheckpointEntry("short", new byte[10], 1),
                new CheckpointEntry("k".repeat(300), new byte[2000], 2));
        CheckpointWriter.write(storage, files, NUMBER, LAST_SEQUENCE, entries.iterator());
        assertEquals(entries, Checkpoints.readFile(storage, files, NUMBER, new Limits(300, 2000, 10)));

        CorruptCheckpointException key = assertThrows(CorruptCheckpointException.class,
                () -> Checkpoints.readFile(storage, files, NUMBER, new Limits(255, 4096, 10)));
        assertMessage(key, "maxKeyLength 255", "300");
        CorruptCheckpointException value = assertThrows(CorruptCheckpointException.class,
                () -> Checkpoints.readFile(storage, files, NUMBER, new Limits(300, 1024, 10)));
        assertMessage(value, "maxValueLength 1024", "2000");
        CorruptCheckpointException both = assertThrows(CorruptCheckpointException.class,
                () -> Checkpoints.readFile(storage, files, NUMBER, new Limits(64, 16, 10)));
        assertMessage(both, "maxKeyLength 64", "300");
    }

    @ParameterizedTest(name = "chunks of {0} bytes")
    @ValueSource(ints = {64, 100, 1000, 1 << 20})
    void a_record_over_a_lowered_limit_is_named_whatever_the_read_chunk_size(int chunk) throws IOException {
        byte[] bytes = Checkpoints.writeBytes(dir, List.of(
                new CheckpointEntry("short", new byte[10], 1),
                new CheckpointEntry("long", new byte[2000], 2),
                new CheckpointEntry("after", new byte[10], 3)));
        List<CheckpointEntry> loaded = new ArrayList<>();
        CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class,
                () -> CheckpointReader.read(new MemoryFile(bytes, 13), NUMBER, new Limits(16, 1024, 10), loaded::add, chunk));
        assertMessage(e, "value of 2000 bytes", "maxValueLength 1024");
        assertEquals(CheckpointFormat.HEADER_BYTES + 8 + 14 + 5 + 10, e.offset());
        assertEquals(1, loaded.size(), "the record before it was handed on: callers load into a scratch map");
    }

    @Test
    void a_huge_record_over_a_lowered_limit_is_refused_allocating_no_more_than_a_read_chunk() throws IOException {
        Storage storage = new NioStorage();
        DbFiles files = new DbFiles(dir);
        byte[] huge = new byte[8 << 20];
        CheckpointWriter.write(storage, files, NUMBER, LAST_SEQUENCE,
                List.of(new CheckpointEntry("huge", huge, 1)).iterator());
        CorruptCheckpointException[] thrown = new CorruptCheckpointException[1];
        long allocated;
        try (StorageFile file = storage.open(files.checkpoint(NUMBER))) {
            allocated = Checkpoints.allocatedBy(() -> thrown[0] = assertThrows(CorruptCheckpointException.class,
                    () -> CheckpointReader.read(file, NUMBER, new Limits(64, 1024, 10), entry -> { })));
        }
        assertMessage(thrown[0], "value of " + (8 << 20) + " bytes", "maxValueLength 1024");
        assertTrue(allocated < CheckpointReader.CHUNK_BYTES + SMALL_ALLOCATION, "allocated " + allocated + " bytes");
    }

    @Test
    void a_footer_counting_an_impossible_number_of_records_is_refused() {
        assertMessage(refused(withGoodRecords().footer(Long.MAX_VALUE, NUMBER).bytes(), LIMITS), "impossible");
        assertMessage(refused(withGoodRecords().footer(-1, NUMBER).bytes(), LIMITS), "impossible");
    }

    @Test
    void a_footer_counting_fewer_records_than_the_file_holds_is_refused_before_the_extra_one_is_handed_on() {
        List<CheckpointEntry> loaded = new ArrayList<>();
        byte[] bytes = withGoodRecords().footer(1, NUMBER).bytes();
        CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class,
                () -> CheckpointReader.read(new MemoryFile(bytes), NUMBER, LIMITS, loaded::add));
        assertMessage(e, "more records than the 1");
        assertEquals(1, loaded.size());
    }

    @Test
    void a_footer_counting_more_records_than_the_file_holds_is_refused() {
        byte[] bytes = new Crafted().header(NUMBER, LAST_SEQUENCE)
                .frame(Checkpoints.body("a", 1, new byte[40]))
                .frame(Checkpoints.body("b", 2, new byte[40]))
                .footer(3, NUMBER).bytes();
        assertMessage(refused(bytes, LIMITS), "footer counts 3", "holds 2");
    }

    @Test
    void a_footer_naming_another_checkpoint_is_refused() {
        assertMessage(refused(withGoodRecords().footer(2, NUMBER + 1).bytes(), LIMITS), "footer names checkpoint");
    }

    @Test
    void the_wrong_number_in_the_header_is_refused() {
        byte[] bytes = new Crafted().header(NUMBER + 1, LAST_SEQUENCE).footer(0, NUMBER).bytes();
        CorruptCheckpointException e = refused(bytes, LIMITS);
        assertMessage(e, "names checkpoint " + (NUMBER + 1) + ", not " + NUMBER);
        assertEquals(12, e.offset());
    }

    @Test
    void a_valid_checkpoint_read_as_another_number_is_refused() throws IOException {
        byte[] bytes = Checkpoints.writeBytes(dir, Checkpoints.small(3));
        CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class,
                () -> CheckpointReader.read(new MemoryFile(bytes), NUMBER - 1, LIMITS, entry -> { }));
        assertMessage(e, "names checkpoint " + NUMBER);
    }

    @Test
    void a_bad_magic_an_unknown_version_and_a_negative_last_sequence_are_refused() {
        assertMessage(refused(new Crafted().header(0x436F666665724C47L, 1, NUMBER, 0).footer(0, NUMBER).bytes(), LIMITS),
                "bad magic");
        assertMessage(refused(new Crafted().header(CheckpointFormat.MAGIC, 2, NUMBER, 0).footer(0, NUMBER).bytes(), LIMITS),
                "version 2");
        assertMessage(refused(new Crafted().header(CheckpointFormat.MAGIC, 1, NUMBER, -5).footer(0, NUMBER).bytes(), LIMITS),
                "negative lastSequence");
    }

    @ParameterizedTest(name = "{0} zero bytes")
    @ValueSource(ints = {0, 1, 31, 64, 65, 4096})
    void a_file_of_zeros_is_refused(int size) {
        assertTrue(refused(new byte[size], LIMITS).offset() >= 0);
    }

    @Test
    void an_empty_key_with_a_valid_checksum_is_refused() {
        byte[] body = Checkpoints.body(new byte[0], 1, 1, new byte[] {7, 7});
        assertMessage(refused(withGoodRecords().frame(body).footer().bytes(), LIMITS), "empty key");
    }

    @Test
    void a_key_that_is_not_utf8_with_a_valid_checksum_is_refused() {
        byte[] body = Checkpoints.body(new byte[] {(byte) 0xC3, 0x28}, 1, 0, new byte[0]);
        assertMessage(refused(withGoodRecords().frame(body).footer().bytes(), LIMITS), "not valid UTF-8");
    }

    @Test
    void inner_lengths_that_disagree_with_the_record_length_are_refused() {
        byte[] key = "abc".getBytes(StandardCharsets.UTF_8);
        byte[] valueClaimsMore = Checkpoints.body(key, 1, 5, new byte[4]);
        byte[] valueClaimsLess = Checkpoints.body(key, 1, 3, new byte[4]);
        byte[] negativeValue = Checkpoints.body(key, 1, -1, new byte[4]);
        byte[] keyPastBody = Checkpoints.body(new byte[] {'a'}, 1, 0, new byte[0]);
        keyPastBody[1] = 2;
        assertMessage(refused(withGoodRecords().frame(valueClaimsMore).footer().bytes(), LIMITS), "disagrees");
        assertMessage(refused(withGoodRecords().frame(valueClaimsLess).footer().bytes(), LIMITS), "disagrees");
        assertMessage(refused(withGoodRecords().frame(negativeValue).footer().bytes(), LIMITS), "negative value length");
        assertMessage(refused(withGoodRecords().frame(keyPastBody).footer().bytes(), LIMITS), "runs past its body");
    }

    @Test
    void stray_bytes_too_short_for_a_record_before_the_footer_are_refused() {
        Crafted crafted = withGoodRecords().raw(ByteBuffer.wrap(new byte[5]));
        assertMessage(refused(crafted.footer(2, NUMBER).bytes(), LIMITS), "stray bytes");
    }

    @Test
    void a_file_whose_reads_stop_short_of_its_size_is_refused_not_spun_on() throws IOException {
        byte[] bytes = Checkpoints.writeBytes(dir, Checkpoints.small(5));
        StorageFile lying = new MemoryFile(bytes) {
            @Override
            public long size() {
                return bytes.length + 100L;
            }

            @Override
            public int read(ByteBuffer dst, long position) {
                return position >= bytes.length ? 0 : super.read(dst, position);
            }
        };
        CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class,
                () -> CheckpointReader.read(lying, NUMBER, LIMITS, entry -> { }));
        assertMessage(e, "file ends before");
    }
}
