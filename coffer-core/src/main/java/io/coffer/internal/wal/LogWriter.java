package io.coffer.internal.wal;

import io.coffer.internal.Mutation;
import io.coffer.internal.files.DbFiles;
import io.coffer.internal.io.Storage;
import io.coffer.internal.io.StorageFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Writes frames to one open log. Batcher thread only (or the caller of {@code writeListUnsafe} while
 * no batcher runs): not thread-safe.
 *
 * <p>A log is born durable: {@link #create} writes the header and the first preallocated zeros, forces the
 * file and forces the directory before the first frame is written, so an acknowledged operation never lives
 * in a file whose directory entry could vanish.
 *
 * <p>Frames overwrite the preallocated zeros ({@link LogFormat}: preallocation), so forcing one changes no
 * file size. When a frame reaches the end of the zeros, more zeros are written after it, in the same force:
 * that force is a slow one, once per step of growth (steps double up to
 * {@link LogFormat#MAX_PREALLOCATION_BYTES}).
 */
public final class LogWriter implements AutoCloseable {
    /** Zeros to copy from; never written to. */
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 << 10).asReadOnlyBuffer();

    private final long number;
    private final long firstSequence;
    private final StorageFile file;
    /** Reused between frames; grows to the largest frame written. Direct, so a write does not copy it once more. */
    private ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
    private long operations;
    /** Where the next frame goes: the end of the frames written so far. */
    private long end;
    /** The file's size: frames, then zeros. */
    private long allocated;

    private LogWriter(long number, long firstSequence, StorageFile file, long allocated) {
        this.number = number;
        this.firstSequence = firstSequence;
        this.file = file;
        this.end = LogFormat.HEADER_BYTES;
        this.allocated = allocated;
    }

    /**
     * Creates log {@code number}, whose first operation will have sequence {@code firstSequence}, with room for
     * about {@code expectedBytes} of frames (bounded by the preallocation limits of {@link LogFormat}), makes its
     * header, its zeros and its directory entry durable, and opens it for writing.
     */
    public static LogWriter create(Storage storage, DbFiles files, long number, long firstSequence, long expectedBytes)
            throws IOException {
        StorageFile file = storage.create(files.log(number));
        try {
            file.append(LogFormat.header(number, firstSequence));
            long allocated = LogFormat.HEADER_BYTES + writeZeros(file, LogFormat.HEADER_BYTES, preallocation(expectedBytes));
            file.force();
            if (Mutation.active() != Mutation.SKIP_DIRECTORY_SYNC) { storage.syncDirectory(files.dir()); } // R17 hook
            return new LogWriter(number, firstSequence, file, allocated);
        } catch (IOException e) {
            closeQuietly(file, e);
            throw e;
        }
    }

    /** Creates log {@code number} with the smallest preallocation. */
    public static LogWriter create(Storage storage, DbFiles files, long number, long firstSequence) throws IOException {
        return create(storage, files, number, firstSequence, 0);
    }

    /** Zeros to write for about {@code bytes} of frames: a whole number of 4 KiB pages within the limits. */
    static long preallocation(long bytes) {
        long bounded = Math.max(LogFormat.MIN_PREALLOCATION_BYTES, Math.min(LogFormat.MAX_PREALLOCATION_BYTES, bytes));
        return (bounded + 4095) & ~4095L;
    }

    public long number() {
        return number;
    }

    /** The sequence its header gives to its first operation. */
    public long firstSequence() {
        return firstSequence;
    }

    /** Operations written to this log so far. */
    public long operations() {
        return operations;
    }

    /** The bytes of header and frames written so far (the zeros after them not counted). */
    public long bytes() {
        return end;
    }

    /**
     * Writes {@code batch} as one frame with one write call, over the zeros after the last frame; if it
     * reaches their end, writes more zeros after it. Not durable until {@link #force()}.
     */
    public void append(List<Operation> batch) throws IOException {
        long bodyBytes = 0;
        for (Operation operation : batch) {
            bodyBytes += LogFormat.operationBytes(operation);
        }
        append(batch, bodyBytes);
    }

    /** {@link #append(List)} when the caller knows the sum of {@link LogFormat#operationBytes} of the batch. */
    public void append(List<Operation> batch, long bodyBytes) throws IOException {
        int needed = Math.toIntExact(LogFormat.FRAME_HEADER_BYTES + 4 + bodyBytes);
        if (buffer.capacity() < needed) {
            buffer = ByteBuffer.allocateDirect(Math.max(needed, buffer.capacity() * 2));
        }
        buffer.clear();
        int frameBytes = LogFormat.encodeFrame(batch, buffer);
        file.write(buffer.flip(), end);
        end += frameBytes;
        operations += batch.size();
        if (end > allocated) { // this force changes the size anyway: make room for the next frames in it
            allocated = end + writeZeros(file, end, preallocation(allocated));
        }
    }

    /** Writes {@code count} zeros at {@code position}; returns {@code count}. */
    private static long writeZeros(StorageFile file, long position, long count) throws IOException {
        long written = 0;
        while (written < count) {
            ByteBuffer zeros = ZEROS.duplicate();
            zeros.limit((int) Math.min(zeros.capacity(), count - written));
            file.write(zeros, position + written);
            written += zeros.limit();
        }
        return count;
    }

    /** Forces every appended frame to stable storage. */
    public void force() throws IOException {
        file.force();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }

    private static void closeQuietly(StorageFile file, IOException cause) {
        try {
            file.close();
        } catch (IOException suppressed) {
            cause.addSuppressed(suppressed);
        }
    }
}
