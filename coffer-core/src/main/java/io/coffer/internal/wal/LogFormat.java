package io.coffer.internal.wal;

import io.coffer.internal.files.Checksums;
import io.coffer.internal.files.Limits;
import io.coffer.internal.files.Utf8;
import io.coffer.internal.records.Record;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The format of a {@code .log} file, in one place. All numbers are big-endian.
 *
 * <pre>
 * File header, 32 bytes, written and forced when the log is created:
 *   0  long   MAGIC           "CofferLG" (0x436F666665724C47)
 *   8  int    VERSION         1
 *  12  long   log number      the same number as the file name
 *  20  long   first sequence  the sequence the log's first operation has (or would have): recovery
 *                             checks that no operation is missing between logs, even around empty ones
 *  28  int    header CRC      masked CRC32C of bytes 0..27
 *
 * Then frames. One frame is one batch: written with one write and forced before any of its operations
 * is acknowledged, so only the last frame of the last log can ever be torn.
 *   0  int    n               length of the body
 *   4  int    frame CRC       masked CRC32C of the 4 length bytes followed by the body
 *   8  body, n bytes:
 *        int    operation count (&ge; 1)
 *        per operation:
 *          long   sequence    1, 2, 3... across all logs, with no gap
 *          byte   kind        1 write, 2 delete, 3 transaction ({@link Operation.Kind})
 *          short  h           handler name length (unsigned), then h bytes of UTF-8
 *          int    c           number of changes (&ge; 1, &le; maxRecsPerOperation)
 *          per change:
 *            short  k         key length (unsigned, 1..maxKeyLength), then k bytes of UTF-8
 *            long   version   the record's version after the change; 0 for a deletion
 *            int    v         value length (0..maxValueLength), or -1 for a deletion; then v bytes
 *
 * Then zeros to the end of the file: the preallocated room for the next frames.
 * </pre>
 *
 * <p><b>Preallocation.</b> A log is written ahead of its frames with zeros (when it is created, and further
 * ahead whenever its frames reach the end), and each frame overwrites zeros that are already durable. Forcing
 * a frame then changes no file size, so {@code fdatasync} needs no journal commit: on ext4 that halves the
 * time of a sync, the time every acknowledgement waits for. A frame's length is never 0, so where the next
 * frame would start, a zero length with only zeros after it is the clean end of the log.
 *
 * <p>The CRC is masked so that zeros never validate, and it covers the length, so a zeroed or torn tail
 * is never taken for a frame. A reader bounds every length by the configured {@link Limits} and by what
 * is left in the file before it allocates anything.
 */
public final class LogFormat {
    public static final long MAGIC = 0x436F666665724C47L;
    public static final int VERSION = 1;
    public static final int HEADER_BYTES = 32;
    public static final int FRAME_HEADER_BYTES = 8;
    /** The smallest frame body: an operation count and the fixed part of one operation (sequence, kind, h, c). */
    public static final int MIN_FRAME_BODY_BYTES = 4 + 15;
    /** Zeros written after the header of a new log, at least (see the class doc: preallocation). */
    public static final int MIN_PREALLOCATION_BYTES = 64 << 10;
    /** Zeros written after the header of a new log, or ahead of its frames when they reach the end, at most. */
    public static final int MAX_PREALLOCATION_BYTES = 4 << 20;
    /** A batch stops growing past this many body bytes (one larger operation still fits alone). */
    public static final int BATCH_SOFT_LIMIT_BYTES = 4 << 20;

    private LogFormat() {
    }

    /** The largest frame body a log written under {@code limits} can hold. */
    public static long maxFrameBytes(Limits limits) {
        return 4L + Math.max(BATCH_SOFT_LIMIT_BYTES, limits.maxOperationBytes());
    }

