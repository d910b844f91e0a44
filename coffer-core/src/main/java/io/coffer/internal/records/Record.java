package io.coffer.internal.records;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A stored record in memory: its version and its value packed into one array.
 *
 * <pre>
 *   0               8                        8 + n
 *   +---------------+------------------------+
 *   | version       | value (n bytes)        |
 *   | long, big-end.|                        |
 *   +---------------+------------------------+
 * </pre>
 *
 * <p>Why one array and not an object holding the value and the version: the store keeps every record in
 * memory, and such an object costs 24 bytes per record plus one more pointer to follow on every read and
 * one more object for the collector to copy while a million records are recovered. Packed, the version
 * costs its 8 bytes.
 *
 * <p>Immutable by convention: an array is never changed once packed, so the store, the staged layer, the
 * log writer and checkpoints share it without copying. Callers outside the engine get copies of the value.
 */
public final class Record {
    /** Where the value starts in a packed record. */
    public static final int VALUE_OFFSET = 8;

    private static final VarHandle VERSION = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Record() {
    }

    /** A packed record holding a copy of {@code value}. */
    public static byte[] pack(long version, byte[] value) {
        return pack(version, value, 0, value.length);
    }

    /** A packed record holding a copy of the {@code length} bytes of {@code source} from {@code offset}. */
    public static byte[] pack(long version, byte[] source, int offset, int length) {
        byte[] record = withVersion(version, length);
        System.arraycopy(source, offset, record, VALUE_OFFSET, length);
        return record;
    }

    /**
     * A packed record of {@code version} whose {@code valueLength} value bytes are still zero, for a
     * decoder to fill from {@link #VALUE_OFFSET} before anyone else sees it.
     */
    public static byte[] withVersion(long version, int valueLength) {
        byte[] record = new byte[VALUE_OFFSET + valueLength];
        VERSION.set(record, 0, version);
        return record;
    }

    /** The version of a packed record: 1 for a new record, one more for every change. */
    public static long version(byte[] record) {
        return (long) VERSION.get(record, 0);
    }

    /** The length of a packed record's value. */
    public static int valueLength(byte[] record) {
        return record.length - VALUE_OFFSET;
    }

    /** A copy of a packed record's value. */
    public static byte[] value(byte[] record) {
        return Arrays.copyOfRange(record, VALUE_OFFSET, record.length);
    }
}
