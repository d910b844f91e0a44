package io.coffer.reports;

import java.util.Map;

/** The answer to {@code transaction}: the new values the handler gave, as committed. */
public final class TransactionReport extends Report {
    private final Map<String, byte[]> data;

    private TransactionReport(Code code, String error, Map<String, byte[]> data) {
        super(code, error);
        this.data = Bytes.unmodifiableCopy(data);
    }

    public static TransactionReport committed(Map<String, byte[]> data) {
        return new TransactionReport(Code.OK, null, data);
    }

    public static TransactionReport failed(Code code, String error) {
        return new TransactionReport(code, error, null);
    }

    /** The new values (a fresh copy on every call); empty unless OK. */
    public Map<String, byte[]> data() {
        return Bytes.copy(data);
    }
}
