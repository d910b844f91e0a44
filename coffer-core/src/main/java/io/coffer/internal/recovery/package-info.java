/**
 * Startup recovery ({@link io.coffer.internal.recovery.Recovery}): newest valid checkpoint, then every later
 * log, with the torn-tail and corruption rules of GUARANTEES.md 9-11. Runs on the thread calling
 * {@code create()} before any other thread of the database exists (or on the follower thread, read only),
 * with one helper, {@link io.coffer.internal.recovery.LogReadAhead} ("coffer-log-reader"), that reads and
 * decodes the logs ahead; every decision stays on the recovering thread. {@link
 * io.coffer.internal.recovery.KeyOrder} gives the recovered keys in order for the sorted index, sorting with
 * {@link io.coffer.internal.recovery.KeySort}.
 */
package io.coffer.internal.recovery;
