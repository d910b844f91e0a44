package io.coffer.crash;

import io.coffer.CreateReport;
import io.coffer.Db;
import io.coffer.DbBuilder;
import io.coffer.Handler;
import io.coffer.reports.Code;
import io.coffer.reports.ReadListReport;
import io.coffer.reports.Report;
import io.coffer.reports.TransactionReport;
import io.coffer.reports.WriteListReport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The process {@link KillNineTest} kills: a database under concurrent load, printing what it does.
 *
 * <p>{@code CrashChild <dir> <seed> <cycle>} opens {@code dir}, starts it, makes sure the accounts exist,
 * prints {@code READY}, then runs its threads until it is killed. Every call is announced before it starts
 * and reported after it returned OK, one line each (see {@link ChildJvm.Out}):
 * <pre>
 *   BEFORE t W key value          ACK t W key value                       a write
 *   BEFORE t L k1 v1 k2 v2 ...    ACK t L k1 v1 k2 v2 ...                 an optional writeList (new keys)
 *   BEFORE t D key                ACK t D key      or  NOTFOUND t D key   a delete
 *   BEFORE t T from to amount     ACK t T from to amount newFrom newTo    a transfer transaction
 *   READY                         FAIL why (an unexpected answer; the child exits)
 * </pre>
 * Keys and values never contain spaces. Balances are printed as decimal longs.
 */
public final class CrashChild {
    static final String TRANSFER = "transfer";
    static final int ACCOUNTS = 20;
    static final long INITIAL_BALANCE = 1_000_000;
    static final int HOT_KEYS = 8;

    private CrashChild() {
    }

    static String account(int i) {
        return String.format("acct%02d", i);
    }

    static boolean isAccount(String key) {
        return key.startsWith("acct");
    }

    /** The options of every open of the crash directory, by the child and by the parent alike. */
    static DbBuilder builder(Path dir) {
        return Db.builder(dir)
                .followPause(Duration.ofMillis(50))
                .logsByCheckpoint(2)
                .limitRecordsPerLogfile(50)
                .limitMemory(0)
                .limitDisk(0)
                .handler(TRANSFER, transfer());
    }

    /** arg = "from:amount"; moves amount from one account to the other (balances may go negative). */
    static Handler transfer() {
        return (arg, records) -> {
            String[] parts = new String(arg, StandardCharsets.UTF_8).split(":");
            String from = parts[0];
            long amount = Long.parseLong(parts[1]);
            Map<String, byte[]> result = new HashMap<>();
            for (Map.Entry<String, byte[]> entry : records.entrySet()) {
                long balance = ByteBuffer.wrap(entry.getValue()).getLong();
                result.put(entry.getKey(), balance(entry.getKey().equals(from) ? balance - amount : balance + amount));
            }
            return result;
        };
    }

    static byte[] balance(long value) {
        return ByteBuffer.allocate(8).putLong(value).array();
    }

    static long balance(byte[] value) {
        return ByteBuffer.wrap(value).getLong();
    }

    public static void main(String[] args) throws Exception {
        ChildJvm.Out out = ChildJvm.Out.takeStdout();
        exitWhenParentGoes();
        Path dir = Path.of(args[0]);
        Random random = new Random(Long.parseLong(args[1]));
        int cycle = Integer.parseInt(args[2]);

        CreateReport created = builder(dir).create();
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
        ensureAccounts(db, out);
        List<String> old = new ArrayList<>(db.recordsListWithPrefix("c").keys());
        out.line("READY");

        int threads = 4 + random.nextInt(5);
        for (int t = 0; t < threads; t++) {
            int role = t < 4 ? t : random.nextInt(4);
            Worker worker = new Worker(db, out, "t" + t, "c" + cycle, new Random(random.nextLong()), old);
            Runnable body = switch (role) {
                case 0 -> worker::writer;
                case 1 -> worker::overwriter;
                case 2 -> worker::deleter;
                default -> worker::transferrer;
            };
            Thread thread = new Thread(() -> {
                try {
                    body.run();
                } catch (Throwable e) {
                    e.printStackTrace();
                    out.line("FAIL " + Thread.currentThread().getName() + " threw " + e);
                    Runtime.getRuntime().halt(2);
                }
            }, "load-" + t);
            thread.start();
        }
    }

