package io.coffer.tool;

import io.coffer.DbBuilder;
import io.coffer.FilesReport;
import io.coffer.internal.files.DbFiles;
import io.coffer.internal.files.Limits;
import io.coffer.internal.io.StorageFile;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Inspects a Coffer directory from the command line without opening the database and without ever
 * writing to the directory: {@code list}, {@code status}, {@code verify} and {@code dump}. Run
 * {@code java -cp ... io.coffer.tool.CofferTool help} for the usage, or see {@code docs/tool.md}.
 *
 * <p>Every file is opened for reading only, through a {@link ReadOnlyStorage} that refuses any write, and
 * read with the engine's own readers, so the tool judges files by exactly the rules the engine applies.
 * {@code list} and {@code status} refuse while a live database holds the directory (its files change
 * under them); {@code dump} and {@code verify} only read and work anyway.
 */
public final class CofferTool {
    /** Clean. */
    public static final int EXIT_OK = 0;
    /** The only damage is a torn tail of the last log, which opening cuts off. */
    public static final int EXIT_TORN = 1;
    /** Corruption (or, for {@code status}, opening would refuse). */
    public static final int EXIT_CORRUPT = 2;
    /** A live database holds the directory ({@code list}, {@code status}). */
    public static final int EXIT_LOCKED = 3;
    /** Bad usage (sysexits EX_USAGE). */
    public static final int EXIT_USAGE = 64;
    /** The path does not exist, is the wrong kind, or is not a Coffer file (EX_NOINPUT). */
    public static final int EXIT_NO_INPUT = 66;
    /** A bug in the tool (EX_SOFTWARE). */
    public static final int EXIT_SOFTWARE = 70;
    /** Reading failed (EX_IOERR). */
    public static final int EXIT_IO = 74;

    static final String NAME = "CofferTool";

    static final String USAGE = """
            Usage: java -cp CLASSPATH io.coffer.tool.CofferTool COMMAND [OPTIONS] PATH

            Inspects a Coffer database directory without opening the database. Never writes to it.

            Commands:
              list DIR     the logs, checkpoints and unfinished checkpoints, by number, with their sizes
              status DIR   what opening DIR would recover (records, last sequence, newest checkpoint,
                           repairs), read with the engine's recovery rules without changing anything
              verify DIR   checks every checksum of every file and the sequence of operations across files
              dump FILE    a .log as one JSON line per operation, a .checkpoint as one per record, between
                           a header line and a summary line
              help         this text

            Options: the limits the database was created with (a record over them reads as damage)
              --max-key-length=N            default %d
              --max-value-length=N          default %d
              --max-recs-per-operation=N    default %d

            list and status refuse while a live database holds DIR; dump and verify only read and work
            on a live database too. Run the tool in its own JVM, not inside the application.

            Exit codes:
              0   clean
              1   torn tail only: the last log ends in a torn write that opening cuts off
                  (with allowStartupErrLoadLogs, the default)
              2   corruption (file and byte offset are printed); for status: opening would refuse
              3   a live database holds DIR (list, status)
              64  bad usage
              66  PATH does not exist, is not a directory (or a file, for dump), or is not a Coffer file
              74  reading failed
            """.formatted(DbBuilder.DEFAULT_MAX_KEY_LENGTH, DbBuilder.DEFAULT_MAX_VALUE_LENGTH,
            DbBuilder.DEFAULT_MAX_RECS_PER_OPERATION);

    public static void main(String[] args) {
        if (System.getProperty("log4j2.statusLoggerLevel") == null) {
            // Without a logging backend on the class path, log4j-api would print an ERROR about it first.
            System.setProperty("log4j2.statusLoggerLevel", "OFF");
        }
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int exit = new CofferTool().run(args, out, err);
        out.flush();
        err.flush();
        System.exit(exit);
    }

