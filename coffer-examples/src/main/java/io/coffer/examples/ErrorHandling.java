package io.coffer.examples;

import static io.coffer.examples.FinanceHandlers.amount;
import static io.coffer.examples.FinanceHandlers.balance;

import io.coffer.CreateReport;
import io.coffer.Db;
import io.coffer.DbBuilder;
import io.coffer.reports.Code;
import io.coffer.reports.Report;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a caller does with each class of code. Every report's code has a severity, and the severity
 * decides the reaction:
 *
 * <ul>
 *   <li>OK: done; use the result.</li>
 *   <li>ERROR: not done and nothing changed; the database keeps working. Fix the request, or treat the
 *       answer as information (a key is absent, a handler said no), and carry on.</li>
 *   <li>PANIC: the database is not running or cannot go on. Stop using that {@code Db}: {@code close()} it,
 *       then {@code create()} and {@code start()} a new one on the same directory. What was acknowledged OK
 *       is still there.</li>
 * </ul>
 *
 * The tour provokes four ERROR codes, then a PANIC by writing after {@code stop()}, and recovers by reopening.
 */
public final class ErrorHandling {
    static final String ALICE = "acct/alice";

    private ErrorHandling() {
    }

    /** One call of the tour: what was tried, the code it answered, its message, and the caller's reaction. */
    public record Step(String call, Code code, String error, String reaction) {
    }

    /** The steps in order, and Alice's balance read right after the refused debit. */
    public record Result(List<Step> steps, long aliceAfterRefusedDebit) {
        public List<Code> codes() {
            return steps.stream().map(Step::code).toList();
        }
    }

    public static void main(String[] args) throws IOException {
        try {
            run(Files.createTempDirectory("coffer-errors-"));
        } catch (Check.Failed e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }

    public static Result run(Path dir) {
        List<Step> steps = new ArrayList<>();
        long aliceAfterRefusedDebit;

        Db db = open(dir);
        try {
            Check.ok(db.start(), "start");
            Check.ok(db.write(ALICE, amount(100)), "write alice");

            steps.add(react("read a key that does not exist", db.read("acct/bob")));

            String longKey = "k".repeat(DbBuilder.DEFAULT_MAX_KEY_LENGTH + 1);
            steps.add(react("write a key of " + longKey.length() + " bytes", db.write(longKey, amount(1))));

            steps.add(react("strict writeList of a key that exists", db.writeList(Map.of(ALICE, amount(0)), true)));

            steps.add(react("debit 150 from Alice's 100",
                    db.transaction(FinanceHandlers.DEBIT, List.of(ALICE), amount(150))));
            aliceAfterRefusedDebit = balance(Check.ok(db.read(ALICE), "read alice").data());
            System.out.println("    Alice still has " + aliceAfterRefusedDebit + ": the refused debit changed nothing");

            Check.ok(db.stop(), "stop");
            steps.add(react("write after stop()", db.write(ALICE, amount(1))));
        } finally {
            db.close();
        }

        // The reaction to a PANIC: a new Db on the same directory.
        try (Db reopened = open(dir)) {
            Check.ok(reopened.start(), "start after reopening");
            steps.add(react("read Alice after reopening", reopened.read(ALICE)));
            Check.ok(reopened.stop(), "stop");
        }
        return new Result(steps, aliceAfterRefusedDebit);
    }

    /** Decides what to do from the code's severity (and, for ERRORs worth telling apart, from the code). */
    static Step react(String call, Report report) {
        String reaction = switch (report.code().severity()) {
            case OK -> "done: use the result";
            case ERROR -> switch (report.code()) {
                case ERR_NOT_FOUND -> "not there: use a default or tell the user; carry on";
                case ERR_HANDLER_RETURN -> "the handler said no (see the message); nothing changed, carry on";
                default -> "not done, nothing changed: fix the request; the database keeps working";
            };
            case PANIC -> "database not running: close() this Db, create() and start() a new one on the directory";
        };
        Step step = new Step(call, report.code(), report.error(), reaction);
        System.out.println();
        System.out.println(call);
        System.out.println("    " + report.code() + " (" + report.code().severity() + ")"
                + (report.error() == null ? "" : ": " + report.error()));
        System.out.println("    -> " + reaction);
        return step;
    }

    private static Db open(Path dir) {
        CreateReport created = Check.ok(Db.builder(dir).handlers(FinanceHandlers.all()).create(), "create " + dir);
        created.warnings().forEach(warning -> System.err.println("warning: " + warning));
        return created.db();
    }
}
