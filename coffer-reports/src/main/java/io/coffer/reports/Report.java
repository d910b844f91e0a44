package io.coffer.reports;

import java.util.Objects;

/**
 * The answer to a Coffer call: a {@link Code} and, when it is not OK, a message a person can act on.
 *
 * <p>Reports are immutable values. Typed reports ({@link ReadReport}, {@link WriteListReport}, ...)
 * add the call's results. Byte arrays are copied in and out, so changing an array handed to or
 * taken from a report changes nothing stored.
 */
public class Report {
    private static final Report OK = new Report(Code.OK, null);

    private final Code code;
    private final String error;

    /**
     * @param code  the outcome, never null
     * @param error null when {@code code} is OK; otherwise the message (the code's description if null)
     */
    protected Report(Code code, String error) {
        this.code = Objects.requireNonNull(code, "code");
        this.error = code.isOk() ? null : (error == null || error.isBlank() ? code.description() : error);
    }

    /** The shared OK report without results. */
    public static Report ok() {
        return OK;
    }

    /** A report with that code and message (the message is ignored for {@link Code#OK}). */
    public static Report of(Code code, String error) {
        return code == Code.OK ? OK : new Report(code, error);
    }

    public final Code code() {
        return code;
    }

    /** Null when OK, otherwise what went wrong. */
    public final String error() {
        return error;
    }

    public final boolean isCodeOk() {
        return code.isOk();
    }

    /** True for every code of {@link Severity#ERROR}: not done, the database keeps working. */
    public final boolean isCodeError() {
        return code.isError();
    }

    /** True for every code of {@link Severity#PANIC}: not done, the database cannot go on. */
    public final boolean isCodePanic() {
        return code.isPanic();
    }

    public final boolean isCodeErrRecordLimitExceeded() {
        return code == Code.ERR_RECORD_LIMIT_EXCEEDED;
    }

    public final boolean isCodeErrExceedingMaxValueSize() {
        return code == Code.ERR_EXCEEDING_MAX_VALUE_SIZE;
    }

    public final boolean isCodeErrExceedingMaxKeyLength() {
        return code == Code.ERR_EXCEEDING_MAX_KEY_LENGTH;
    }

    public final boolean isCodeErrExceedingZeroKeyLength() {
        return code == Code.ERR_EXCEEDING_ZERO_KEY_LENGTH;
    }

    public final boolean isCodeErrHandlerNotFound() {
        return code == Code.ERR_HANDLER_NOT_FOUND;
    }

    public final boolean isCodeErrParseRequest() {
        return code == Code.ERR_PARSE_REQUEST;
    }

    public final boolean isCodeErrResources() {
        return code == Code.ERR_RESOURCES;
    }

    public final boolean isCodeErrNotFound() {
        return code == Code.ERR_NOT_FOUND;
    }

    public final boolean isCodeErrRecordsFound() {
        return code == Code.ERR_RECORDS_FOUND;
    }

    public final boolean isCodeErrReadRecords() {
        return code == Code.ERR_READ_RECORDS;
    }

    public final boolean isCodeErrHandlerReturn() {
        return code == Code.ERR_HANDLER_RETURN;
    }

    public final boolean isCodeErrHandlerResponse() {
        return code == Code.ERR_HANDLER_RESPONSE;
    }

    public final boolean isCodePanicStopped() {
        return code == Code.PANIC_STOPPED;
    }

    public final boolean isCodePanicWAL() {
        return code == Code.PANIC_WAL;
    }

    @Override
    public String toString() {
        return error == null ? code.name() : code.name() + ": " + error;
    }
}