    /** Runs one command; returns the exit code. Never calls {@link System#exit}, never throws. */
    public int run(String[] args, PrintStream out, PrintStream err) {
        Arguments parsed;
        try {
            parsed = Arguments.parse(args == null ? new String[0] : args);
        } catch (UsageException e) {
            err.println(NAME + ": " + e.getMessage());
            err.println("Run '" + NAME + " help' for usage.");
            return EXIT_USAGE;
        }
        if (parsed.command == null) {
            err.print(USAGE);
            return EXIT_USAGE;
        }
        if (parsed.command.equals("help")) {
            out.print(USAGE);
            return EXIT_OK;
        }
        Path path;
        try {
            path = Path.of(parsed.path).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            err.println(NAME + ": not a valid path: " + parsed.path);
            return EXIT_NO_INPUT;
        }
        try {
            return switch (parsed.command) {
                case "list" -> list(path, out, err);
                case "status" -> status(path, parsed.limits, out, err);
                case "verify" -> verify(path, parsed.limits, out, err);
                case "dump" -> dump(path, parsed.limits, out, err);
                default -> throw new IllegalStateException("unhandled command " + parsed.command);
            };
        } catch (IOException e) {
            out.flush();
            err.println(NAME + ": reading " + path + " failed: " + e);
            return EXIT_IO;
        } catch (RuntimeException e) {
            out.flush();
            err.println(NAME + ": internal error: " + e);
            e.printStackTrace(err);
            return EXIT_SOFTWARE;
        } finally {
            out.flush();
        }
    }

    // ---- commands ---------------------------------------------------------------------------------------

    private static int list(Path dir, PrintStream out, PrintStream err) throws IOException {
        Integer refused = checkDirectory(dir, true, err);
        if (refused != null) {
            return refused;
        }
        List<FilesReport.Entry> entries = listing(dir);
        if (entries.isEmpty()) {
            out.println("no logs or checkpoints in " + dir);
            return EXIT_OK;
        }
        out.printf("%-21s  %-10s  %-10s  %12s%n", "NAME", "KIND", "NUMBER", "BYTES");
        for (FilesReport.Entry entry : entries) {
            out.printf("%-21s  %-10s  %-10d  %12d%n", entry.name(), entry.kind(), entry.number(), entry.size());
        }
        out.println(Status.describe(entries));
        return EXIT_OK;
    }

    private static int status(Path dir, Limits limits, PrintStream out, PrintStream err) throws IOException {
        Integer refused = checkDirectory(dir, false, err);
        if (refused != null) {
            return refused;
        }
        LockProbe.Result lock = LockProbe.probe(dir);
        if (lock.held()) {
            return refuseLocked(dir, lock, err);
        }
        warnUnknown(lock, err);
        return new Status(limits, out).status(dir, lock, listing(dir));
    }

    private static int verify(Path dir, Limits limits, PrintStream out, PrintStream err) throws IOException {
        Integer refused = checkDirectory(dir, false, err);
        return refused != null ? refused : new Verify(limits, out).verify(dir);
    }

    private static int dump(Path file, Limits limits, PrintStream out, PrintStream err) throws IOException {
        if (!Files.isRegularFile(file)) {
            err.println(NAME + ": " + (Files.exists(file) ? "not a regular file: " : "no such file: ") + file);
            return EXIT_NO_INPUT;
        }
        try (StorageFile opened = new ReadOnlyStorage().open(file)) {
            Optional<Dump.Format> format = Dump.format(opened, file.getFileName().toString());
            if (format.isEmpty()) {
                err.println(NAME + ": not a Coffer log or checkpoint (no known magic number or extension): " + file);
                return EXIT_NO_INPUT;
            }
            return new Dump(limits, out).dump(file, opened, format.get());
        }
    }

    /** Null when {@code dir} is a directory that may be read now; else the exit code, with the message printed. */
    private static Integer checkDirectory(Path dir, boolean refuseWhenLocked, PrintStream err) {
        if (!Files.isDirectory(dir)) {
            err.println(NAME + ": " + (Files.exists(dir) ? "not a directory: " : "no such directory: ") + dir);
            return EXIT_NO_INPUT;
        }
        if (refuseWhenLocked) {
            LockProbe.Result lock = LockProbe.probe(dir);
            if (lock.held()) {
                return refuseLocked(dir, lock, err);
            }
            warnUnknown(lock, err);
        }
        return null;
    }

    private static int refuseLocked(Path dir, LockProbe.Result lock, PrintStream err) {
        err.println(NAME + ": " + dir + " is in use: " + lock.detail() + ".");
        err.println("Stop the database first, or use 'verify' or 'dump', which only read.");
        return EXIT_LOCKED;
    }

