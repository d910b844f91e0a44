package io.coffer.internal.checkpoint;

import java.io.IOException;

/**
 * A {@code .checkpoint} file that must not be loaded: it is incomplete, damaged, crafted, belongs to
 * another number, or holds a record over the configured limits. The message names what is wrong and
 * the byte offset; the caller adds the file's name.
 */
public final class CorruptCheckpointException extends IOException {
    private static final long serialVersionUID = 1L;

    /** What is wrong, without the offset. */
    private final String problem;
    private final long offset;

    public CorruptCheckpointException(String problem, long offset) {
        super(problem + " (offset " + offset + ")");
        this.problem = problem;
        this.offset = offset;
    }

    public CorruptCheckpointException(String problem, long offset, Throwable cause) {
        this(problem, offset);
        initCause(cause);
    }

    /** What is wrong, without the offset. */
    public String problem() {
        return problem;
    }

    /** The byte offset in the file at which the problem was found. */
    public long offset() {
        return offset;
    }
}
