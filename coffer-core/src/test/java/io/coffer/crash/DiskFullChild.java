package io.coffer.crash;

import io.coffer.CreateReport;
import io.coffer.Db;
import io.coffer.reports.Code;
import io.coffer.reports.Report;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * {@code DiskFullChild <dir> <seed>}, run under a file size limit ({@code ulimit -f}): writes from four
 * threads until the log can grow no more. Prints {@code BEFORE t W key value} and {@code ACK t W key value}
 * as {@link CrashChild} does, {@code PANIC_WAL t message} when a write gets PANIC_WAL, {@code AFTER code}
 * for one more write once every thread has stopped, then {@code DONE}; {@code FAIL why} for anything else.
 */
public final class DiskFullChild {
    private DiskFullChild() {
    }

    public static void main(String[] args) throws Exception {
        ChildJvm.Out out = ChildJvm.Out.takeStdout();
        CreateReport created = Db.builder(Path.of(args[0])).limitMemory(0).limitDisk(0).limitRecordsPerLogfile(1_000_000).create();
        if (!created.isCodeOk()) {
            out.line("FAIL create: " + created);
            System.exit(2);
        }
        Db db = created.db();
        Report started = db.start();
        if (!started.isCodeOk()) {
            out.line("FAIL start: " + started);
            System.exit(2);
        }
        Random seeds = new Random(Long.parseLong(args[1]));
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            String name = "t" + t;
            Random random = new Random(seeds.nextLong());
            threads.add(new Thread(() -> {
                for (long n = 0; ; n++) {
                    String key = name + "/" + n;
                    StringBuilder value = new StringBuilder(name + ":" + n + ":");
                    while (value.length() < 100 + random.nextInt(200)) {
                        value.append(Long.toHexString(random.nextLong()));
                    }
                    String line = name + " W " + key + " " + value;
                    out.line("BEFORE " + line);
                    Report report = db.write(key, value.toString().getBytes(StandardCharsets.UTF_8));
                    if (report.isCodeOk()) {
                        out.line("ACK " + line);
                    } else if (report.code() == Code.PANIC_WAL) {
                        out.line("PANIC_WAL " + name + " " + String.valueOf(report.error()).replace('\n', ' '));
                        return;
                    } else {
                        out.line("FAIL " + line + ": " + report);
                        Runtime.getRuntime().halt(2);
                    }
                }
            }, "writer-" + t));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        out.line("AFTER " + db.write("after", new byte[1]).code() + " " + db.state());
        db.close();
        out.line("DONE " + db.state());
    }
}
