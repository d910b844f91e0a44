package io.coffer.crash;

import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Child JVMs for the crash and fuzz tests, and the line protocol they speak on stdout.
 *
 * <p>A child runs {@code java -cp <this JVM's class path> Main args...}. It prints protocol lines on
 * stdout with {@link Out}; logging goes to stderr (the child calls {@link Out#takeStdout()} before anything
 * logs, which moves {@code System.out} to stderr). The parent reads stdout with {@link Lines}, which only
 * hands on complete lines: a line cut by a kill is never seen as a shorter line.
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * Options that make a short-lived child start fast: the serial collector, the C1 compiler only, and
     * log4j-api's simple logger (to stderr) instead of log4j-core, whose configuration alone takes about a
     * second to load here.
     */
    public static final List<String> FAST_START = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
            "-Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple.SimpleLoggerContextFactory",
            "-Dorg.apache.logging.log4j.simplelog.level=INFO", "-Dorg.apache.logging.log4j.simplelog.showdatetime=true");

    /** {@code java <jvmOptions> -cp <class path> main args...}, passing on {@code -Dcoffer.mutation} if set. */
    public static List<String> command(List<String> jvmOptions, Class<?> main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(jvmOptions);
        String mutation = System.getProperty("coffer.mutation");
        if (mutation != null) { // R17: a deliberately broken engine step reaches the child too
            command.add("-Dcoffer.mutation=" + mutation);
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return command;
    }

    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Starts {@code command} with stderr going to {@code stderr} (so it never blocks on a full pipe). */
    public static Process start(List<String> command, Path stderr) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.redirectError(stderr.toFile());
        builder.redirectInput(ProcessBuilder.Redirect.PIPE);
        return builder.start();
    }

    /** The last {@code max} characters of a file, for failure messages. */
    public static String tail(Path file, int max) {
        try {
            if (!Files.exists(file)) {
                return "(no " + file + ")";
            }
            String text = Files.readString(file, StandardCharsets.ISO_8859_1);
            return text.length() <= max ? text : "..." + text.substring(text.length() - max);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    /** Kills the process tree if it still runs and waits (bounded) for it to be gone. */
    public static void kill(Process process) {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The child's side of the protocol: one flushed line per call, written with one write call (a pipe
     * write of less than PIPE_BUF bytes is atomic, so lines of different threads never mix).
     */
    public static final class Out {
        private final PrintStream out;

        private Out(PrintStream out) {
            this.out = out;
        }

        /** Keeps the real stdout for protocol lines and points {@code System.out} at stderr for everything else. */
        public static Out takeStdout() {
            OutputStream stdout = new FileOutputStream(FileDescriptor.out);
            System.setOut(System.err);
            return new Out(new PrintStream(stdout, false, StandardCharsets.UTF_8));
        }

        public synchronized void line(String line) {
            byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
            out.write(bytes, 0, bytes.length);
            out.flush();
            if (out.checkError()) {
                Runtime.getRuntime().halt(3); // the parent is gone: nobody reads us any more
            }
        }
    }

    /** The parent's side: a daemon thread that queues every complete line, then {@link #EOF}. */
    public static final class Lines {
        public static final String EOF = "\u0000EOF";
        private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
        private volatile IOException failure;

        public Lines(InputStream in, String name) {
            Thread reader = new Thread(() -> read(in), name);
            reader.setDaemon(true);
            reader.start();
        }

        private void read(InputStream in) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            byte[] buffer = new byte[1 << 16];
            try (in) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            queue.add(line.toString(StandardCharsets.UTF_8));
                            line.reset();
                        } else {
                            line.write(buffer[i]);
                        }
                    }
                }
            } catch (IOException e) {
                failure = e; // the stream ends the same way; an unterminated last line is dropped
            } finally {
                queue.add(EOF);
            }
        }

        /** Why reading ended early, or null if the stream simply ended. */
        public IOException failure() {
            return failure;
        }

        /** The next line, {@link #EOF} at the end, or null if none came before the timeout. */
        public String poll(long millis) throws InterruptedException {
            return queue.poll(millis, TimeUnit.MILLISECONDS);
        }
    }
}
