package io.coffer.internal.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One open file of a {@link Storage}. Not thread-safe: one thread uses it at a time.
 */
public interface StorageFile extends Closeable {

    /** Writes all remaining bytes of {@code src} at the end of the file (loops over short writes). */
    void append(ByteBuffer src) throws IOException;

    /**
     * Writes all remaining bytes of {@code src} at {@code position} (loops over short writes), overwriting what
     * is there and extending the file if it ends before. Logs overwrite zeros written ahead of them, so
     * that forcing a frame does not change the file's size (see {@code LogFormat}).
     */
    void write(ByteBuffer src, long position) throws IOException;

    /** Forces every written byte to stable storage ({@code fdatasync}). */
    void force() throws IOException;

    /**
     * Reads up to {@code dst.remaining()} bytes starting at {@code position}.
     *
     * @return the number of bytes read, or -1 at the end of the file
     */
    int read(ByteBuffer dst, long position) throws IOException;

    /**
     * Reads from {@code position} until {@code dst} is full or the file ends; returns the bytes read. A read of 0
     * bytes counts as the end, so a caller never spins on a file that makes no progress.
     */
    default int readFully(ByteBuffer dst, long position) throws IOException {
        int total = 0;
        while (dst.hasRemaining()) {
            int read = read(dst, position + total);
            if (read <= 0) {
                break;
            }
            total += read;
        }
        return total;
    }

    /** The current size of the file in bytes. */
    long size() throws IOException;

    /** Cuts the file to {@code size} bytes (recovery cuts a torn tail). Not durable until {@link #force()}. */
    void truncate(long size) throws IOException;
}
