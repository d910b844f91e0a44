package io.coffer.internal.checkpoint;

import io.coffer.internal.Mutation;
import io.coffer.internal.files.Checksums;
import io.coffer.internal.files.Limits;
import io.coffer.internal.io.ReadWindow;
import io.coffer.internal.io.StorageFile;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharsetDecoder;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;

/**
 * Reads and validates a whole {@code .checkpoint} file. Stateless: each call has its own buffers, so the
 * follower thread and the thread running recovery may each read one.
 *
 * <p>The file is read with large positional reads (1 MiB chunks), never one call per record. Every
 * length read from the file is bounded by the configured {@link Limits} and by what is left of the
 * file before anything is allocated for it; a record whose length is over the limits is checked by
 * streaming its CRC through the chunk buffer, so even then nothing larger than a chunk is allocated.
 * Every loop advances by at least one frame, so a crafted file never makes the reader hang.
 *
 * <p>The footer is checked before the first record is handed on, so an incomplete file (the usual
 * damage: a crash before the rename made it a {@code .checkpoint}, or a file system that broke the
 * write order) is refused before the sink sees anything. Damage inside the records, however, is found
 * only when the reader gets there, after the sink has taken the records before it: <b>callers must load
 * into a scratch map and discard it when this throws</b>, never into live state.
 */
public final class CheckpointReader {
    /** The size of one positional read. */
    static final int CHUNK_BYTES = 1 << 20;

    private CheckpointReader() {
    }

    /**
     * Reads checkpoint {@code number} from {@code file}, handing every record to {@code sink} in file
     * order, and returns what it held once the whole file proved valid.
     *
     * @throws CorruptCheckpointException when the file must not be loaded; its message names what is wrong
     *                                    and the offset (the caller adds the file name)
     * @throws IOException                when reading fails; only the sink's own exceptions pass otherwise
     */
    public static CheckpointInfo read(StorageFile file, long number, Limits limits, Consumer<CheckpointEntry> sink)
            throws IOException {
        return read(file, number, limits, count -> { }, sink, CHUNK_BYTES);
    }

    /**
     * {@link #read(StorageFile, long, Limits, Consumer)}, first telling {@code expected} how many records the
     * validated footer counts (never more than the file has room for), so the caller can size its map once.
     */
    public static CheckpointInfo read(StorageFile file, long number, Limits limits, LongConsumer expected,
            Consumer<CheckpointEntry> sink) throws IOException {
        return read(file, number, limits, expected, sink, CHUNK_BYTES);
    }

    /** {@link #read(StorageFile, long, Limits, Consumer)} with reads of {@code chunkBytes}; tests use small chunks. */
    static CheckpointInfo read(StorageFile file, long number, Limits limits, Consumer<CheckpointEntry> sink,
            int chunkBytes) throws IOException {
        return read(file, number, limits, count -> { }, sink, chunkBytes);
    }

    private static CheckpointInfo read(StorageFile file, long number, Limits limits, LongConsumer expectedCount,
            Consumer<CheckpointEntry> sink, int chunkBytes) throws IOException {
        long size = file.size();
        if (size < CheckpointFormat.HEADER_BYTES + CheckpointFormat.FOOTER_BYTES) {
            throw new CorruptCheckpointException("checkpoint of " + size + " bytes is shorter than its header and footer ("
                    + (CheckpointFormat.HEADER_BYTES + CheckpointFormat.FOOTER_BYTES) + " bytes)", Math.max(0, size));
        }
        ByteBuffer header = ByteBuffer.allocate(CheckpointFormat.HEADER_BYTES);
        readFully(file, header, 0);
        long lastSequence = CheckpointFormat.checkHeader(header, number);

        long footerOffset = size - CheckpointFormat.FOOTER_BYTES;
        ByteBuffer footer = ByteBuffer.allocate(CheckpointFormat.FOOTER_BYTES);
        readFully(file, footer, footerOffset);
        long expected = CheckpointFormat.checkFooter(footer, footerOffset, number);
        expectedCount.accept(expected); // checkFooter bounded it by what the file has room for

        Records records = new Records(file, footerOffset, limits, chunkBytes);
        long position = CheckpointFormat.HEADER_BYTES;
        long count = 0;
        while (position < footerOffset) {
            CheckpointEntry entry;
            long frameBytes;
            try {
                entry = records.decodeFrameAt(position);
                frameBytes = records.lastFrameBytes;
            } catch (RuntimeException e) { // a bug or an unforeseen shape: still only a corrupt checkpoint
                throw new CorruptCheckpointException("malformed record (" + e + ")", position, e);
            }
            if (count == expected) {
                throw new CorruptCheckpointException("more records than the " + expected + " the footer counts", position);
            }
            count++;
            sink.accept(entry);
            position += frameBytes;
        }
        if (count != expected) {
            throw new CorruptCheckpointException("footer counts " + expected + " records but the file holds " + count,
                    footerOffset);
        }
        return new CheckpointInfo(number, lastSequence, count, size);
    }

    /** The frames between the header and the footer, seen through one reusable {@link ReadWindow}. */
    private static final class Records {
        private final StorageFile file;
        /** Where the frames end: the footer's offset. */
        private final long end;
        private final Limits limits;
        private final long maxBody;
        private final ReadWindow chunk;
        private final CRC32C crc = new CRC32C();
        private final CharsetDecoder decoder = CheckpointFormat.keyDecoder();
        long lastFrameBytes;

