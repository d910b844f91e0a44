package io.coffer.internal.checkpoint;

import java.util.Arrays;
import java.util.Objects;

/**
 * One live record as a checkpoint stores it. Deletions are never checkpointed: a key that is absent
 * from the checkpoint is absent from the database.
 *
 * <p>The value array is not copied: the writer only reads it, and an entry handed out by the reader
 * owns a fresh array.
 *
 * @param key     the key, 1..maxKeyLength bytes of UTF-8 (at most 65535)
 * @param value   the value, 0..maxValueLength bytes; never null
 * @param version the record's version
 */
public record CheckpointEntry(String key, byte[] value, long version) {
    public CheckpointEntry {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    /** Equal when key, version and the value's bytes are equal. */
    @Override
    public boolean equals(Object other) {
        return other instanceof CheckpointEntry entry && key.equals(entry.key) && version == entry.version
                && Arrays.equals(value, entry.value);
    }

    @Override
    public int hashCode() {
        return (key.hashCode() * 31 + Long.hashCode(version)) * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "CheckpointEntry[key=" + key + ", version=" + version + ", value=" + value.length + " bytes]";
    }
}
