package io.coffer.internal.wal;

import io.coffer.internal.Mutation;
import io.coffer.internal.files.Limits;
import io.coffer.internal.io.ReadWindow;
import io.coffer.internal.io.StorageFile;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads a {@code .log} file frame by frame, validating each before handing its operations on, and
 * says where and why it stopped. It never decides whether damage is tolerable: recovery does, because
 * only the last log may end in a torn frame.
 *
 * <p>Used by the thread running recovery and by the follower thread; stateless.
 */
public final class LogReader {
    /** How much of a log one read takes in: many frames, so a scan makes one call per window, not two per frame. */
    static final int WINDOW_BYTES = 1 << 20;

    private LogReader() {
    }

    /**
     * How a scan ended.
     *
     * @param validEnd     the offset just after the last valid frame (the header's end for an empty log,
     *                     0 when the header itself is bad)
     * @param size         the file's size (frames, then the zeros preallocated after them)
     * @param damage       null when the file is clean to its end (only zeros after {@code validEnd}); else what
     *                     is wrong at {@code validEnd}
     * @param tornTailOnly true when the damage can be a torn last write: nothing valid follows it and it is
     *                     no longer than one frame; false when it is certainly corruption
     * @param operations   how many operations were handed on
     * @param firstSequence the first sequence stated by the header, or -1 when the header is bad
     * @param lastFrame    the offset of the last valid frame, or -1 when there is none
     */
    public record Scan(long validEnd, long size, String damage, boolean tornTailOnly, long operations, long firstSequence,
            long lastFrame) {
        public boolean clean() {
            return damage == null;
        }
    }

    /**
     * Whether no valid frame starts right after the header of {@code file}: a log made ahead and never written
     * to (zeros there, or whatever a crash left of the zeros being written), or one whose header never became
     * whole. Reads that one frame at most.
     */
    public static boolean holdsNoFrame(StorageFile file, Limits limits) throws IOException {
        long available = file.size() - LogFormat.HEADER_BYTES - LogFormat.FRAME_HEADER_BYTES;
        ByteBuffer frameHeader = ByteBuffer.allocate(LogFormat.FRAME_HEADER_BYTES);
        if (available < 0 || file.readFully(frameHeader, LogFormat.HEADER_BYTES) < LogFormat.FRAME_HEADER_BYTES) {
            return true;
        }
        int length = frameHeader.getInt(0);
        long maxFrame = LogFormat.maxFrameBytes(limits);
        if (!lengthInBounds(length, maxFrame) || length > available) { // before allocating for it
            return true;
        }
        ByteBuffer frame = ByteBuffer.allocate(LogFormat.FRAME_HEADER_BYTES + length);
        if (file.readFully(frame, LogFormat.HEADER_BYTES) < frame.capacity()) {
            return true;
        }
        return !validFrameAt(frame, 0, length, maxFrame);
    }

    /** Whether a frame body of {@code length} bytes is possible at all under the limits. */
    private static boolean lengthInBounds(int length, long maxFrame) {
        return length >= LogFormat.MIN_FRAME_BODY_BYTES && length <= maxFrame;
    }

    /**
     * Whether {@code buffer} holds a whole frame at {@code offset} whose checksum matches, with at most
     * {@code available} bytes of body after its header.
     */
    private static boolean validFrameAt(ByteBuffer buffer, int offset, long available, long maxFrame) {
        int length = buffer.getInt(offset);
        return lengthInBounds(length, maxFrame) && length <= available
                && buffer.getInt(offset + 4) == LogFormat.frameCrc(buffer, offset, length);
    }

    /** Reads log {@code number} from {@code file}, handing every operation of every valid frame to {@code sink} in order. */
    public static Scan read(StorageFile file, long number, Limits limits, Consumer<Operation> sink) throws IOException {
        return read(file, number, limits, sink, WINDOW_BYTES);
    }

