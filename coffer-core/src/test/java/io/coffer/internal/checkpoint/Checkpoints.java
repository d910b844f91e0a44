package io.coffer.internal.checkpoint;

import io.coffer.internal.files.Checksums;
import io.coffer.internal.files.DbFiles;
import io.coffer.internal.files.Limits;
import io.coffer.internal.io.NioStorage;
import io.coffer.internal.io.Storage;
import io.coffer.internal.io.StorageFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/** Helpers shared by the checkpoint tests: writing, reading back, and crafting files byte by byte. */
final class Checkpoints {
    static final long NUMBER = 1_000_000_007L;
    static final long LAST_SEQUENCE = 4242L;

    private Checkpoints() {
    }

    /** Writes {@code entries} as checkpoint {@link #NUMBER} in {@code dir} and returns the file's bytes. */
    static byte[] writeBytes(Path dir, List<CheckpointEntry> entries) throws IOException {
        DbFiles files = new DbFiles(dir);
        CheckpointWriter.write(new NioStorage(), files, NUMBER, LAST_SEQUENCE, entries.iterator());
        return Files.readAllBytes(files.checkpoint(NUMBER));
    }

    /** Reads checkpoint {@code number} from {@code dir} through the storage seam. */
    static List<CheckpointEntry> readFile(Storage storage, DbFiles files, long number, Limits limits) throws IOException {
        List<CheckpointEntry> loaded = new ArrayList<>();
        try (StorageFile file = storage.open(files.checkpoint(number))) {
            CheckpointReader.read(file, number, limits, loaded::add);
        }
        return loaded;
    }

    static List<CheckpointEntry> read(byte[] bytes, Limits limits) throws IOException {
        List<CheckpointEntry> loaded = new ArrayList<>();
        CheckpointReader.read(new MemoryFile(bytes), NUMBER, limits, loaded::add);
        return loaded;
    }

    /** {@code n} small entries with keys "key-0".. and values of 0..n-1 bytes (so entry 0 has an empty value). */
    static List<CheckpointEntry> small(int n) {
        List<CheckpointEntry> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] value = new byte[i % 24];
            for (int j = 0; j < value.length; j++) {
                value[j] = (byte) (i * 31 + j);
            }
            entries.add(new CheckpointEntry("key-" + i, value, i + 1L));
        }
        return entries;
    }

    /** The offsets at which the frames of a well-formed checkpoint start, then the footer's offset. */
    static List<Integer> frameBoundaries(byte[] bytes) {
        List<Integer> boundaries = new ArrayList<>();
        int at = CheckpointFormat.HEADER_BYTES;
        while (at < bytes.length - CheckpointFormat.FOOTER_BYTES) {
            boundaries.add(at);
            at += CheckpointFormat.FRAME_HEADER_BYTES + ByteBuffer.wrap(bytes, at, 4).getInt();
        }
        boundaries.add(at);
        return boundaries;
    }

    /**
     * Bytes allocated by the current thread while running {@code action} (HotSpot's per-thread counter).
     * The action runs twice and the second run is measured, so loading classes is not counted.
     */
    static long allocatedBy(Runnable action) {
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        action.run();
        long before = bean.getThreadAllocatedBytes(id);
        action.run();
        return bean.getThreadAllocatedBytes(id) - before;
    }

    /** Builds a checkpoint file byte by byte, with any field wrong on purpose. */
    static final class Crafted {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private long frames;

        Crafted header(long number, long lastSequence) {
            return raw(CheckpointFormat.header(number, lastSequence));
        }

        /** A header with every field chosen, and a correct CRC. */
        Crafted header(long magic, int version, long number, long lastSequence) {
            ByteBuffer header = ByteBuffer.allocate(CheckpointFormat.HEADER_BYTES);
            header.putLong(magic).putInt(version).putLong(number).putLong(lastSequence);
            header.putInt(Checksums.masked(header.array(), 0, 28));
            return raw(header.flip());
        }

        /** A frame with the given body and a correct length and CRC. */
        Crafted frame(byte[] body) {
            ByteBuffer frame = ByteBuffer.allocate(8 + body.length);
            frame.putInt(body.length).putInt(0).put(body);
            frame.putInt(4, CheckpointFormat.frameCrc(frame.array(), 0, body.length, new CRC32C()));
            frames++;
            return raw(frame.flip());
        }

        /** A frame whose length field is {@code length} whatever the body, with the CRC of the bytes it claims when they are all there. */
        Crafted frameClaiming(int length, byte[] body) {
            ByteBuffer frame = ByteBuffer.allocate(8 + body.length);
            frame.putInt(length).putInt(0).put(body);
            if (length >= 0 && length <= body.length) {
                frame.putInt(4, CheckpointFormat.frameCrc(frame.array(), 0, length, new CRC32C()));
            }
            frames++;
            return raw(frame.flip());
        }

        Crafted footer() {
            return footer(frames, NUMBER);
        }

        Crafted footer(long count, long number) {
            return raw(CheckpointFormat.footer(count, out.size(), number));
        }

        Crafted raw(ByteBuffer bytes) {
            byte[] array = new byte[bytes.remaining()];
            bytes.get(array);
            out.write(array, 0, array.length);
            return this;
        }

        long size() {
            return out.size();
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    /** A record body: key length, key, version, value length, value. */
    static byte[] body(byte[] key, long version, int valueLengthField, byte[] value) {
        ByteBuffer body = ByteBuffer.allocate(2 + key.length + 12 + value.length);
        body.putShort((short) key.length).put(key).putLong(version).putInt(valueLengthField).put(value);
        return body.array();
    }

    static byte[] body(String key, long version, byte[] value) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        return body(k, version, value.length, value);
    }
}
