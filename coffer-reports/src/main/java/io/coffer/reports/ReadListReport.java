package io.coffer.reports;

import java.util.List;
import java.util.Map;

/** The answer to {@code readList(keys)}: the records found and the keys that were not. */
public final class ReadListReport extends Report {
    private final Map<String, byte[]> data;
    private final List<String> notFound;

    private ReadListReport(Code code, String error, Map<String, byte[]> data, List<String> notFound) {
        super(code, error);
        this.data = Bytes.unmodifiableCopy(data);
        this.notFound = Bytes.copy(notFound);
    }

    public static ReadListReport of(Code code, String error, Map<String, byte[]> data, List<String> notFound) {
        return new ReadListReport(code, error, data, notFound);
    }

    public static ReadListReport failed(Code code, String error) {
        return new ReadListReport(code, error, null, null);
    }

    /** The records found (a fresh copy on every call, in request order). */
    public Map<String, byte[]> data() {
        return Bytes.copy(data);
    }

    /** The keys that were not found, in request order. */
    public List<String> notFound() {
        return notFound;
    }
}