        /** The frames of {@code file} up to {@code end}, the footer's offset. */
        Records(StorageFile file, long end, Limits limits, int chunkBytes) {
            this.file = file;
            this.limits = limits;
            this.maxBody = CheckpointFormat.maxBodyBytes(limits);
            this.chunk = new ReadWindow(file, CheckpointFormat.HEADER_BYTES, end, chunkBytes);
            this.end = end;
        }

        /** Validates the frame at {@code position} and decodes it; sets {@link #lastFrameBytes}. */
        CheckpointEntry decodeFrameAt(long position) throws IOException {
            long left = end - position;
            if (left < CheckpointFormat.FRAME_HEADER_BYTES + CheckpointFormat.MIN_BODY_BYTES) {
                throw new CorruptCheckpointException(left + " stray bytes before the footer", position);
            }
            int at = window(position, CheckpointFormat.FRAME_HEADER_BYTES);
            int length = chunk.buffer().getInt(at);
            if (length < CheckpointFormat.MIN_BODY_BYTES) {
                throw new CorruptCheckpointException("record length " + length + " out of bounds", position);
            }
            if (length > left - CheckpointFormat.FRAME_HEADER_BYTES) {
                throw new CorruptCheckpointException("record of " + length + " bytes runs past the footer at offset "
                        + end, position);
            }
            int frameBytes = CheckpointFormat.FRAME_HEADER_BYTES + length;
            if (length > maxBody || length > CheckpointFormat.MAX_FRAME_BYTES - CheckpointFormat.FRAME_HEADER_BYTES) {
                throw overLimit(position, length); // never allocates the record
            }
            byte[] bytes;
            int start;
            if (frameBytes <= chunk.capacity()) {
                start = window(position, frameBytes);
                bytes = chunk.array();
            } else { // larger than a chunk, but within the limits: allocate just this frame
                ByteBuffer frame = ByteBuffer.allocate(frameBytes);
                readFully(file, frame, position);
                bytes = frame.array();
                start = 0;
            }
            int stored = ByteBuffer.wrap(bytes, start + 4, 4).getInt();
            if (Mutation.active() != Mutation.SKIP_CRC_CHECK && stored != CheckpointFormat.frameCrc(bytes, start, length, crc)) { // R17 hook
                throw new CorruptCheckpointException("record checksum mismatch", position);
            }
            CheckpointEntry entry = CheckpointFormat.decodeBody(bytes, start + CheckpointFormat.FRAME_HEADER_BYTES,
                    length, limits, decoder, position);
            lastFrameBytes = frameBytes;
            return entry;
        }

        /**
         * A frame longer than the limits allow: a damaged length, or a record written under larger limits.
         * Streams its CRC through the chunk buffer; if it matches, names the limit the record is over.
         */
        private CorruptCheckpointException overLimit(long position, int length) throws IOException {
            crc.reset();
            int at = window(position, 4);
            crc.update(chunk.array(), at, 4);
            long body = position + CheckpointFormat.FRAME_HEADER_BYTES;
            long done = 0;
            while (done < length) {
                int step = (int) Math.min(chunk.capacity(), length - done);
                at = window(body + done, step);
                crc.update(chunk.array(), at, step);
                done += step;
            }
            int stored = chunk.buffer().getInt(window(position + 4, 4));
            if (stored != Checksums.mask((int) crc.getValue())) {
                return new CorruptCheckpointException("record checksum mismatch (its length " + length
                        + " is also over the limits)", position);
            }
            int keyLength = Short.toUnsignedInt(chunk.buffer().getShort(window(body, 2)));
            if (keyLength == 0 || keyLength > length - CheckpointFormat.BODY_OVERHEAD_BYTES) {
                return new CorruptCheckpointException("record key of " + keyLength + " bytes does not fit its body of "
                        + length + " bytes", position);
            }
            int valueLength = chunk.buffer().getInt(window(body + 2 + keyLength + 8, 4));
            try {
                CheckpointFormat.checkLengths(keyLength, valueLength, length, limits, position);
            } catch (CorruptCheckpointException e) {
                return e;
            }
            return new CorruptCheckpointException("record of " + length + " bytes is too large to load", position);
        }

        /** {@link ReadWindow#at}; a file that ends sooner than its size said is corrupt. */
        private int window(long position, int n) throws IOException {
            try {
                return chunk.at(position, n);
            } catch (EOFException e) {
                throw new CorruptCheckpointException("file ends before the bytes its size promised: " + e.getMessage(), position);
            }
        }
    }

    /** Fills {@code dst} from {@code position}; a file that ends sooner than its size said is corrupt. */
    private static void readFully(StorageFile file, ByteBuffer dst, long position) throws IOException {
        int read = file.readFully(dst, position);
        if (dst.hasRemaining()) {
            throw new CorruptCheckpointException("file ends before the " + dst.remaining() + " bytes its size promised",
                    position + read);
        }
    }

    /**
     * The last sequence the header of checkpoint {@code number} states, or -1 when the header is short or damaged:
     * what a damaged checkpoint still says about what it covered.
     */
    public static long headerSequence(StorageFile file, long number) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(CheckpointFormat.HEADER_BYTES);
        if (file.readFully(header, 0) < CheckpointFormat.HEADER_BYTES) {
            return -1;
        }
        try {
            return CheckpointFormat.checkHeader(header.flip(), number);
        } catch (CorruptCheckpointException e) {
            return -1;
        }
    }
}
