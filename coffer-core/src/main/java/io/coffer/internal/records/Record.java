package io.coffer.internal.records;

/**
 * A stored record: its value and version. Immutable: the value array is never changed after the record
 * is built, so it can be shared by the store, the log writer and checkpoints without copying. Callers
 * get copies at the API boundary.
 *
 * @param value   the value bytes, never null
 * @param version 1 for a new record, one more for every change
 */
public record Record(byte[] value, long version) {
}
