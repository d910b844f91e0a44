package io.coffer.reports;

import java.util.List;

/** The answer to {@code deleteListStrict} and {@code deleteListOptional}. */
public final class DeleteListReport extends Report {
    private final List<String> removed;
    private final List<String> notFound;

    private DeleteListReport(Code code, String error, List<String> removed, List<String> notFound) {
        super(code, error);
        this.removed = Bytes.copy(removed);
        this.notFound = Bytes.copy(notFound);
    }

    public static DeleteListReport of(Code code, String error, List<String> removed, List<String> notFound) {
        return new DeleteListReport(code, error, removed, notFound);
    }

    public static DeleteListReport failed(Code code, String error) {
        return new DeleteListReport(code, error, null, null);
    }

    /** The keys this call deleted, in request order. */
    public List<String> removed() {
        return removed;
    }

    /** The keys that did not exist, in request order. */
    public List<String> notFound() {
        return notFound;
    }
}
