package io.coffer.internal.files;

/**
 * The configured size limits, which also bound what a reader will allocate for a record read from a
 * file: a crafted file can never make a reader allocate more than these allow.
 *
 * @param maxKeyLength        most UTF-8 bytes in a key
 * @param maxValueLength      most bytes in a value
 * @param maxRecsPerOperation most records one operation changes
 */
public record Limits(int maxKeyLength, int maxValueLength, int maxRecsPerOperation) {
    /** Most UTF-8 bytes in a handler name. */
    public static final int MAX_HANDLER_NAME_LENGTH = 255;

    /** The size of the largest record payload one operation can need: every key and value at its limit. */
    public long maxOperationBytes() {
        return 64L + MAX_HANDLER_NAME_LENGTH + (long) maxRecsPerOperation * (2 + 8 + 4 + maxKeyLength + (long) maxValueLength);
    }
}
