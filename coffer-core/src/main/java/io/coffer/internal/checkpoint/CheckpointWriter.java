package io.coffer.internal.checkpoint;

import io.coffer.internal.Mutation;
import io.coffer.internal.files.DbFiles;
import io.coffer.internal.io.Storage;
import io.coffer.internal.io.StorageFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.zip.CRC32C;

/**
 * Writes and publishes one checkpoint. Stateless: each call has its own buffer, so the follower thread
 * and the thread running recovery or {@code stop()} may each write one (never the same number at once).
 *
 * <h2>Why the order is what makes deleting covered logs safe</h2>
 * The records are written to {@code N.check}, then:
 * <ol>
 *   <li><b>force</b> the file: every byte of the checkpoint, footer included, is on stable storage
 *       before its final name can exist. Renaming first would let a crash leave a {@code .checkpoint}
 *       whose data blocks were never written (delayed allocation: zeros or a short file under a
 *       complete-looking name).</li>
 *   <li><b>rename</b> {@code N.check} to {@code N.checkpoint}: atomic, so the name {@code .checkpoint}
 *       only ever refers to a complete, forced file; recovery never reads {@code .check} files.</li>
 *   <li><b>sync the directory</b>: until then the rename lives only in memory, and a power cut may
 *       bring back {@code N.check} (ignored) and no {@code N.checkpoint}, so the logs it covers are
 *       still the only durable copy of their operations. Only when this call returns is the checkpoint
 *       durably published, and only then may a caller delete the logs it covers.</li>
 * </ol>
 * The footer is a second line of defence: should the file system break the order anyway, a
 * checkpoint missing its tail is refused by {@link CheckpointReader}, never loaded short.
 *
 * <p>On any failure the {@code .check} file is deleted (best effort) and the exception is thrown; the
 * caller must then keep every log (and, per fsyncgate, treat a failed force or directory sync as fatal,
 * never retry it). A failure of the final directory sync leaves a complete, forced {@code N.checkpoint}
 * whose name may or may not survive a crash; recovery may load it or not, both are correct as long as
 * the covered logs are kept.
 */
public final class CheckpointWriter {
    /** Records are gathered into appends of about this many bytes. */
    static final int BUFFER_BYTES = 1 << 20;

    private CheckpointWriter() {
    }

    /**
     * Writes every entry of {@code entries} as checkpoint {@code number}, covering the logged operations
     * up to {@code lastSequence}, and publishes it durably as {@code files.checkpoint(number)}.
     *
     * <p>The entries must hold distinct keys, each valid Unicode of 1..65535 UTF-8 bytes (the engine
     * enforces the configured limits before anything is logged); an entry breaking that makes the write
     * fail with an {@link IllegalArgumentException} after cleaning up.
     *
     * @return the number of records written
     * @throws IOException when creating, writing, forcing, renaming or syncing fails; no {@code .check}
     *                     file is left behind (unless deleting it failed too: see the suppressed exceptions)
     */
    public static long write(Storage storage, DbFiles files, long number, long lastSequence,
            Iterator<CheckpointEntry> entries) throws IOException {
        if (lastSequence < 0) {
            throw new IllegalArgumentException("lastSequence " + lastSequence + " < 0");
        }
        Path check = files.check(number);
        StorageFile file = storage.create(check);
        boolean open = true;
        boolean renamed = false;
        try {
            long records = writeContent(file, number, lastSequence, entries);
            file.force();
            open = false;
            file.close();
            storage.rename(check, files.checkpoint(number));
            renamed = true;
            if (Mutation.active() != Mutation.SKIP_DIRECTORY_SYNC) { storage.syncDirectory(files.dir()); } // R17 hook
            return records;
        } catch (IOException | RuntimeException | Error e) {
            if (open) {
                try {
                    file.close();
                } catch (IOException | RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            if (!renamed) {
                try {
                    if (storage.exists(check)) {
                        storage.delete(check);
                    }
                } catch (IOException | RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /** Header, frames and footer, gathered in one reusable buffer and appended about 1 MiB at a time. */
    private static long writeContent(StorageFile file, long number, long lastSequence,
            Iterator<CheckpointEntry> entries) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
        CRC32C crc = new CRC32C();
        buffer.put(CheckpointFormat.header(number, lastSequence));
        long offset = CheckpointFormat.HEADER_BYTES;
        long records = 0;
        while (entries.hasNext()) {
            CheckpointEntry entry = entries.next();
            byte[] key = CheckpointFormat.keyBytes(entry.key());
            int valueLength = entry.valueLength();
            long frameBytes = CheckpointFormat.FRAME_HEADER_BYTES + CheckpointFormat.bodyBytes(key.length, valueLength);
            if (frameBytes > CheckpointFormat.MAX_FRAME_BYTES) {
                throw new IllegalArgumentException("a value of " + valueLength + " bytes is too large for a checkpoint");
            }
            if (buffer.remaining() < frameBytes) {
                file.append(buffer.flip());
                buffer.clear();
                if (buffer.capacity() < frameBytes) {
                    buffer = ByteBuffer.allocate((int) frameBytes); // one huge record; reused for the rest
                }
            }
            CheckpointFormat.putFrame(buffer, key, entry.record(), crc);
            offset += frameBytes;
            records++;
        }
        if (buffer.remaining() < CheckpointFormat.FOOTER_BYTES) {
            file.append(buffer.flip());
            buffer.clear();
        }
        buffer.put(CheckpointFormat.footer(records, offset, number));
        file.append(buffer.flip());
        return records;
    }
}