    /** Our stdin is a pipe from the parent: when it ends, the parent is gone, and so are we. */
    private static void exitWhenParentGoes() {
        Thread watcher = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the parent never writes; we only wait for the end
                }
            } catch (java.io.IOException e) {
                // the same: the parent is gone
            }
            Runtime.getRuntime().halt(4);
        }, "parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** All accounts exist, or none yet: then one strict writeList creates them all (atomically). */
    private static void ensureAccounts(Db db, ChildJvm.Out out) {
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            accounts.add(account(i));
        }
        ReadListReport found = db.readList(accounts);
        if (found.isCodeOk()) {
            return;
        }
        if (found.code() != Code.ERR_NOT_FOUND || found.notFound().size() != ACCOUNTS) {
            out.line("FAIL accounts partly present: " + found + " missing " + found.notFound());
            System.exit(2);
        }
        Map<String, byte[]> initial = new LinkedHashMap<>();
        StringBuilder line = new StringBuilder("main L");
        for (String account : accounts) {
            initial.put(account, balance(INITIAL_BALANCE));
            line.append(' ').append(account).append(' ').append(INITIAL_BALANCE);
        }
        out.line("BEFORE " + line);
        WriteListReport report = db.writeList(initial, true);
        if (!report.isCodeOk()) {
            out.line("FAIL creating the accounts: " + report);
            System.exit(2);
        }
        out.line("ACK " + line);
    }

    /** One load thread; each method loops until the process is killed. */
    private static final class Worker {
        private final Db db;
        private final ChildJvm.Out out;
        private final String name;
        private final String cycle;
        private final Random random;
        private final List<String> old;
        private long n;

        Worker(Db db, ChildJvm.Out out, String name, String cycle, Random random, List<String> old) {
            this.db = db;
            this.out = out;
            this.name = name;
            this.cycle = cycle;
            this.random = random;
            this.old = old;
        }

        private String value() {
            return cycle + ":" + name + ":" + (++n) + ":" + Long.toHexString(random.nextLong());
        }

        private String newKey() {
            return cycle + "/" + name + "/" + (++n);
        }

        /** Unique keys, one at a time or a few at once (an optional writeList of new keys). */
        void writer() {
            while (true) {
                if (random.nextInt(5) == 0) {
                    Map<String, byte[]> records = new LinkedHashMap<>();
                    StringBuilder line = new StringBuilder(name + " L");
                    for (int i = 2 + random.nextInt(3); i > 0; i--) {
                        String key = newKey();
                        String value = value();
                        records.put(key, value.getBytes(StandardCharsets.UTF_8));
                        line.append(' ').append(key).append(' ').append(value);
                    }
                    out.line("BEFORE " + line);
                    expectOk(db.writeList(records, false), line);
                    out.line("ACK " + line);
                } else {
                    write(newKey());
                }
            }
        }

        /** Overwrites a small set of hot keys that the deleters delete too. */
        void overwriter() {
            while (true) {
                write("hot" + random.nextInt(HOT_KEYS));
            }
        }

        /** Deletes hot keys, keys of earlier runs, and keys it wrote itself. */
        void deleter() {
            List<String> mine = new ArrayList<>();
            while (true) {
                int choice = random.nextInt(4);
                if (choice == 0) {
                    delete("hot" + random.nextInt(HOT_KEYS));
                } else if (choice == 1 && !old.isEmpty()) {
                    synchronized (old) {
                        if (!old.isEmpty()) {
                            delete(old.remove(random.nextInt(old.size())));
                        }
                    }
                } else if (choice == 2 || mine.isEmpty()) {
                    String key = newKey();
                    write(key);
                    mine.add(key);
                } else {
                    delete(mine.remove(random.nextInt(mine.size())));
                }
            }
        }

        void transferrer() {
            while (true) {
                int from = random.nextInt(ACCOUNTS);
                int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                long amount = 1 + random.nextInt(1000);
                String line = name + " T " + account(from) + " " + account(to) + " " + amount;
                List<String> keys = random.nextBoolean() ? List.of(account(from), account(to)) : List.of(account(to), account(from));
                out.line("BEFORE " + line);
                TransactionReport report = db.transaction(TRANSFER, keys,
                        (account(from) + ":" + amount).getBytes(StandardCharsets.UTF_8));
                expectOk(report, line);
                out.line("ACK " + line + " " + balance(report.data().get(account(from))) + " "
                        + balance(report.data().get(account(to))));
            }
        }

        private void write(String key) {
            String value = value();
            String line = name + " W " + key + " " + value;
            out.line("BEFORE " + line);
            expectOk(db.write(key, value.getBytes(StandardCharsets.UTF_8)), line);
            out.line("ACK " + line);
        }

        private void delete(String key) {
            String line = name + " D " + key;
            out.line("BEFORE " + line);
            Report report = db.delete(key);
            if (report.code() == Code.ERR_NOT_FOUND) {
                out.line("NOTFOUND " + line);
                return;
            }
            expectOk(report, line);
            out.line("ACK " + line);
        }

        private void expectOk(Report report, CharSequence what) {
            if (!report.isCodeOk()) {
                out.line("FAIL " + what + ": " + report);
                Runtime.getRuntime().halt(2);
            }
        }
    }
}
