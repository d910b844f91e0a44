/**
 * Startup recovery ({@link io.coffer.internal.recovery.Recovery}): newest valid checkpoint, then every later
 * log, with the torn-tail and corruption rules of GUARANTEES.md 9-11. Runs on the thread calling
 * {@code create()} before any other thread of the database exists.
 */
package io.coffer.internal.recovery;
