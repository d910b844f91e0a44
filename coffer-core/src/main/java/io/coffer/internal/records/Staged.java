package io.coffer.internal.records;

/**
 * The newest state of one key that has been handed to the batcher but not yet synced: a packed
 * {@link Record}, or a deletion when {@link #record()} is null.
 *
 * <p>Compared by identity: the batcher removes exactly the staged state it applied, never a newer one.
 */
public final class Staged {
    private final byte[] record;

    public Staged(byte[] record) {
        this.record = record;
    }

    /** The staged packed record (never to be modified), or null for a staged deletion. */
    public byte[] record() {
        return record;
    }
}
