/**
 * Group commit: {@link io.coffer.internal.batch.Batcher} is the one thread ("coffer-batcher") that owns the
 * open log; callers submit a {@link io.coffer.internal.batch.LogRequest} from any thread and wait on it.
 * Completion happens only after the force, and after the committed records show the change.
 */
package io.coffer.internal.batch;
