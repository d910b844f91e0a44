/**
 * The in-memory records: {@link io.coffer.internal.records.RecordStore} (a committed layer readers see and
 * a staged layer for changes not yet synced) and {@link io.coffer.internal.records.KeyLocks} (per-key
 * locks, taken in key order). The committed layer is a {@link io.coffer.internal.records.RecordTable}
 * (records by key) beside a {@code SortedKeyIndex} (the keys in order, a B+tree whose inner nodes keep their
 * separators summarised in a {@code SeparatorHeads}), both written by one thread and read without locks.
 *
 * <p>Any thread reads the committed layer; only the applying thread (the batcher while running) changes
 * it; only a writer holding a key's lock stages a state for that key.
 */
package io.coffer.internal.records;
