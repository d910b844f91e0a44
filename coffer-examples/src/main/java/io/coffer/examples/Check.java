package io.coffer.examples;

import io.coffer.reports.Code;
import io.coffer.reports.Report;

/**
 * The one rule every example follows: look at every report. {@link #ok} passes an OK report through and
 * turns any other into a {@link Failed} that names the call, so an example reads as a straight line and
 * its {@code main} prints the failure and exits non-zero.
 *
 * <pre>{@code
 * byte[] value = Check.ok(db.read("greeting"), "read greeting").data();
 * }</pre>
 */
public final class Check {
    private Check() {
    }

    /** Returns {@code report} when its code is OK; otherwise throws {@link Failed} naming {@code what}. */
    public static <R extends Report> R ok(R report, String what) {
        if (!report.isCodeOk()) {
            throw new Failed(what, report);
        }
        return report;
    }

    /** A call answered with a code other than OK. The message reads "what: CODE: error". */
    public static final class Failed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final Code code;

        Failed(String what, Report report) {
            super(what + ": " + report);
            this.code = report.code();
        }

        /** The code of the report that was not OK. */
        public Code code() {
            return code;
        }
    }
}
