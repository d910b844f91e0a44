package io.coffer.reports;

import java.util.List;

/** The answer to the key listings: keys sorted ascending by {@link String#compareTo}. */
public final class RecordsListReport extends Report {
    private final List<String> keys;

    private RecordsListReport(Code code, String error, List<String> keys) {
        super(code, error);
        this.keys = Bytes.copy(keys);
    }

    /** An OK report; {@code sortedKeys} must already be sorted (the engine lists them in order). */
    public static RecordsListReport listed(List<String> sortedKeys) {
        return new RecordsListReport(Code.OK, null, sortedKeys);
    }

    public static RecordsListReport failed(Code code, String error) {
        return new RecordsListReport(code, error, null);
    }

    /** The keys, sorted ascending; empty unless OK. */
    public List<String> keys() {
        return keys;
    }
}
