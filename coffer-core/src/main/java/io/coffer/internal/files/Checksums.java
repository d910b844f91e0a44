package io.coffer.internal.files;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * CRC32C as stored in Coffer's files: masked the way LevelDB masks its CRCs, so that a run of zero
 * bytes (whose plain CRC32C is 0) never validates as a record.
 */
public final class Checksums {
    private static final int MASK_DELTA = 0xa282ead8;

    private Checksums() {
    }

    /** The masked CRC32C of {@code length} bytes of {@code buffer} from {@code offset}; the buffer's position is unchanged. */
    public static int masked(ByteBuffer buffer, int offset, int length) {
        CRC32C crc = new CRC32C();
        ByteBuffer slice = buffer.duplicate();
        slice.limit(offset + length).position(offset);
        crc.update(slice);
        return mask((int) crc.getValue());
    }

    /** The masked CRC32C of {@code length} bytes of {@code bytes} from {@code offset}. */
    public static int masked(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return mask((int) crc.getValue());
    }

    /** Masks a plain CRC32C value. */
    public static int mask(int crc) {
        return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
    }
}
