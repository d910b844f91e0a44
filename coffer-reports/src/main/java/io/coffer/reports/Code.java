package io.coffer.reports;

import java.util.HashMap;
import java.util.Map;

/**
 * The outcome of every Coffer call.
 *
 * <p>Each constant has a stable number ({@link #value()}) that is never changed or reused; new codes
 * are appended. Its {@link Severity} is an attribute of the constant, not derived from the number, so
 * a code appended later keeps its class.
 */
public enum Code {
    /** Done. */
    OK(0, Severity.OK, "done"),
    /** Not done; the database keeps working. */
    ERROR(1, Severity.ERROR, "not done"),
    /** More records in one operation than {@code maxRecsPerOperation}. */
    ERR_RECORD_LIMIT_EXCEEDED(2, Severity.ERROR, "too many records in one operation"),
    /** A value longer than {@code maxValueLength} bytes. */
    ERR_EXCEEDING_MAX_VALUE_SIZE(3, Severity.ERROR, "value too long"),
    /** A key longer than {@code maxKeyLength} UTF-8 bytes. */
    ERR_EXCEEDING_MAX_KEY_LENGTH(4, Severity.ERROR, "key too long"),
    /** An empty key. */
    ERR_EXCEEDING_ZERO_KEY_LENGTH(5, Severity.ERROR, "empty key"),
    /** No handler is registered under that name. */
    ERR_HANDLER_NOT_FOUND(6, Severity.ERROR, "handler not found"),
    /** The request cannot be encoded: a null argument, duplicate keys, a key that is not valid Unicode. */
    ERR_PARSE_REQUEST(7, Severity.ERROR, "request cannot be encoded"),
    /** Free RAM or disk is below its limit; nothing was changed. */
    ERR_RESOURCES(8, Severity.ERROR, "not enough free memory or disk"),
    /** A key that must exist does not (read, delete, strict delete). */
    ERR_NOT_FOUND(9, Severity.ERROR, "key not found"),
    /** A strict write found keys that already exist; nothing was written. */
    ERR_RECORDS_FOUND(10, Severity.ERROR, "keys already exist"),
    /** A transaction names a record that does not exist. */
    ERR_READ_RECORDS(11, Severity.ERROR, "transaction records not found"),
    /** The handler threw; its message is in the report. */
    ERR_HANDLER_RETURN(12, Severity.ERROR, "handler failed"),
    /** The handler's result is not exactly the requested keys with non-null, valid values. */
    ERR_HANDLER_RESPONSE(13, Severity.ERROR, "handler answered wrongly"),
    /** Not done; the database cannot go on. */
    PANIC(14, Severity.PANIC, "the database cannot go on"),
    /** The database is not running (or is closed). */
    PANIC_STOPPED(15, Severity.PANIC, "the database is not running"),
    /** Writing or syncing the log failed; the database has stopped. */
    PANIC_WAL(16, Severity.PANIC, "writing the log failed; the database has stopped");

    private static final Map<Integer, Code> BY_VALUE = indexByValue();

    private final int value;
    private final Severity severity;
    private final String description;

    Code(int value, Severity severity, String description) {
        this.value = value;
        this.severity = severity;
        this.description = description;
    }

    /** The stable number of this code. */
    public int value() {
        return value;
    }

    /** Whether this code means done, not done, or the database cannot go on. */
    public Severity severity() {
        return severity;
    }

    /** A short default description, for messages. */
    public String description() {
        return description;
    }

    /** True for {@link Severity#OK}. */
    public boolean isOk() {
        return severity == Severity.OK;
    }

    /** True for any code of {@link Severity#ERROR}. */
    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** True for any code of {@link Severity#PANIC}. */
    public boolean isPanic() {
        return severity == Severity.PANIC;
    }

    /**
     * The code with that stable number.
     *
     * @throws IllegalArgumentException if no code has that number (the one place this module throws)
     */
    public static Code of(int value) {
        Code code = BY_VALUE.get(value);
        if (code == null) {
            throw new IllegalArgumentException("no Coffer code has the number " + value
                    + "; known numbers are 0.." + (values().length - 1));
        }
        return code;
    }

    /** Builds the number index and refuses two constants with one number (checked once, at class load). */
    private static Map<Integer, Code> indexByValue() {
        Map<Integer, Code> index = new HashMap<>();
        for (Code code : values()) {
            Code previous = index.put(code.value, code);
            if (previous != null) {
                throw new ExceptionInInitializerError(
                        "codes " + previous + " and " + code + " share the number " + code.value);
            }
        }
        return Map.copyOf(index);
    }
}
