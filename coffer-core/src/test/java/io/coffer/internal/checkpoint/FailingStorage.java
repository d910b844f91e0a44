package io.coffer.internal.checkpoint;

import io.coffer.internal.io.NioStorage;
import io.coffer.internal.io.Storage;
import io.coffer.internal.io.StorageFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A test-only {@link Storage} around {@link NioStorage} that throws an {@link IOException} on the n-th
 * call of one kind (an append writes half its bytes first, as a short write followed by EIO would),
 * and counts every call so a clean run tells how many points there are to fail.
 */
final class FailingStorage implements Storage {
    enum Op { CREATE, APPEND, FORCE, RENAME, SYNC_DIRECTORY, DELETE }

    private final Storage delegate = new NioStorage();
    private final Map<Op, Integer> calls = new EnumMap<>(Op.class);
    private final Map<Op, Integer> failAt = new EnumMap<>(Op.class);
    /** Every call in order, failed ones included. */
    final List<Op> log = new ArrayList<>();

    /** Makes the {@code n}-th call (1-based) of {@code op} fail. */
    FailingStorage failOn(Op op, int n) {
        failAt.put(op, n);
        return this;
    }

    int calls(Op op) {
        return calls.getOrDefault(op, 0);
    }

    private boolean fails(Op op) {
        log.add(op);
        int n = calls.merge(op, 1, Integer::sum);
        return failAt.getOrDefault(op, 0) == n;
    }

    private static IOException injected(Op op) {
        return new IOException("injected failure of " + op);
    }

    @Override
    public List<String> list(Path dir) throws IOException {
        return delegate.list(dir);
    }

    @Override
    public StorageFile create(Path file) throws IOException {
        if (fails(Op.CREATE)) {
            throw injected(Op.CREATE);
        }
        StorageFile inner = delegate.create(file);
        return new StorageFile() {
            @Override
            public void append(ByteBuffer src) throws IOException {
                if (fails(Op.APPEND)) {
                    ByteBuffer half = src.duplicate();
                    half.limit(src.position() + src.remaining() / 2);
                    inner.append(half);
                    throw injected(Op.APPEND);
                }
                inner.append(src);
            }

            @Override
            public void write(ByteBuffer src, long position) throws IOException {
                throw new IOException("checkpoints are only appended");
            }

            @Override
            public void force() throws IOException {
                if (fails(Op.FORCE)) {
                    throw injected(Op.FORCE);
                }
                inner.force();
            }

            @Override
            public int read(ByteBuffer dst, long position) throws IOException {
                return inner.read(dst, position);
            }

            @Override
            public long size() throws IOException {
                return inner.size();
            }

            @Override
            public void truncate(long size) throws IOException {
                inner.truncate(size);
            }

            @Override
            public void close() throws IOException {
                inner.close();
            }
        };
    }

    @Override
    public StorageFile open(Path file) throws IOException {
        return delegate.open(file);
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        if (fails(Op.RENAME)) {
            throw injected(Op.RENAME);
        }
        delegate.rename(from, to);
    }

    @Override
    public void delete(Path file) throws IOException {
        if (fails(Op.DELETE)) {
            throw injected(Op.DELETE);
        }
        delegate.delete(file);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        if (fails(Op.SYNC_DIRECTORY)) {
            throw injected(Op.SYNC_DIRECTORY);
        }
        delegate.syncDirectory(dir);
    }

    @Override
    public boolean exists(Path file) throws IOException {
        return delegate.exists(file);
    }
}
