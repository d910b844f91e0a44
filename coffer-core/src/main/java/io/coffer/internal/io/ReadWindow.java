package io.coffer.internal.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A file region read front to back through one reusable buffer: {@link #at} makes {@code n} bytes at a file
 * offset readable in {@link #array()} and returns their index there, reading a whole buffer's worth ahead, so
 * a scan of many small frames costs one read per buffer instead of one or two per frame, and no allocation
 * per frame.
 *
 * <pre>
 *   file:   ... | start                                  end | ...
 *   buffer:           [bufferStart ........ bufferStart + limit)
 *                           ^ at(position, n) returns position - bufferStart
 * </pre>
 *
 * Used by the log and checkpoint readers; one thread at a time, like the {@link StorageFile} it reads.
 */
public final class ReadWindow {
    private final StorageFile file;
    /** No byte at or after this offset is read. */
    private final long end;
    private final ByteBuffer buffer;
    /** The file offset of the buffer's index 0; the buffer holds {@code buffer.limit()} bytes from there. */
    private long bufferStart;

    /** A window over {@code start..end} of {@code file}, buffering at most {@code capacity} bytes (at least 64). */
    public ReadWindow(StorageFile file, long start, long end, int capacity) {
        this(file, start, end, ByteBuffer.allocate((int) Math.max(1, Math.min(Math.max(capacity, 64), end - start))));
    }

    /**
     * A window over {@code start..end} of {@code file} through {@code scratch}, a heap buffer whose content it
     * overwrites: a caller reading many files in turn reuses one buffer instead of allocating one per file.
     */
    public ReadWindow(StorageFile file, long start, long end, ByteBuffer scratch) {
        if (!scratch.hasArray() || scratch.capacity() == 0) {
            throw new IllegalArgumentException("a read window needs a non-empty heap buffer");
        }
        this.file = file;
        this.end = end;
        this.buffer = scratch;
        this.buffer.clear().limit(0);
        this.bufferStart = start;
    }

    /** The most bytes one {@link #at} call can make readable. */
    public int capacity() {
        return buffer.capacity();
    }

    /** The buffer's backing array; indexes returned by {@link #at} point into it until the next call. */
    public byte[] array() {
        return buffer.array();
    }

    /** The buffer, for absolute reads ({@code getInt(index)}) at indexes returned by {@link #at}. */
    public ByteBuffer buffer() {
        return buffer;
    }

    /**
     * Makes the {@code n} bytes at file offset {@code position} readable and returns the index of the first.
     * Requires {@code n <= capacity()} and {@code position + n <= end}.
     *
     * @throws EOFException when the file ends before those bytes (it is shorter than its caller was told)
     */
    public int at(long position, int n) throws IOException {
        if (n > buffer.capacity() || position + n > end) {
            throw new IllegalArgumentException(n + " bytes at " + position + " do not fit a window of " + buffer.capacity()
                    + " bytes ending at " + end);
        }
        long relative = position - bufferStart;
        if (relative >= 0 && relative + n <= buffer.limit()) {
            return (int) relative;
        }
        if (relative >= 0 && relative <= buffer.limit()) { // keep the bytes already read from position on
            buffer.position((int) relative);
            buffer.compact();
        } else {
            buffer.clear();
        }
        bufferStart = position;
        long next = position + buffer.position();
        buffer.limit(buffer.position() + (int) Math.min(buffer.remaining(), end - next));
        file.readFully(buffer, next);
        if (buffer.position() < n) {
            throw new EOFException("the file ends at " + (bufferStart + buffer.position()) + ", before the " + n
                    + " bytes at " + position);
        }
        buffer.flip();
        return 0;
    }
}
