/**
 * The write-ahead log: {@link io.coffer.internal.wal.LogFormat} owns the {@code .log} format,
 * {@link io.coffer.internal.wal.LogWriter} appends frames (batcher thread only),
 * {@link io.coffer.internal.wal.LogReader} validates and reads them (recovery and follower threads).
 * An {@link io.coffer.internal.wal.Operation} is logged as its after-image, so replay runs no handler code.
 */
package io.coffer.internal.wal;
