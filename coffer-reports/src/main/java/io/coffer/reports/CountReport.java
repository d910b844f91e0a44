package io.coffer.reports;

/** The answer to {@code count()}: the number of records. */
public final class CountReport extends Report {
    private final long count;

    private CountReport(Code code, String error, long count) {
        super(code, error);
        this.count = count;
    }

    public static CountReport counted(long count) {
        return new CountReport(Code.OK, null, count);
    }

    public static CountReport failed(Code code, String error) {
        return new CountReport(code, error, 0);
    }

    /** The number of records; 0 unless OK. */
    public long count() {
        return count;
    }
}
