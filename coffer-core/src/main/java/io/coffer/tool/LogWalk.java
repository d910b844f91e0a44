package io.coffer.tool;

import io.coffer.internal.files.Limits;
import io.coffer.internal.io.StorageFile;
import io.coffer.internal.wal.LogFormat;
import io.coffer.internal.wal.LogReader;
import io.coffer.internal.wal.Operation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Reads a log with the engine's {@link LogReader}, which checks every frame exactly as recovery does,
 * and adds what an operator needs and the reader does not hand on: the header's fields and the byte
 * offset of the frame each operation came from.
 *
 * <p>The reader hands on the operations of a frame only after the frame's length and CRC held and its
 * body decoded, so the frame's own header can be trusted: at the first operation of each frame this
 * reads the frame's length and operation count (12 bytes), which say where the frame starts and ends.
 */
final class LogWalk {
    private LogWalk() {
    }

    /** Takes each operation with the byte offset of its frame. */
    interface Sink {
        void accept(long framePosition, Operation operation) throws IOException;
    }

    /**
     * The header as stored.
     *
     * @param complete      whether the file holds the 32 header bytes (else the other fields are 0)
     * @param version       the format version field
     * @param number        the log number field
     * @param firstSequence the first sequence field
     * @param problem       what is wrong with the header, or null when it is valid for the expected number
     */
    record Header(boolean complete, int version, long number, long firstSequence, String problem) {
        boolean valid() {
            return problem == null;
        }
    }

    /**
     * @param header        the header
     * @param scan          how the reader's scan ended: the valid end and the damage, if any
     * @param frames        the valid frames read
     * @param lastSequence  the sequence of the last operation handed on, or -1 when there was none
     */
    record Result(Header header, LogReader.Scan scan, long frames, long lastSequence) {
    }

    /** The stored log number in the header of {@code file}, or -1 when the file is too short to hold it. */
    static long storedNumber(StorageFile file) throws IOException {
        ByteBuffer field = ByteBuffer.allocate(8);
        return file.readFully(field, 12) == 8 ? field.getLong(0) : -1;
    }

    static Header header(StorageFile file, long number) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(LogFormat.HEADER_BYTES);
        if (file.readFully(header, 0) < LogFormat.HEADER_BYTES) {
            return new Header(false, 0, 0, 0, "log shorter than its header");
        }
        header.flip();
        return new Header(true, header.getInt(8), header.getLong(12), header.getLong(20),
                LogFormat.checkHeader(header, number));
    }

    /** Reads log {@code number} from {@code file} with {@link LogReader}, handing each operation to {@code sink}. */
    static Result walk(StorageFile file, long number, Limits limits, Sink sink) throws IOException {
        Header header = header(file, number);
        Frames frames = new Frames(file, sink);
        LogReader.Scan scan;
        try {
            scan = LogReader.read(file, number, limits, frames);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return new Result(header, scan, frames.count, frames.lastSequence);
    }

    /** Follows the frames as the reader hands their operations on. */
    private static final class Frames implements Consumer<Operation> {
        private final StorageFile file;
        private final Sink sink;
        private final ByteBuffer frameHeader = ByteBuffer.allocate(LogFormat.FRAME_HEADER_BYTES + 4);
        private long next = LogFormat.HEADER_BYTES;
        private long current;
        private long remaining;
        long count;
        long lastSequence = -1;

        Frames(StorageFile file, Sink sink) {
            this.file = file;
            this.sink = sink;
        }

        @Override
        public void accept(Operation operation) {
            try {
                if (remaining == 0) {
                    current = next;
                    frameHeader.clear();
                    if (file.readFully(frameHeader, current) < frameHeader.capacity()) {
                        throw new IOException("the log changed while it was read (frame at " + current + ")");
                    }
                    next = current + LogFormat.FRAME_HEADER_BYTES + frameHeader.getInt(0);
                    remaining = frameHeader.getInt(LogFormat.FRAME_HEADER_BYTES);
                    count++;
                }
                remaining--;
                lastSequence = operation.sequence();
                sink.accept(current, operation);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