    /** {@link #read(StorageFile, long, Limits, Consumer)} through a window of {@code windowBytes}; tests use small ones. */
    static Scan read(StorageFile file, long number, Limits limits, Consumer<Operation> sink, int windowBytes) throws IOException {
        return read(file, number, limits, sink, window(file.size(), null, windowBytes));
    }

    /**
     * {@link #read(StorageFile, long, Limits, Consumer)} through {@code window}, a heap buffer whose content is
     * overwritten, for a caller that reads many logs in turn (see {@link #window}).
     */
    public static Scan read(StorageFile file, long number, Limits limits, Consumer<Operation> sink, ByteBuffer window)
            throws IOException {
        long size = file.size();
        ByteBuffer header = ByteBuffer.allocate(LogFormat.HEADER_BYTES);
        if (file.readFully(header, 0) < LogFormat.HEADER_BYTES) {
            return damaged(file, 0, size, limits, "log shorter than its header", 0, -1, -1);
        }
        String headerProblem = LogFormat.checkHeader(header.flip(), number);
        if (headerProblem != null) {
            return damaged(file, 0, size, limits, headerProblem, 0, -1, -1);
        }
        long firstSequence = LogFormat.firstSequence(header);
        long maxFrame = LogFormat.maxFrameBytes(limits);
        long position = LogFormat.HEADER_BYTES;
        long operations = 0;
        long lastFrame = -1;
        ReadWindow frames = new ReadWindow(file, position, size, window);
        while (position < size) {
            FrameResult frame = readFrame(file, frames, position, size, maxFrame);
            if (frame.problem != null) {
                return endOfFrames(file, position, size, limits, frame.problem, operations, firstSequence, lastFrame);
            }
            List<Operation> batch;
            try {
                batch = LogFormat.decodeBody(frame.body, limits);
            } catch (LogFormat.MalformedException e) {
                return new Scan(position, size, "malformed frame: " + e.getMessage(), false, operations, firstSequence, lastFrame);
            }
            batch.forEach(sink);
            operations += batch.size();
            lastFrame = position;
            position += LogFormat.FRAME_HEADER_BYTES + frame.body.capacity();
        }
        return new Scan(position, size, null, false, operations, firstSequence, lastFrame);
    }

    /**
     * A window buffer for reading a log of {@code logBytes}: {@code reusable} when it is large enough (or the
     * largest window already), else a new one of what the log needs, at most {@link #WINDOW_BYTES}.
     */
    public static ByteBuffer window(long logBytes, ByteBuffer reusable) {
        return window(logBytes, reusable, WINDOW_BYTES);
    }

    private static ByteBuffer window(long logBytes, ByteBuffer reusable, int maxBytes) {
        int wanted = (int) Math.max(64, Math.min(maxBytes, logBytes));
        return reusable != null && reusable.capacity() >= wanted ? reusable : ByteBuffer.allocate(wanted);
    }

    private record FrameResult(ByteBuffer body, String problem) {
    }

    /**
     * Reads and checks the frame at {@code position}, through {@code frames} unless it is larger than the window;
     * the body is read only after its length is bounded, and decoded before the window moves on.
     */
    private static FrameResult readFrame(StorageFile file, ReadWindow frames, long position, long size, long maxFrame)
            throws IOException {
        try {
            return checkedFrame(file, frames, position, size, maxFrame);
        } catch (EOFException e) { // the file is shorter than the size it had when the scan began
            return new FrameResult(null, "frame cut short: " + e.getMessage());
        }
    }

