package io.coffer.internal.checkpoint;

/**
 * What a checkpoint that was read completely and validated holds.
 *
 * @param number       the checkpoint's number (the same as its file name's)
 * @param lastSequence the sequence number of the last logged operation the checkpoint covers: replay
 *                     starts after it
 * @param recordCount  how many records were handed to the sink
 * @param bytes        the file's size
 */
public record CheckpointInfo(long number, long lastSequence, long recordCount, long bytes) {
}
