package io.coffer.internal.checkpoint;

import io.coffer.internal.io.StorageFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** A read-only in-memory {@link StorageFile} for fast exhaustive tests; can answer with short reads. */
class MemoryFile implements StorageFile {
    private final byte[] bytes;
    private final int maxRead;
    int reads;

    MemoryFile(byte[] bytes) {
        this(bytes, Integer.MAX_VALUE);
    }

    /** Each read returns at most {@code maxRead} bytes, as a real file may. */
    MemoryFile(byte[] bytes, int maxRead) {
        this.bytes = bytes;
        this.maxRead = maxRead;
    }

    static MemoryFile of(byte[] bytes, int length) {
        return new MemoryFile(Arrays.copyOf(bytes, length));
    }

    @Override
    public void append(ByteBuffer src) throws IOException {
        throw new IOException("read-only");
    }

    @Override
    public void write(ByteBuffer src, long position) throws IOException {
        throw new IOException("read-only");
    }

    @Override
    public void force() {
    }

    @Override
    public int read(ByteBuffer dst, long position) {
        reads++;
        if (position >= bytes.length) {
            return -1;
        }
        int n = (int) Math.min(Math.min(dst.remaining(), maxRead), bytes.length - position);
        dst.put(bytes, (int) position, n);
        return n;
    }

    @Override
    public long size() {
        return bytes.length;
    }

    @Override
    public void truncate(long size) throws IOException {
        throw new IOException("read-only");
    }

    @Override
    public void close() {
    }
}
