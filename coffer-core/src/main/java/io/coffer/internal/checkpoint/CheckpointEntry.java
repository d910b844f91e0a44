package io.coffer.internal.checkpoint;

import io.coffer.internal.records.Record;
import java.util.Arrays;
import java.util.Objects;

/**
 * One live record as a checkpoint stores it. Deletions are never checkpointed: a key that is absent
 * from the checkpoint is absent from the database.
 *
 * <p>The value and version are held as a packed {@link Record}, not copied: the writer only reads the
 * store's records, and an entry handed out by the reader owns a fresh record that recovery adopts as is.
 */
public final class CheckpointEntry {
    private final String key;
    /** The packed record; never null, never modified. */
    private final byte[] record;

    private CheckpointEntry(String key, byte[] record) {
        this.key = Objects.requireNonNull(key, "key");
        this.record = Objects.requireNonNull(record, "record");
    }

    /**
     * An entry of {@code key} holding a copy of {@code value} at {@code version}.
     *
     * @param key     the key, 1..maxKeyLength bytes of UTF-8 (at most 65535)
     * @param value   the value, 0..maxValueLength bytes; never null
     * @param version the record's version
     */
    public CheckpointEntry(String key, byte[] value, long version) {
        this(key, Record.pack(version, Objects.requireNonNull(value, "value")));
    }

    /** An entry of {@code key} adopting {@code record}, a packed {@link Record}, without copying it. */
    public static CheckpointEntry of(String key, byte[] record) {
        return new CheckpointEntry(key, record);
    }

    public String key() {
        return key;
    }

    /** The packed record (shared, never to be modified). */
    public byte[] record() {
        return record;
    }

    public long version() {
        return Record.version(record);
    }

    public int valueLength() {
        return Record.valueLength(record);
    }

    /** A copy of the value. */
    public byte[] value() {
        return Record.value(record);
    }

    /** Equal when key, version and the value's bytes are equal. */
    @Override
    public boolean equals(Object other) {
        return other instanceof CheckpointEntry entry && key.equals(entry.key) && Arrays.equals(record, entry.record);
    }

    @Override
    public int hashCode() {
        return key.hashCode() * 31 + Arrays.hashCode(record);
    }

    @Override
    public String toString() {
        return "CheckpointEntry[key=" + key + ", version=" + version() + ", value=" + valueLength() + " bytes]";
    }
}
