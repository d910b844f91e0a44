package io.coffer.internal;

/**
 * A deliberately broken protocol step, which exists only so that the reliability suite can prove it would
 * catch each one (reliability goal R17: mutation testing of the suite itself). Production never sets it.
 *
 * <p>The switch is read once, when this class is initialized, from the system property
 * {@code coffer.mutation} (a constant name); it is {@link #NONE} when the property is absent or unknown, so
 * every hook is a comparison with a constant that the JIT folds away. The suite sets it in a child JVM
 * ({@code io.coffer.reliability.MutationTest}).
 */
public enum Mutation {
    /** Every step as designed: the only value production ever sees. */
    NONE,
    /** New logs and checkpoints are not followed by a sync of the directory entry. */
    SKIP_DIRECTORY_SYNC,
    /** The batcher acknowledges a batch without forcing the log. */
    ACK_BEFORE_FORCE,
    /** Readers accept log frames and checkpoint records whose CRC does not match. */
    SKIP_CRC_CHECK,
    /** The logs a checkpoint covers are deleted before that checkpoint is written and durable. */
    DELETE_BEFORE_CHECKPOINT_DURABLE,
    /** Recovery builds on the last frame of the last log as read, without writing it again and forcing it. */
    SKIP_LAST_FRAME_REWRITE;

    private static final Mutation ACTIVE = parse(System.getProperty("coffer.mutation"));

    /** The mutation this JVM runs with; {@link #NONE} unless {@code -Dcoffer.mutation} named one. */
    public static Mutation active() {
        return ACTIVE;
    }

    private static Mutation parse(String name) {
        for (Mutation mutation : values()) {
            if (mutation.name().equals(name)) {
                return mutation;
            }
        }
        return NONE;
    }
}
