/**
 * Group commit: {@link io.coffer.internal.batch.Batcher} is the one thread ("coffer-batcher") that owns the
 * open log; callers submit a {@link io.coffer.internal.batch.LogRequest} from any thread and wait on it.
 * Completion happens only after the force, and after the committed records show the change. A waiting caller
 * yields for the time {@link io.coffer.internal.batch.Batcher} gave its request (the wait decision), then parks;
 * the batcher wakes only callers that parked. {@link io.coffer.internal.batch.NextLog} makes the log after the open
 * one on a thread of its own ("coffer-log-maker"), which touches nothing else; the batcher takes it at rotation.
 * The lifecycle thread stops the batcher ({@code drainAndStop}, {@code abort}); when the batcher is stuck in the
 * disk, the abort lets the maker's thread go and {@code whenExited} runs what must wait for the batcher's end.
 */
package io.coffer.internal.batch;
