package io.coffer;

import io.coffer.reports.Code;
import io.coffer.reports.Report;
import java.util.List;

/**
 * The answer to {@link DbBuilder#create()}: the database when OK, and the warnings recovery produced
 * (for example a torn record cut from the end of the last log).
 */
public final class CreateReport extends Report {
    private final Db db;
    private final List<String> warnings;

    private CreateReport(Code code, String error, Db db, List<String> warnings) {
        super(code, error);
        this.db = db;
        this.warnings = List.copyOf(warnings);
    }

    static CreateReport created(Db db, List<String> warnings) {
        return new CreateReport(Code.OK, null, db, warnings);
    }

    static CreateReport failed(Code code, String error, List<String> warnings) {
        return new CreateReport(code, error, null, warnings);
    }

    /** The recovered database in state CREATED, or null unless the code is OK. */
    public Db db() {
        return db;
    }

    /** What recovery tolerated and you should know about; empty when all was clean. */
    public List<String> warnings() {
        return warnings;
    }
}
