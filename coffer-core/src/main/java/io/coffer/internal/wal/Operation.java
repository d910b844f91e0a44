package io.coffer.internal.wal;

import java.util.List;

/**
 * One logged operation: the after-image of every record it changed. Replay applies the changes as they
 * are, so it never depends on handler code.
 *
 * @param sequence the operation's number; operations are numbered 1, 2, 3... across all logs
 * @param kind     what the caller asked for (kept for audit and the dump tool)
 * @param handler  the handler's name for a transaction, else the empty string
 * @param changes  the records' new states, applied together or not at all
 */
public record Operation(long sequence, Kind kind, String handler, List<Change> changes) {

    /** What produced an operation. The byte is stored in the log and never renumbered. */
    public enum Kind {
        WRITE((byte) 1),
        DELETE((byte) 2),
        TRANSACTION((byte) 3);

        /** {@code values()} clones its array on every call; replay asks once per operation. */
        private static final Kind[] ALL = values();

        private final byte code;

        Kind(byte code) {
            this.code = code;
        }

        public byte code() {
            return code;
        }

        /** The kind stored as {@code code}, or null for a byte no version of Coffer wrote. */
        public static Kind of(byte code) {
            for (Kind kind : ALL) {
                if (kind.code == code) {
                    return kind;
                }
            }
            return null;
        }
    }
}
