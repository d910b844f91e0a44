package io.coffer.reports;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test fixture: one report of every kind (and through every factory) carrying a given code. */
final class AllReports {
    private AllReports() {
    }

    /**
     * Every report type built with {@code code} and {@code message}, through each factory that takes a
     * code; for {@link Code#OK} also through the success factories.
     */
    static List<Report> everyKindOf(Code code, String message) {
        List<Report> reports = new ArrayList<>(List.of(
                Report.of(code, message),
                ReadReport.failed(code, message),
                ReadListReport.of(code, message, Map.of("found", new byte[] {1}), List.of("missing")),
                ReadListReport.failed(code, message),
                WriteListReport.of(code, message, List.of("existing")),
                WriteListReport.failed(code, message),
                DeleteListReport.of(code, message, List.of("removed"), List.of("missing")),
                DeleteListReport.failed(code, message),
                TransactionReport.failed(code, message),
                CountReport.failed(code, message),
                RecordsListReport.failed(code, message)));
        if (code == Code.OK) {
            reports.addAll(List.of(
                    Report.ok(),
                    ReadReport.found(new byte[] {1, 2}, 1),
                    TransactionReport.committed(Map.of("key", new byte[] {3})),
                    CountReport.counted(3),
                    RecordsListReport.listed(List.of("a", "b"))));
        }
        return reports;
    }

    /** A short name of the report for assertion messages: its type and code. */
    static String describe(Report report) {
        return report.getClass().getSimpleName() + "(" + report.code() + ")";
    }
}
