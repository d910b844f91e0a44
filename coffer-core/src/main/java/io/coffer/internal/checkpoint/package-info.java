/**
 * Checkpoints: {@link io.coffer.internal.checkpoint.CheckpointFormat} owns the {@code .checkpoint}
 * format (drawn in its javadoc), {@link io.coffer.internal.checkpoint.CheckpointWriter} writes one to
 * {@code N.check} and publishes it durably as {@code N.checkpoint} (force, rename, directory sync), and
 * {@link io.coffer.internal.checkpoint.CheckpointReader} validates every byte of one while handing its
 * records on, refusing anything incomplete, damaged, crafted or over the configured limits with a
 * {@link io.coffer.internal.checkpoint.CorruptCheckpointException}.
 *
 * <p>All file access goes through {@link io.coffer.internal.io.Storage}. The classes are stateless
 * (each call owns its buffers) and called by the follower thread (writing checkpoints, and reading one
 * back when it needs to) and by the thread running recovery in {@code create()} (reading the newest
 * checkpoint) or {@code stop()} (writing the final checkpoint); never two of them on the same file at
 * once.
 */
package io.coffer.internal.checkpoint;
