package io.coffer.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** The production {@link Storage}: plain NIO file channels on the local file system. */
public final class NioStorage implements Storage {
    private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase().startsWith("win");

    @Override
    public List<String> list(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                    names.add(entry.getFileName().toString());
                }
            }
        }
        return names;
    }

    @Override
    public StorageFile create(Path file) throws IOException {
        return new NioFile(FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.READ));
    }

    @Override
    public StorageFile open(Path file) throws IOException {
        return new NioFile(FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE));
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void delete(Path file) throws IOException {
        Files.delete(file);
    }

    /** Opens the directory for reading and forces it: the only way to fsync a directory from Java. */
    @Override
    public void syncDirectory(Path dir) throws IOException {
        if (WINDOWS) {
            return; // directories cannot be opened on Windows; NTFS journals its metadata
        }
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    @Override
    public boolean exists(Path file) {
        return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public long size(Path file) throws IOException {
        return Files.size(file);
    }

    /** A file channel; appends track the end position so no seek is needed. */
    private static final class NioFile implements StorageFile {
        private final FileChannel channel;
        private long end;

        NioFile(FileChannel channel) throws IOException {
            this.channel = channel;
            this.end = channel.size();
        }

        @Override
        public void append(ByteBuffer src) throws IOException {
            while (src.hasRemaining()) {
                end += channel.write(src, end);
            }
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            long at = position;
            while (src.hasRemaining()) {
                at += channel.write(src, at);
            }
            end = Math.max(end, at);
        }

        @Override
        public void force() throws IOException {
            channel.force(false);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return channel.read(dst, position);
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public void truncate(long size) throws IOException {
            channel.truncate(size);
            end = Math.min(end, size);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
