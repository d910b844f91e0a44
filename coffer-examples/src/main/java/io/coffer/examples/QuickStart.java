package io.coffer.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.coffer.CreateReport;
import io.coffer.Db;
import io.coffer.Handler;
import io.coffer.reports.TransactionReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The shortest honest Coffer program: create, start, write, read, run a transaction, stop.
 *
 * <p>No Coffer call throws; each answers a report, and each report here is checked ({@link Check#ok}
 * throws on anything but OK, and {@code main} prints it and exits with 1).
 */
public final class QuickStart {
    private QuickStart() {
    }

    /** What the program saw: the value written, the value read back, and the value the transaction committed. */
    public record Result(String written, String read, String afterTransaction) {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("coffer-quickstart-");
        try {
            Result result = run(dir);
            System.out.println("wrote             " + result.written());
            System.out.println("read              " + result.read());
            System.out.println("after transaction " + result.afterTransaction());
            System.out.println("directory         " + dir);
        } catch (Check.Failed e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }

    public static Result run(Path dir) {
        // A handler receives copies of the records it names and returns their new values; it cannot add or
        // remove records. This one appends its argument to each value.
        Handler append = (arg, records) -> {
            Map<String, byte[]> updated = new HashMap<>();
            records.forEach((key, value) -> updated.put(key, (text(value) + text(arg)).getBytes(UTF_8)));
            return updated;
        };

        CreateReport created = Check.ok(Db.builder(dir).handler("append", append).create(), "create");
        created.warnings().forEach(warning -> System.err.println("warning: " + warning));

        try (Db db = created.db()) {
            Check.ok(db.start(), "start");

            String written = "hello";
            Check.ok(db.write("greeting", written.getBytes(UTF_8)), "write");

            String read = text(Check.ok(db.read("greeting"), "read").data());

            TransactionReport appended = Check.ok(
                    db.transaction("append", List.of("greeting"), ", world".getBytes(UTF_8)), "transaction");
            String afterTransaction = text(appended.data().get("greeting"));

            // stop() syncs, writes a checkpoint and answers a report; close() (by try) then releases the directory.
            Check.ok(db.stop(), "stop");
            return new Result(written, read, afterTransaction);
        }
    }

    private static String text(byte[] bytes) {
        return new String(bytes, UTF_8);
    }
}
