/**
 * The I/O seam: {@link io.coffer.internal.io.Storage} is the one interface through which the engine
 * creates, writes, forces, reads, renames and deletes files and forces the directory.
 * {@link io.coffer.internal.io.NioStorage} is the production implementation; tests substitute one that
 * fails, half-writes or drops unforced data.
 *
 * <p>Called by the batcher thread (the open log), the follower thread (checkpoints, deletions), and the
 * thread running {@code create()} or {@code stop()} (recovery, the final checkpoint); never two of them on
 * the same file at once.
 */
package io.coffer.internal.io;
