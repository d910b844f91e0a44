package io.coffer.internal.records;

/**
 * The newest state of one key that has been handed to the batcher but not yet synced: a record, or a
 * deletion when {@link #record()} is null.
 *
 * <p>Compared by identity: the batcher removes exactly the staged state it applied, never a newer one.
 */
public final class Staged {
    private final Record record;

    public Staged(Record record) {
        this.record = record;
    }

    /** The staged record, or null for a staged deletion. */
    public Record record() {
        return record;
    }
}
