package io.coffer.reports;

/**
 * What a {@link Code} means for the caller.
 *
 * <ul>
 *   <li>{@link #OK}: the operation was done.</li>
 *   <li>{@link #ERROR}: the operation was not done and changed nothing; the database keeps working.</li>
 *   <li>{@link #PANIC}: the operation was not done; the database is stopped or has failed and will
 *       accept no more changes until it is closed and opened again.</li>
 * </ul>
 */
public enum Severity {
    OK,
    ERROR,
    PANIC
}
