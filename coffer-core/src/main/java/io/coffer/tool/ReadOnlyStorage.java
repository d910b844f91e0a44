package io.coffer.tool;

import io.coffer.internal.io.Storage;
import io.coffer.internal.io.StorageFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Storage} that can only read: files are opened with {@code READ} alone, and every call that
 * would create, append, force, truncate, rename or delete throws. The engine's readers and recovery run
 * on it unchanged, so the tool cannot write to a directory even by mistake.
 *
 * <p>It can also present a file shorter than it is, or hide it, without touching it: {@link #cut} shows
 * a directory the way recovery would leave it after cutting a torn tail, so a read-only recovery can run
 * on that view.
 */
final class ReadOnlyStorage implements Storage {
    /** File → the size it shows; a negative size hides the file. Keys are absolute and normalized. */
    private final Map<Path, Long> views;

    ReadOnlyStorage() {
        this(Map.of());
    }

    private ReadOnlyStorage(Map<Path, Long> views) {
        this.views = views;
    }

    /** A view in which {@code file} ends at {@code size}, or is absent when {@code size} is negative. */
    ReadOnlyStorage cut(Path file, long size) {
        Map<Path, Long> more = new HashMap<>(views);
        more.put(key(file), size);
        return new ReadOnlyStorage(Map.copyOf(more));
    }

    private static Path key(Path file) {
        return file.toAbsolutePath().normalize();
    }

    private boolean hidden(Path file) {
        Long size = views.get(key(file));
        return size != null && size < 0;
    }

    @Override
    public List<String> list(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS) && !hidden(entry)) {
                    names.add(entry.getFileName().toString());
                }
            }
        }
        return names;
    }

    @Override
    public StorageFile open(Path file) throws IOException {
        if (hidden(file)) {
            throw new NoSuchFileException(file.toString());
        }
        Long size = views.get(key(file));
        return new ReadOnlyFile(FileChannel.open(file, StandardOpenOption.READ), size == null ? -1 : size);
    }

    @Override
    public StorageFile create(Path file) throws IOException {
        throw refused("create", file);
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        throw refused("rename", from);
    }

    @Override
    public void delete(Path file) throws IOException {
        throw refused("delete", file);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        throw refused("sync", dir);
    }

    @Override
    public boolean exists(Path file) {
        return !hidden(file) && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS);
    }

    static IOException refused(String what, Object file) {
        return new IOException("the inspection tool only reads: refused to " + what + " " + file);
    }

    /** A file open for reading only; {@code visible} (when not negative) is where it seems to end. */
    private static final class ReadOnlyFile implements StorageFile {
        private final FileChannel channel;
        private final long visible;

        ReadOnlyFile(FileChannel channel, long visible) {
            this.channel = channel;
            this.visible = visible;
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            if (visible < 0 || !dst.hasRemaining()) {
                return channel.read(dst, position);
            }
            long left = visible - position;
            if (left <= 0) {
                return -1;
            }
            if (dst.remaining() <= left) {
                return channel.read(dst, position);
            }
            int limit = dst.limit();
            dst.limit(dst.position() + (int) left);
            try {
                return channel.read(dst, position);
            } finally {
                dst.limit(limit);
            }
        }

        @Override
        public long size() throws IOException {
            long size = channel.size();
            return visible < 0 ? size : Math.min(size, visible);
        }

        @Override
        public void append(ByteBuffer src) throws IOException {
            throw refused("append to", "a file");
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            throw refused("write to", "a file");
        }

        @Override
        public void force() throws IOException {
            throw refused("force", "a file");
        }

        @Override
        public void truncate(long size) throws IOException {
            throw refused("truncate", "a file");
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
