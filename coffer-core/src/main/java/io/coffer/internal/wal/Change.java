package io.coffer.internal.wal;

import io.coffer.internal.records.Record;
import java.util.Objects;

/**
 * One record's state after an operation: its new value and version, or its deletion.
 *
 * <p>The value and version are held as a packed {@link Record}, the very array the store will hold once the
 * change is synced, so a write or a replayed change allocates its record once.
 */
public final class Change {
    private final String key;
    /** The packed record, or null for a deletion; never modified once built. */
    private final byte[] record;

    private Change(String key, byte[] record) {
        this.key = Objects.requireNonNull(key, "key");
        this.record = record;
    }

    /**
     * The change of {@code key} to a copy of {@code value} at {@code version} (1 for a new record), or its
     * deletion when {@code value} is null.
     */
    public Change(String key, byte[] value, long version) {
        this(key, value == null ? null : Record.pack(version, value));
    }

    /** The change of {@code key} to {@code record}, a packed {@link Record} the change adopts without copying. */
    public static Change of(String key, byte[] record) {
        return new Change(key, Objects.requireNonNull(record, "record"));
    }

    /** The deletion of {@code key}. */
    public static Change delete(String key) {
        return new Change(key, null);
    }

    public String key() {
        return key;
    }

    public boolean isDelete() {
        return record == null;
    }

    /** The packed record (shared, never to be modified), or null for a deletion. */
    public byte[] record() {
        return record;
    }

    /** The version after the operation; 0 for a deletion. */
    public long version() {
        return record == null ? 0 : Record.version(record);
    }

    /** The value's length in bytes; -1 for a deletion. */
    public int valueLength() {
        return record == null ? -1 : Record.valueLength(record);
    }

    /** A copy of the new value, or null for a deletion. */
    public byte[] value() {
        return record == null ? null : Record.value(record);
    }

    @Override
    public String toString() {
        return isDelete() ? "Change[" + key + " deleted]" : "Change[" + key + " v" + version() + ", " + valueLength() + " bytes]";
    }
}