    /** The header of log {@code number} whose first operation has sequence {@code firstSequence}, ready to write. */
    public static ByteBuffer header(long number, long firstSequence) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        header.putLong(MAGIC).putInt(VERSION).putLong(number).putLong(firstSequence);
        header.putInt(Checksums.masked(header.array(), 0, HEADER_BYTES - 4));
        return header.flip();
    }

    /** The first sequence stated by a header that {@link #checkHeader} accepted. */
    public static long firstSequence(ByteBuffer header) {
        return header.getLong(20);
    }

    /** Null when {@code header} is a valid header of log {@code number}, else what is wrong. */
    public static String checkHeader(ByteBuffer header, long number) {
        if (header.getLong(0) != MAGIC) {
            return "not a Coffer log (bad magic)";
        }
        if (header.getInt(HEADER_BYTES - 4) != Checksums.masked(header, 0, HEADER_BYTES - 4)) {
            return "log header checksum mismatch";
        }
        if (header.getInt(8) != VERSION) {
            return "unsupported log format version " + header.getInt(8);
        }
        if (header.getLong(12) != number) {
            return "log header names log " + header.getLong(12) + ", not " + number;
        }
        return null;
    }

    /** The body bytes {@code operation} takes in a frame. */
    public static int operationBytes(Operation operation) {
        return operationBytes(operation.handler(), operation.changes());
    }

    /** The body bytes an operation of {@code handler} with {@code changes} takes in a frame, whatever its sequence. */
    public static int operationBytes(String handler, List<Change> changes) {
        int bytes = 8 + 1 + 2 + utf8Length(handler) + 4;
        for (Change change : changes) {
            bytes += 2 + utf8Length(change.key()) + 8 + 4 + Math.max(0, change.valueLength());
        }
        return bytes;
    }

    /**
     * Encodes {@code operations} as one frame into {@code out} (which must have room for
     * {@code 8 + 4 + sum(operationBytes)} bytes) and returns the frame's length.
     */
    public static int encodeFrame(List<Operation> operations, ByteBuffer out) {
        int start = out.position();
        out.position(start + FRAME_HEADER_BYTES);
        out.putInt(operations.size());
        for (Operation operation : operations) {
            encodeOperation(operation, out);
        }
        int bodyLength = out.position() - start - FRAME_HEADER_BYTES;
        out.putInt(start, bodyLength);
        out.putInt(start + 4, frameCrc(out, start, bodyLength));
        return FRAME_HEADER_BYTES + bodyLength;
    }

    /** The masked CRC32C over the length field and the body of the frame at {@code start}. */
    static int frameCrc(ByteBuffer buffer, int start, int bodyLength) {
        CRC32C crc = new CRC32C();
        ByteBuffer view = buffer.duplicate();
        view.limit(start + 4).position(start);
        crc.update(view);
        view.limit(start + FRAME_HEADER_BYTES + bodyLength).position(start + FRAME_HEADER_BYTES);
        crc.update(view);
        return Checksums.mask((int) crc.getValue());
    }

    private static void encodeOperation(Operation operation, ByteBuffer out) {
        out.putLong(operation.sequence());
        out.put(operation.kind().code());
        putShortString(operation.handler(), out);
        out.putInt(operation.changes().size());
        for (Change change : operation.changes()) {
            putShortString(change.key(), out);
            out.putLong(change.version());
            out.putInt(change.valueLength()); // -1: a deletion
            if (!change.isDelete()) {
                out.put(change.record(), Record.VALUE_OFFSET, change.valueLength());
            }
        }
    }

    private static void putShortString(String text, ByteBuffer out) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.putShort((short) bytes.length);
        out.put(bytes);
    }

    private static int utf8Length(String text) {
        int length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                length += 1;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c)) {
                length += 4;
                i++;
            } else {
                length += 3;
            }
        }
        return length;
    }

    /**
     * Decodes a frame body whose CRC already matched. A body that passes its CRC but breaks a rule of
     * the format or a configured limit was written that way (or crafted): {@link MalformedException}.
     */
    public static List<Operation> decodeBody(ByteBuffer body, Limits limits) throws MalformedException {
        try {
            int count = body.getInt();
            if (count < 1 || count > body.remaining() / 15) {
                throw new MalformedException("frame claims " + count + " operations");
            }
            List<Operation> operations = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                operations.add(decodeOperation(body, limits));
            }
            if (body.hasRemaining()) {
                throw new MalformedException(body.remaining() + " stray bytes after the last operation");
            }
            return operations;
        } catch (java.nio.BufferUnderflowException e) {
            throw new MalformedException("frame body ends inside an operation");
        }
    }

    private static Operation decodeOperation(ByteBuffer body, Limits limits) throws MalformedException {
        long sequence = body.getLong();
        Operation.Kind kind = Operation.Kind.of(body.get());
        if (kind == null) {
            throw new MalformedException("unknown operation kind at sequence " + sequence);
        }
        String handler = getShortString(body, Limits.MAX_HANDLER_NAME_LENGTH, "handler name");
        int changeCount = body.getInt();
        if (changeCount < 1 || changeCount > limits.maxRecsPerOperation()) {
            throw new MalformedException("operation " + sequence + " changes " + changeCount
                    + " records; maxRecsPerOperation is " + limits.maxRecsPerOperation());
        }
        if (changeCount > body.remaining() / 15) { // a change takes at least 15 bytes (key length, 1-byte key, version, value length)
            throw new MalformedException("operation " + sequence + " claims " + changeCount + " changes in "
                    + body.remaining() + " bytes");
        }
        Change[] changes = new Change[changeCount];
        for (int i = 0; i < changeCount; i++) {
            String key = getShortString(body, limits.maxKeyLength(), "key");
            if (key.isEmpty()) {
                throw new MalformedException("operation " + sequence + " has an empty key");
            }
            long version = body.getLong();
            int valueLength = body.getInt();
            if (valueLength < -1 || valueLength > limits.maxValueLength() || valueLength > body.remaining()) {
                throw new MalformedException("operation " + sequence + " has a value of " + valueLength
                        + " bytes; maxValueLength is " + limits.maxValueLength());
            }
            if (valueLength < 0) {
                changes[i] = Change.delete(key);
            } else {
                byte[] record = Record.withVersion(version, valueLength); // decoded straight into the store's form
                body.get(record, Record.VALUE_OFFSET, valueLength);
                changes[i] = Change.of(key, record);
            }
        }
        return new Operation(sequence, kind, handler, List.of(changes));
    }

    private static String getShortString(ByteBuffer body, int limit, String what) throws MalformedException {
        int length = Short.toUnsignedInt(body.getShort());
        if (length > limit || length > body.remaining()) {
            throw new MalformedException(what + " of " + length + " bytes; the limit is " + limit);
        }
        byte[] bytes;
        int start;
        if (body.hasArray()) {
            bytes = body.array();
            start = body.arrayOffset() + body.position();
            body.position(body.position() + length);
        } else {
            bytes = new byte[length];
            start = 0;
            body.get(bytes);
        }
        String text = Utf8.decode(bytes, start, length, null);
        if (text == null) {
            throw new MalformedException(what + " is not valid UTF-8");
        }
        return text;
    }

    /** A frame whose checksum matched but whose content breaks the format or the configured limits. */
    public static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        public MalformedException(String message) {
            super(message);
        }
    }
}
