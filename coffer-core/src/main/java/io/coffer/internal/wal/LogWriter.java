package io.coffer.internal.wal;

import io.coffer.internal.Mutation;
import io.coffer.internal.files.DbFiles;
import io.coffer.internal.io.Storage;
import io.coffer.internal.io.StorageFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Appends frames to one open log. Batcher thread only (or the caller of {@code writeListUnsafe} while
 * no batcher runs): not thread-safe.
 *
 * <p>A log is born durable: {@link #create} writes the header, forces the file and forces the directory
 * before the first frame is written, so an acknowledged operation never lives in a file whose directory
 * entry could vanish.
 */
public final class LogWriter implements AutoCloseable {
    private final long number;
    private final StorageFile file;
    /** Reused between frames; grows to the largest frame written. */
    private ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private long operations;

    private LogWriter(long number, StorageFile file) {
        this.number = number;
        this.file = file;
    }

    /**
     * Creates log {@code number}, whose first operation will have sequence {@code firstSequence}, makes its
     * header and directory entry durable, and opens it for appending.
     */
    public static LogWriter create(Storage storage, DbFiles files, long number, long firstSequence) throws IOException {
        StorageFile file = storage.create(files.log(number));
        try {
            file.append(LogFormat.header(number, firstSequence));
            file.force();
            if (Mutation.active() != Mutation.SKIP_DIRECTORY_SYNC) { storage.syncDirectory(files.dir()); } // R17 hook
            return new LogWriter(number, file);
        } catch (IOException e) {
            closeQuietly(file, e);
            throw e;
        }
    }

    public long number() {
        return number;
    }

    /** Operations written to this log so far. */
    public long operations() {
        return operations;
    }

    /** Writes {@code batch} as one frame with one write call. Not durable until {@link #force()}. */
    public void append(List<Operation> batch) throws IOException {
        int needed = LogFormat.FRAME_HEADER_BYTES + 4;
        for (Operation operation : batch) {
            needed += LogFormat.operationBytes(operation);
        }
        if (buffer.capacity() < needed) {
            buffer = ByteBuffer.allocate(Math.max(needed, buffer.capacity() * 2));
        }
        buffer.clear();
        LogFormat.encodeFrame(batch, buffer);
        file.append(buffer.flip());
        operations += batch.size();
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