    private static FrameResult checkedFrame(StorageFile file, ReadWindow frames, long position, long size, long maxFrame)
            throws IOException {
        long available = size - position - LogFormat.FRAME_HEADER_BYTES;
        if (available < 0) {
            return new FrameResult(null, "frame header cut short");
        }
        int length = frames.buffer().getInt(frames.at(position, LogFormat.FRAME_HEADER_BYTES));
        if (!lengthInBounds(length, maxFrame)) {
            return new FrameResult(null, "frame length " + length + " out of bounds");
        }
        if (length > available) {
            return new FrameResult(null, "frame of " + length + " bytes cut short at " + available);
        }
        int frameBytes = LogFormat.FRAME_HEADER_BYTES + length;
        ByteBuffer frame;
        if (frameBytes <= frames.capacity()) {
            frame = ByteBuffer.wrap(frames.array(), frames.at(position, frameBytes), frameBytes).slice();
        } else { // larger than the window, within the limits: read just this frame
            frame = ByteBuffer.allocate(frameBytes);
            file.readFully(frame, position);
            frame.clear();
        }
        if (Mutation.active() != Mutation.SKIP_CRC_CHECK && frame.getInt(4) != LogFormat.frameCrc(frame, 0, length)) { // R17 hook
            return new FrameResult(null, "frame checksum mismatch");
        }
        ByteBuffer body = frame.position(LogFormat.FRAME_HEADER_BYTES).slice();
        return new FrameResult(body, null);
    }

    /**
     * No valid frame starts at {@code offset}: the clean end of the log if only zeros follow (the preallocated
     * room, see {@link LogFormat}), else damage.
     */
    private static Scan endOfFrames(StorageFile file, long offset, long size, Limits limits, String problem, long operations,
            long firstSequence, long lastFrame) throws IOException {
        if (endOfData(file, offset, size) == offset) {
            return new Scan(offset, size, null, false, operations, firstSequence, lastFrame);
        }
        return damaged(file, offset, size, limits, problem, operations, firstSequence, lastFrame);
    }

    /**
     * Damage at {@code offset} can be a torn last write only if what follows, up to the zeros that end the
     * file, is no longer than one frame and holds no valid frame at any byte offset (a synced frame after it
     * would prove corruption).
     */
    private static Scan damaged(StorageFile file, long offset, long size, Limits limits, String problem, long operations,
            long firstSequence, long lastFrame) throws IOException {
        long maxFrame = LogFormat.maxFrameBytes(limits);
        long dataEnd = endOfData(file, offset, size);
        boolean torn = dataEnd - offset <= LogFormat.HEADER_BYTES + LogFormat.FRAME_HEADER_BYTES + maxFrame
                && !validFrameAfter(file, offset, Math.min(size, dataEnd + LogFormat.FRAME_HEADER_BYTES + maxFrame), maxFrame);
        return new Scan(offset, size, problem, torn, operations, firstSequence, lastFrame);
    }

    /** The offset just after the last non-zero byte at or after {@code from}, or {@code from} if there is none. */
    private static long endOfData(StorageFile file, long from, long size) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(64 << 10, Math.max(0, size - from)));
        long end = size;
        while (end > from) {
            int length = (int) Math.min(chunk.capacity(), end - from);
            chunk.clear().limit(length);
            int read = file.readFully(chunk, end - length);
            for (int i = read - 1; i >= 0; i--) {
                if (chunk.get(i) != 0) {
                    return end - length + i + 1;
                }
            }
            end -= length;
        }
        return from;
    }

    /**
     * Scans {@code offset..end} (bounded by the caller to about two frames) in memory for a frame, after
     * {@code offset}, whose length and CRC hold.
     */
    private static boolean validFrameAfter(StorageFile file, long offset, long end, long maxFrame) throws IOException {
        long start = Math.max(offset + 1, LogFormat.HEADER_BYTES);
        if (start + LogFormat.FRAME_HEADER_BYTES >= end) {
            return false;
        }
        ByteBuffer tail = ByteBuffer.allocate((int) (end - start));
        file.readFully(tail, start);
        int read = tail.position();
        for (int candidate = 0; candidate + LogFormat.FRAME_HEADER_BYTES < read; candidate++) {
            if (validFrameAt(tail, candidate, read - candidate - LogFormat.FRAME_HEADER_BYTES, maxFrame)) {
                return true;
            }
        }
        return false;
    }

}
