package io.coffer.crash;

import io.coffer.CreateReport;
import io.coffer.Db;
import io.coffer.reports.Report;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * {@code LockHolderChild <dir>}: opens and starts a database on {@code dir}, writes {@code held}, prints
 * {@code LOCKED} (or {@code FAIL why}) and holds the directory until its stdin ends or it is killed.
 */
public final class LockHolderChild {
    private LockHolderChild() {
    }

    public static void main(String[] args) throws Exception {
        ChildJvm.Out out = ChildJvm.Out.takeStdout();
        CreateReport created = Db.builder(Path.of(args[0])).limitMemory(0).limitDisk(0).create();
        if (!created.isCodeOk()) {
            out.line("FAIL create: " + created);
            System.exit(2);
        }
        Db db = created.db();
        Report started = db.start();
        Report written = started.isCodeOk() ? db.write("held", "by the child".getBytes(StandardCharsets.UTF_8)) : started;
        if (!written.isCodeOk()) {
            out.line("FAIL start or write: " + written);
            System.exit(2);
        }
        out.line("LOCKED");
        while (System.in.read() >= 0) {
            // hold the directory until the parent closes our stdin or kills us
        }
        db.close();
    }
}
