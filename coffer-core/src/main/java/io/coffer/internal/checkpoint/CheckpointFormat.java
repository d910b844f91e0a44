package io.coffer.internal.checkpoint;

import io.coffer.internal.files.Checksums;
import io.coffer.internal.files.Limits;
import io.coffer.internal.files.Utf8;
import io.coffer.internal.records.Record;
import java.nio.ByteBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The format of a {@code .checkpoint} file, in one place. All numbers are big-endian.
 *
 * <pre>
 * Header, 32 bytes:
 *   0  long   MAGIC           "CofferCP" (0x436F666665724350)
 *   8  int    VERSION         1
 *  12  long   number          the checkpoint's number, the same as the file name's
 *  20  long   lastSequence    sequence number of the last logged operation the checkpoint covers (&ge; 0)
 *  28  int    header CRC      masked CRC32C of bytes 0..27
 *
 * Then one frame per live record, each key at most once, in ascending key order as this version writes
 * them (recovery then builds the sorted index without a sort; it accepts any order, sorting when it must):
 *   0  int    n               length of the body: 15 .. 14 + maxKeyLength + maxValueLength
 *   4  int    frame CRC       masked CRC32C of the 4 length bytes followed by the body
 *   8  body, n bytes:
 *        short  k             key length (unsigned, 1..maxKeyLength), then k bytes of UTF-8
 *        long   version       the record's version
 *        int    v             value length (0..maxValueLength), then v bytes
 *      where n == 2 + k + 8 + 4 + v exactly.
 *
 * Footer, 32 bytes, the last bytes of the file:
 *   0  int    END_MARKER      0xCFEDCFED, negative, so never a frame length
 *   4  int    footer CRC      masked CRC32C of bytes 0..3 and 8..31 (framed like a record)
 *   8  long   record count    how many frames precede the footer
 *  16  long   footer offset   where the footer starts, so file size == footer offset + 32
 *  24  long   number          the checkpoint's number again
 * </pre>
 *
 * <p>Every byte is covered by a CRC that also covers its length: the header's by the header CRC, each
 * frame's by its own, the footer's by the footer CRC. The CRCs are masked so that a run of zeros never
 * validates. The footer is what proves the file complete: a file cut exactly at a frame boundary is a
 * sequence of valid frames, and only the footer, written last, says how many there must be and where
 * they end. Its offset and number fields make a footer forged inside a value, or copied from another
 * checkpoint, fail. A reader bounds every length by the configured {@link Limits} and by what is left
 * of the file before it allocates anything.
 */
public final class CheckpointFormat {
    /** "CofferCP" in ASCII. */
    public static final long MAGIC = 0x436F666665724350L;
    public static final int VERSION = 1;
    public static final int HEADER_BYTES = 32;
    public static final int FRAME_HEADER_BYTES = 8;
    /** Body bytes besides the key's and the value's: key length, version, value length. */
    public static final int BODY_OVERHEAD_BYTES = 2 + 8 + 4;
    /** The smallest body: a one-byte key and an empty value. */
    public static final int MIN_BODY_BYTES = BODY_OVERHEAD_BYTES + 1;
    public static final int FOOTER_BYTES = 32;
    public static final int END_MARKER = 0xCFEDCFED;
    /** The longest key the format can hold (its length is an unsigned short). */
    public static final int MAX_KEY_BYTES = 0xFFFF;
    /** Frames larger than this cannot be held in one array. */
    static final int MAX_FRAME_BYTES = Integer.MAX_VALUE - 16;

    private static final int HEADER_CRC_OFFSET = HEADER_BYTES - 4;

    private CheckpointFormat() {
    }

    /** The body length of a record with a key of {@code keyBytes} and a value of {@code valueBytes}. */
    public static long bodyBytes(long keyBytes, long valueBytes) {
        return BODY_OVERHEAD_BYTES + keyBytes + valueBytes;
    }

    /** The largest body a checkpoint written under {@code limits} can hold. */
    public static long maxBodyBytes(Limits limits) {
        return bodyBytes(Math.min(limits.maxKeyLength(), MAX_KEY_BYTES), Math.max(0, limits.maxValueLength()));
    }