    private static void warnUnknown(LockProbe.Result lock, PrintStream err) {
        if (lock.state() == LockProbe.State.UNKNOWN) {
            err.println(NAME + ": warning: " + lock.detail() + "; going on as if no database were live");
        }
    }

    /** The logs, checkpoints and unfinished checkpoints of {@code dir}, by number then kind, with their sizes. */
    static List<FilesReport.Entry> listing(Path dir) throws IOException {
        List<FilesReport.Entry> entries = new ArrayList<>();
        for (String name : new ReadOnlyStorage().list(dir)) {
            for (FilesReport.Kind kind : FilesReport.Kind.values()) {
                Optional<Long> number = DbFiles.parse(name, kind.extension());
                if (number.isPresent()) {
                    try {
                        entries.add(new FilesReport.Entry(name, kind, number.get(), Files.size(dir.resolve(name))));
                    } catch (NoSuchFileException e) {
                        continue; // removed since it was listed
                    }
                }
            }
        }
        entries.sort(FilesReport.Entry.ORDER);
        return entries;
    }

    // ---- arguments --------------------------------------------------------------------------------------

    private static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** The command, its one path and the limits. */
    private static final class Arguments {
        String command;
        String path;
        int maxKeyLength = DbBuilder.DEFAULT_MAX_KEY_LENGTH;
        int maxValueLength = DbBuilder.DEFAULT_MAX_VALUE_LENGTH;
        int maxRecsPerOperation = DbBuilder.DEFAULT_MAX_RECS_PER_OPERATION;
        Limits limits;

        static Arguments parse(String[] args) throws UsageException {
            Arguments parsed = new Arguments();
            List<String> positional = new ArrayList<>();
            boolean options = true;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg == null) {
                    throw new UsageException("a null argument");
                }
                if (options && arg.equals("--")) {
                    options = false;
                } else if (options && (arg.equals("-h") || arg.equals("--help"))) {
                    positional.add(0, "help");
                } else if (options && arg.startsWith("-") && arg.length() > 1) {
                    String name = arg;
                    String value;
                    int equals = arg.indexOf('=');
                    if (equals >= 0) {
                        name = arg.substring(0, equals);
                        value = arg.substring(equals + 1);
                    } else if (i + 1 < args.length) {
                        value = args[++i];
                    } else {
                        throw new UsageException("option " + arg + " needs a value");
                    }
                    parsed.option(name, value);
                } else {
                    positional.add(arg);
                }
            }
            parsed.limits = new Limits(parsed.maxKeyLength, parsed.maxValueLength, parsed.maxRecsPerOperation);
            if (positional.isEmpty()) {
                return parsed;
            }
            parsed.command = positional.get(0);
            switch (parsed.command) {
                case "help" -> {
                    return parsed;
                }
                case "list", "status", "verify", "dump" -> {
                    String what = parsed.command.equals("dump") ? "FILE" : "DIR";
                    if (positional.size() < 2) {
                        throw new UsageException(parsed.command + " needs a " + what);
                    }
                    if (positional.size() > 2) {
                        throw new UsageException(parsed.command + " takes one " + what + ", not "
                                + String.join(" ", positional.subList(1, positional.size())));
                    }
                    parsed.path = positional.get(1);
                    return parsed;
                }
                default -> throw new UsageException("unknown command '" + parsed.command + "'");
            }
        }

        private void option(String name, String value) throws UsageException {
            switch (name) {
                case "--max-key-length" -> maxKeyLength = number(name, value, 1, DbBuilder.MAX_KEY_LENGTH_LIMIT);
                case "--max-value-length" -> maxValueLength = number(name, value, 0, Integer.MAX_VALUE - 64);
                case "--max-recs-per-operation" -> maxRecsPerOperation = number(name, value, 1, Integer.MAX_VALUE);
                default -> throw new UsageException("unknown option " + name);
            }
        }

        private static int number(String name, String value, int min, int max) throws UsageException {
            try {
                int number = Integer.parseInt(value.trim());
                if (number >= min && number <= max) {
                    return number;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new UsageException(name + " must be a whole number from " + min + " to " + max + ", not '" + value + "'");
        }
    }
}
