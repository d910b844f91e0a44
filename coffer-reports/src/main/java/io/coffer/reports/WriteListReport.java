package io.coffer.reports;

import java.util.List;

/** The answer to {@code writeList}: the keys that existed before the call. */
public final class WriteListReport extends Report {
    private final List<String> found;

    private WriteListReport(Code code, String error, List<String> found) {
        super(code, error);
        this.found = Bytes.copy(found);
    }

    public static WriteListReport of(Code code, String error, List<String> found) {
        return new WriteListReport(code, error, found);
    }

    public static WriteListReport failed(Code code, String error) {
        return new WriteListReport(code, error, null);
    }

    /** Keys that already existed: overwritten (optional mode) or the reason for refusal (strict mode). */
    public List<String> found() {
        return found;
    }
}
