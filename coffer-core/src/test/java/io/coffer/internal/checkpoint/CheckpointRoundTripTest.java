package io.coffer.internal.checkpoint;

import static io.coffer.internal.checkpoint.Checkpoints.LAST_SEQUENCE;
import static io.coffer.internal.checkpoint.Checkpoints.NUMBER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.coffer.internal.files.DbFiles;
import io.coffer.internal.files.Limits;
import io.coffer.internal.io.NioStorage;
import io.coffer.internal.io.Storage;
import io.coffer.internal.io.StorageFile;
import io.coffer.testing.Seeds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CheckpointRoundTripTest {
    private static final Limits LIMITS = new Limits(64, 4096, 100);

    @TempDir
    Path dir;

    private final Storage storage = new NioStorage();

    private List<CheckpointEntry> writeAndRead(List<CheckpointEntry> entries, Limits limits) throws IOException {
        DbFiles files = new DbFiles(dir);
        long written = CheckpointWriter.write(storage, files, NUMBER, LAST_SEQUENCE, entries.iterator());
        assertEquals(entries.size(), written);
        assertEquals(List.of(DbFiles.name(NUMBER, DbFiles.CHECKPOINT)), storage.list(dir),
                "only the published checkpoint is left, no .check");
        List<CheckpointEntry> loaded = new ArrayList<>();
        CheckpointInfo info;
        try (StorageFile file = storage.open(files.checkpoint(NUMBER))) {
            info = CheckpointReader.read(file, NUMBER, limits, loaded::add);
        }
        assertEquals(new CheckpointInfo(NUMBER, LAST_SEQUENCE, entries.size(), Files.size(files.checkpoint(NUMBER))), info);
        return loaded;
    }

    @Test
    void an_empty_checkpoint_round_trips_and_is_exactly_header_and_footer() throws IOException {
        assertEquals(List.of(), writeAndRead(List.of(), LIMITS));
        assertEquals(CheckpointFormat.HEADER_BYTES + CheckpointFormat.FOOTER_BYTES,
                Files.size(new DbFiles(dir).checkpoint(NUMBER)));
    }

    @Test
    void one_entry_round_trips_with_its_version() throws IOException {
        List<CheckpointEntry> entries = List.of(new CheckpointEntry("k", new byte[] {1, 2, 3}, Long.MAX_VALUE));
        List<CheckpointEntry> loaded = writeAndRead(entries, LIMITS);
        assertEquals(entries, loaded);
        assertEquals(Long.MAX_VALUE, loaded.get(0).version());
    }

    @Test
    void one_entry_with_an_empty_value_round_trips() throws IOException {
        List<CheckpointEntry> entries = List.of(new CheckpointEntry("empty", new byte[0], 7));
        assertEquals(entries, writeAndRead(entries, LIMITS));
    }

    @Test
    void multi_byte_utf8_keys_round_trip() throws IOException {
        List<CheckpointEntry> entries = List.of(
                new CheckpointEntry("ключ", new byte[] {1}, 1),
                new CheckpointEntry("鍵🔑", new byte[] {2}, 2),
                new CheckpointEntry("é", new byte[0], 3),
                new CheckpointEntry("\uD83D\uDE00 smile", new byte[] {3}, 4));
        assertEquals(entries, writeAndRead(entries, LIMITS));
    }

    @Test
    void keys_and_values_exactly_at_the_limits_round_trip() throws IOException {
        String asciiKey = "k".repeat(LIMITS.maxKeyLength());
        String twoByteKey = "é".repeat(LIMITS.maxKeyLength() / 2);
        String fourByteKey = "🔑".repeat(LIMITS.maxKeyLength() / 4);
        assertEquals(LIMITS.maxKeyLength(), twoByteKey.getBytes(StandardCharsets.UTF_8).length);
        assertEquals(LIMITS.maxKeyLength(), fourByteKey.getBytes(StandardCharsets.UTF_8).length);
        byte[] fullValue = new byte[LIMITS.maxValueLength()];
        Arrays.fill(fullValue, (byte) 0x5A);
        List<CheckpointEntry> entries = List.of(
                new CheckpointEntry(asciiKey, fullValue, 1),
                new CheckpointEntry(twoByteKey, fullValue, 2),
                new CheckpointEntry(fourByteKey, new byte[0], 3));
        assertEquals(entries, writeAndRead(entries, LIMITS));
    }

    @Test
    void a_thousand_random_entries_round_trip_through_files_and_through_every_chunk_size() throws IOException {
        Random random = new Random(Seeds.seed("a_thousand_random_entries_round_trip"));
        List<CheckpointEntry> entries = randomEntries(random, 1000, LIMITS);
        assertEquals(entries, writeAndRead(entries, LIMITS));

        byte[] bytes = Files.readAllBytes(new DbFiles(dir).checkpoint(NUMBER));
        for (int chunk : new int[] {64, 100, 1000, 4096, 65536}) {
            for (int maxRead : new int[] {Integer.MAX_VALUE, 7}) {
                List<CheckpointEntry> loaded = new ArrayList<>();
                CheckpointInfo info = CheckpointReader.read(new MemoryFile(bytes, maxRead), NUMBER, LIMITS, loaded::add, chunk);
                assertEquals(entries, loaded, "chunk " + chunk + ", reads of at most " + maxRead);
                assertEquals(1000, info.recordCount());
            }
        }
    }

    @Test
    void records_larger_than_the_write_buffer_and_the_read_chunk_round_trip() throws IOException {
        Limits big = new Limits(64, 3 << 20, 10);
        Random random = new Random(Seeds.seed("records_larger_than_the_write_buffer"));
        List<CheckpointEntry> entries = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            byte[] value = new byte[i % 2 == 0 ? (3 << 20) : 17];
            random.nextBytes(value);
            entries.add(new CheckpointEntry("big-" + i, value, i));
        }
        assertEquals(entries, writeAndRead(entries, big));
    }

    @Test
    void the_reader_reads_in_large_chunks_not_once_per_record() throws IOException {
        byte[] bytes = Checkpoints.writeBytes(dir, Checkpoints.small(1000));
        MemoryFile file = new MemoryFile(bytes);
        CheckpointReader.read(file, NUMBER, LIMITS, entry -> { });
        assertEquals(3, file.reads, "header, footer, and one chunk for all 1000 records");
    }

    @Test
    void a_lone_surrogate_key_is_refused_by_the_writer_and_leaves_no_file() {
        List<CheckpointEntry> entries = List.of(new CheckpointEntry("bad\uD800", new byte[0], 1));
        assertThrows(IllegalArgumentException.class,
                () -> CheckpointWriter.write(storage, new DbFiles(dir), NUMBER, 0, entries.iterator()));
        assertEquals(List.of(), list());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 65536})
    void a_key_the_format_cannot_hold_is_refused_by_the_writer_and_leaves_no_file(int keyBytes) {
        List<CheckpointEntry> entries = List.of(new CheckpointEntry("x".repeat(keyBytes), new byte[0], 1));
        assertThrows(IllegalArgumentException.class,
                () -> CheckpointWriter.write(storage, new DbFiles(dir), NUMBER, 0, entries.iterator()));
        assertEquals(List.of(), list());
    }

    private List<String> list() {
        try {
            return storage.list(dir);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static List<CheckpointEntry> randomEntries(Random random, int n, Limits limits) {
        String alphabet = "abcxyz019-_éßж鍵🔑";
        int[] codePoints = alphabet.codePoints().toArray();
        Set<String> keys = new HashSet<>();
        List<CheckpointEntry> entries = new ArrayList<>();
        while (entries.size() < n) {
            StringBuilder key = new StringBuilder();
            int length = 1 + random.nextInt(12);
            for (int i = 0; i < length; i++) {
                key.appendCodePoint(codePoints[random.nextInt(codePoints.length)]);
            }
            String k = key.toString();
            if (k.getBytes(StandardCharsets.UTF_8).length > limits.maxKeyLength() || !keys.add(k)) {
                continue;
            }
            int valueLength = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> limits.maxValueLength();
                default -> random.nextInt(200);
            };
            byte[] value = new byte[valueLength];
            random.nextBytes(value);
            entries.add(new CheckpointEntry(k, value, random.nextLong() & Long.MAX_VALUE));
        }
        return entries;
    }

    @Test
    void the_written_checkpoint_starts_with_the_magic_and_the_header_fields() throws IOException {
        byte[] bytes = Checkpoints.writeBytes(dir, Checkpoints.small(3));
        java.nio.ByteBuffer header = java.nio.ByteBuffer.wrap(bytes);
        assertEquals(CheckpointFormat.MAGIC, header.getLong(0));
        assertEquals(CheckpointFormat.VERSION, header.getInt(8));
        assertEquals(NUMBER, header.getLong(12));
        assertEquals(LAST_SEQUENCE, header.getLong(20));
        assertArrayEquals("CofferCP".getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(bytes, 8));
    }
}