    /** The 32-byte header of checkpoint {@code number}, ready to write. */
    public static ByteBuffer header(long number, long lastSequence) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        header.putLong(MAGIC).putInt(VERSION).putLong(number).putLong(lastSequence);
        header.putInt(Checksums.masked(header.array(), 0, HEADER_CRC_OFFSET));
        return header.flip();
    }

    /**
     * Checks that {@code header} (32 bytes from index 0) is a valid header of checkpoint {@code number}.
     *
     * @return the header's lastSequence
     */
    public static long checkHeader(ByteBuffer header, long number) throws CorruptCheckpointException {
        if (header.getLong(0) != MAGIC) {
            throw new CorruptCheckpointException("not a Coffer checkpoint (bad magic)", 0);
        }
        if (header.getInt(HEADER_CRC_OFFSET) != Checksums.masked(header, 0, HEADER_CRC_OFFSET)) {
            throw new CorruptCheckpointException("checkpoint header checksum mismatch", HEADER_CRC_OFFSET);
        }
        if (header.getInt(8) != VERSION) {
            throw new CorruptCheckpointException("unsupported checkpoint format version " + header.getInt(8)
                    + " (this build reads version " + VERSION + ")", 8);
        }
        if (header.getLong(12) != number) {
            throw new CorruptCheckpointException("checkpoint header names checkpoint " + header.getLong(12)
                    + ", not " + number, 12);
        }
        long lastSequence = header.getLong(20);
        if (lastSequence < 0) {
            throw new CorruptCheckpointException("checkpoint header has a negative lastSequence " + lastSequence, 20);
        }
        return lastSequence;
    }

    /** The 32-byte footer of checkpoint {@code number} with {@code recordCount} frames ending at {@code footerOffset}. */
    public static ByteBuffer footer(long recordCount, long footerOffset, long number) {
        ByteBuffer footer = ByteBuffer.allocate(FOOTER_BYTES);
        footer.putInt(END_MARKER).putInt(0).putLong(recordCount).putLong(footerOffset).putLong(number);
        footer.putInt(4, frameCrc(footer.array(), 0, FOOTER_BYTES - FRAME_HEADER_BYTES, new CRC32C()));
        return footer.flip();
    }

    /**
     * Checks that {@code footer} (32 bytes from index 0), read at {@code footerOffset}, is a valid footer
     * of checkpoint {@code number}.
     *
     * @return the number of records the footer promises
     */
    public static long checkFooter(ByteBuffer footer, long footerOffset, long number) throws CorruptCheckpointException {
        byte[] bytes = footer.array();
        int start = footer.arrayOffset();
        if (footer.getInt(0) != END_MARKER
                || footer.getInt(4) != frameCrc(bytes, start, FOOTER_BYTES - FRAME_HEADER_BYTES, new CRC32C())) {
            throw new CorruptCheckpointException("no valid footer in the last " + FOOTER_BYTES
                    + " bytes: the checkpoint is incomplete, damaged or has bytes after its end", footerOffset);
        }
        if (footer.getLong(16) != footerOffset) {
            throw new CorruptCheckpointException("footer says it starts at offset " + footer.getLong(16)
                    + ", not where it is", footerOffset);
        }
        if (footer.getLong(24) != number) {
            throw new CorruptCheckpointException("footer names checkpoint " + footer.getLong(24) + ", not " + number,
                    footerOffset);
        }
        long count = footer.getLong(8);
        long maxCount = (footerOffset - HEADER_BYTES) / (FRAME_HEADER_BYTES + MIN_BODY_BYTES);
        if (count < 0 || count > maxCount) {
            throw new CorruptCheckpointException("footer counts " + count + " records, impossible in "
                    + (footerOffset - HEADER_BYTES) + " bytes", footerOffset);
        }
        return count;
    }

    /**
     * Encodes one frame at {@code out}'s position, which must have room for
     * {@code 8 + bodyBytes(key.length, valueLength)} bytes; {@code record} is a packed {@link Record}.
     * {@code out} must be backed by an array.
     */
    static void putFrame(ByteBuffer out, byte[] key, byte[] record, CRC32C crc) {
        int start = out.position();
        int valueLength = Record.valueLength(record);
        int body = (int) bodyBytes(key.length, valueLength);
        out.putInt(body).putInt(0).putShort((short) key.length).put(key).putLong(Record.version(record)).putInt(valueLength)
                .put(record, Record.VALUE_OFFSET, valueLength);
        out.putInt(start + 4, frameCrc(out.array(), out.arrayOffset() + start, body, crc));
    }

    /**
     * The masked CRC32C over the 4 length bytes at {@code start} and the {@code bodyLength} bytes at
     * {@code start + 8}: what a frame's (and the footer's) CRC field must hold.
     */
    static int frameCrc(byte[] bytes, int start, int bodyLength, CRC32C crc) {
        crc.reset();
        crc.update(bytes, start, 4);
        crc.update(bytes, start + FRAME_HEADER_BYTES, bodyLength);
        return Checksums.mask((int) crc.getValue());
    }

    /** The UTF-8 bytes of {@code key}; refuses an empty key, one too long for the format, or one with a lone surrogate. */
    static byte[] keyBytes(String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("a checkpoint key must have 1.." + MAX_KEY_BYTES + " bytes, not "
                    + bytes.length);
        }
        for (int i = 0; i < key.length(); i++) { // getBytes would silently turn a lone surrogate into '?'
            char c = key.charAt(i);
            if (!Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < key.length() && Character.isLowSurrogate(key.charAt(i + 1))) {
                i++;
            } else {
                throw new IllegalArgumentException("a checkpoint key must be valid Unicode: lone surrogate at index " + i);
            }
        }
        return bytes;
    }

    /** A strict UTF-8 decoder for {@link #decodeBody}; not thread-safe, one per read. */
    static CharsetDecoder keyDecoder() {
        return Utf8.strictDecoder();
    }

    /**
     * Decodes the body of the frame at file offset {@code frameOffset}, whose CRC already matched:
     * {@code length} bytes of {@code bytes} from {@code start}. A body that passes its CRC but breaks a
     * rule of the format was written that way or crafted; one that breaks a configured limit was
     * written under larger limits. Either is a {@link CorruptCheckpointException}.
     */
    static CheckpointEntry decodeBody(byte[] bytes, int start, int length, Limits limits, CharsetDecoder decoder,
            long frameOffset) throws CorruptCheckpointException {
        if (length < MIN_BODY_BYTES) {
            throw new CorruptCheckpointException("record body of " + length + " bytes is too short", frameOffset);
        }
        int keyLength = ((bytes[start] & 0xFF) << 8) | (bytes[start + 1] & 0xFF);
        if (keyLength == 0) {
            throw new CorruptCheckpointException("record has an empty key", frameOffset);
        }
        if (keyLength > length - BODY_OVERHEAD_BYTES) {
            throw new CorruptCheckpointException("record key of " + keyLength + " bytes runs past its body of "
                    + length + " bytes", frameOffset);
        }
        int versionAt = start + 2 + keyLength;
        long version = ByteBuffer.wrap(bytes, versionAt, 12).getLong();
        int valueLength = ByteBuffer.wrap(bytes, versionAt + 8, 4).getInt();
        checkLengths(keyLength, valueLength, length, limits, frameOffset);
        String key = decodeKey(bytes, start + 2, keyLength, decoder, frameOffset);
        return CheckpointEntry.of(key, Record.pack(version, bytes, versionAt + 12, valueLength));
    }

    /**
     * Checks a CRC-valid record's key and value lengths against the limits and against its body length
     * ({@code valueLength} may be anything read from the file).
     */
    static void checkLengths(int keyLength, long valueLength, long bodyLength, Limits limits, long frameOffset)
            throws CorruptCheckpointException {
        if (keyLength > limits.maxKeyLength()) {
            throw new CorruptCheckpointException(overLimit("key", keyLength, "maxKeyLength", limits.maxKeyLength()),
                    frameOffset);
        }
        if (valueLength < 0) {
            throw new CorruptCheckpointException("record has a negative value length " + valueLength, frameOffset);
        }
        if (valueLength > limits.maxValueLength()) {
            throw new CorruptCheckpointException(overLimit("value", valueLength, "maxValueLength",
                    limits.maxValueLength()), frameOffset);
        }
        if (bodyBytes(keyLength, valueLength) != bodyLength) {
            throw new CorruptCheckpointException("record length " + bodyLength + " disagrees with its key of "
                    + keyLength + " bytes and value of " + valueLength + " bytes", frameOffset);
        }
    }

    private static String overLimit(String what, long bytes, String limitName, int limit) {
        return "record " + what + " of " + bytes + " bytes is over " + limitName + " " + limit
                + ": the checkpoint was written under larger limits; reopen with " + limitName + " of at least "
                + bytes;
    }

    private static String decodeKey(byte[] bytes, int start, int length, CharsetDecoder decoder, long frameOffset)
            throws CorruptCheckpointException {
        String key = Utf8.decode(bytes, start, length, decoder);
        if (key == null) {
            throw new CorruptCheckpointException("record key is not valid UTF-8", frameOffset);
        }
        return key;
    }
}
