package io.coffer.testing;

import io.coffer.internal.wal.LogFormat;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the frames of a {@code .log} file end. A log's size is not that place: zeros are preallocated after its
 * frames ({@link LogFormat}), so tests that damage "the last frame" find it by walking the frame lengths.
 */
public final class Logs {
    private Logs() {
    }

    /** The offset just after the last frame of {@code log} (the header's end for an empty log). */
    public static long framesEnd(Path log) throws IOException {
        return framesEnd(Files.readAllBytes(log));
    }

    /** The offset just after the last frame of the log whose bytes are {@code log}. */
    public static long framesEnd(byte[] log) {
        ByteBuffer bytes = ByteBuffer.wrap(log);
        long position = LogFormat.HEADER_BYTES;
        while (position + LogFormat.FRAME_HEADER_BYTES <= log.length) {
            int length = bytes.getInt((int) position);
            if (length <= 0 || position + LogFormat.FRAME_HEADER_BYTES + length > log.length) {
                break;
            }
            position += LogFormat.FRAME_HEADER_BYTES + length;
        }
        return position;
    }

    /**
     * Makes {@code log} look as a write torn at byte {@code at} leaves a preallocated log: its size stays, every
     * byte from {@code at} on reads as zero.
     */
    public static void tearAt(Path log, long at) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "rw")) {
            long size = file.length();
            file.setLength(at);
            file.setLength(size);
        }
    }
}
