package io.coffer.reports;

import java.util.Arrays;

/** The answer to {@code read(key)}: the value and its version when found. */
public final class ReadReport extends Report {
    private final byte[] data;
    private final long version;

    /** Adopts {@code data}, which the caller must not keep. */
    private ReadReport(Code code, String error, byte[] data, long version) {
        super(code, error);
        this.data = data;
        this.version = version;
    }

    /** An OK report holding a copy of {@code data}. */
    public static ReadReport found(byte[] data, long version) {
        return new ReadReport(Code.OK, null, Bytes.copy(data), version);
    }

    /**
     * An OK report holding a copy of the {@code length} bytes of {@code source} from {@code offset}: for an
     * engine that stores a value inside a larger array, so a read copies once.
     */
    public static ReadReport found(byte[] source, int offset, int length, long version) {
        return new ReadReport(Code.OK, null, Arrays.copyOfRange(source, offset, offset + length), version);
    }

    /** A report that found nothing: {@code data()} is null and {@code version()} is 0. */
    public static ReadReport failed(Code code, String error) {
        return new ReadReport(code, error, null, 0);
    }

    /** A copy of the value, or null when not found. */
    public byte[] data() {
        return Bytes.copy(data);
    }

    /** The record's version (1 for a new record, one more for every change), 0 when not found. */
    public long version() {
        return version;
    }
}
