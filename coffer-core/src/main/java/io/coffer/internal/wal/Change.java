package io.coffer.internal.wal;

/**
 * One record's state after an operation: its new value and version, or its deletion.
 *
 * @param key     the record's key
 * @param value   the new value, or null when the record was deleted; never modified once built
 * @param version the record's version after the operation (1 for a new record); 0 for a deletion
 */
public record Change(String key, byte[] value, long version) {
    public boolean isDelete() {
        return value == null;
    }
}
