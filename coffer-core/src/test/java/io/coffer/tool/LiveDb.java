package io.coffer.tool;

import io.coffer.CreateReport;
import io.coffer.Db;
import io.coffer.testing.Dbs;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link LockTest}: holds a started database in {@code args[0]}, prints "ready",
 * and closes it when its standard input ends. A live database in another process, as operators meet it.
 */
public final class LiveDb {
    private LiveDb() {
    }

    public static void main(String[] args) throws IOException {
        CreateReport report = Dbs.builder(Path.of(args[0])).create();
        if (!report.isCodeOk()) {
            System.out.println("failed: " + report);
            System.exit(1);
        }
        try (Db db = report.db()) {
            if (!db.start().isCodeOk() || !db.write("live", Dbs.bytes("yes")).isCodeOk()) {
                System.out.println("failed to start or write");
                System.exit(1);
            }
            System.out.println("ready");
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the test to close our input
            }
        }
        System.out.println("closed");
    }
}
