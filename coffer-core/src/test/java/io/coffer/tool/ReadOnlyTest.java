package io.coffer.tool;

import static io.coffer.testing.Dbs.assertOk;
import static io.coffer.testing.Dbs.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coffer.Db;
import io.coffer.internal.io.StorageFile;
import io.coffer.testing.Dbs;
import io.coffer.testing.Logs;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tool never writes to the directory: the names, sizes, modification times and contents of every
 * entry, and the directory's own modification time, are the same before and after every command, on
 * clean, torn, corrupt and never-locked directories (where a repairing recovery would cut, delete or
 * create something).
 */
class ReadOnlyTest {
    @TempDir
    Path root;

    /** Logs on both sides of a checkpoint, a .check leftover and the lock file. */
    private Path buildClean() throws IOException {
        Path dir = root.resolve("clean");
        try (Db db = Dbs.started(dir, b -> b.limitRecordsPerLogfile(2).removeUnlessLogs(false))) {
            for (int i = 0; i < 5; i++) {
                assertOk(db.write("key" + i, bytes("value " + i)));
            }
            assertOk(db.stop()); // checkpoint
            assertOk(db.start());
            assertOk(db.write("after", new byte[] {0, (byte) 0x80}));
            assertOk(db.delete("key0"));
            assertOk(db.stopHard());
        }
        Files.write(dir.resolve("1000000009.check"), new byte[] {1, 2, 3});
        return dir;
    }

    private Path copy(Path from, String name) throws IOException {
        Path copy = Files.createDirectories(root.resolve(name));
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        return copy;
    }

    private static Path lastLog(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log")).sorted().reduce((a, b) -> b).orElseThrow();
        }
    }

    /** Every entry's name → size, modification time in ns, SHA-256; plus the directory's own time and size. */
    private static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> state = new TreeMap<>();
        BasicFileAttributes self = Files.readAttributes(dir, BasicFileAttributes.class);
        state.put(".", self.lastModifiedTime().to(TimeUnit.NANOSECONDS) + " " + self.size());
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(f -> !f.equals(dir)).toList()) {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                state.put(dir.relativize(file).toString(), attributes.size() + " "
                        + attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS) + " "
                        + (attributes.isRegularFile() ? sha256(Files.readAllBytes(file)) : "dir"));
            }
        }
        return state;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String[]> commands(Path dir) throws IOException {
        List<String[]> commands = new ArrayList<>();
        for (String command : List.of("list", "status", "verify")) {
            commands.add(new String[] {command, dir.toString()});
        }
        commands.add(new String[] {"status", "--max-value-length=1", dir.toString()});
        commands.add(new String[] {"verify", "--max-key-length", "2", dir.toString()});
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                commands.add(new String[] {"dump", file.toString()});
            }
        }
        commands.add(new String[] {"dump", dir.toString()});
        commands.add(new String[] {"help"});
        commands.add(new String[] {});
        commands.add(new String[] {"repair", dir.toString()});
        return commands;
    }

    @Test
    void noCommandChangesAnythingInAnyDirectory() throws IOException {
        Path clean = buildClean();
        Path torn = copy(clean, "torn");
        Logs.tearAt(lastLog(torn), Logs.framesEnd(lastLog(torn)) - 3); // recovery would cut the torn delete
        Path tornHeader = copy(clean, "torn-header");
        try (RandomAccessFile file = new RandomAccessFile(lastLog(tornHeader).toFile(), "rw")) {
            file.setLength(10); // recovery would delete this log
        }
        Path corrupt = copy(clean, "corrupt");
        try (RandomAccessFile file = new RandomAccessFile(lastLog(corrupt).toFile(), "rw")) {
            file.seek(40); // the first of two frames after the checkpoint: recovery would refuse
            file.write(0x77);
        }
        Path corruptCovered = copy(clean, "corrupt-covered");
        try (RandomAccessFile file = new RandomAccessFile(corruptCovered.resolve("1000000002.log").toFile(), "rw")) {
            file.seek(40); // a log the checkpoint covers: recovery never reads it
            file.write(0x77);
        }
        Path noLock = copy(clean, "no-lock");
        Files.delete(noLock.resolve("coffer.lock"));

        Map<Path, Integer> statusExit = new TreeMap<>();
        Map<Path, Integer> verifyExit = new TreeMap<>();
        for (Path dir : List.of(clean, torn, tornHeader, corrupt, corruptCovered, noLock)) {
            for (String[] args : commands(dir)) {
                Map<String, String> before = snapshot(dir);
                Tool tool = Tool.run(args);
                assertEquals(before, snapshot(dir), () -> String.join(" ", args) + " changed the directory\n" + tool);
                if (args.length == 2 && args[0].equals("status")) {
                    statusExit.put(dir, tool.exit());
                }
                if (args.length == 2 && args[0].equals("verify")) {
                    verifyExit.put(dir, tool.exit());
                }
            }
        }
        // the directories really were ones a repairing recovery would have changed
        assertEquals(Map.of(clean, 0, torn, 1, tornHeader, 1, corrupt, 2, corruptCovered, 0, noLock, 0), statusExit);
        assertEquals(Map.of(clean, 0, torn, 1, tornHeader, 1, corrupt, 2, corruptCovered, 2, noLock, 0), verifyExit);
        assertTrue(Files.notExists(noLock.resolve("coffer.lock")));
        assertTrue(Files.exists(clean.resolve("1000000009.check")));
    }

    @Test
    void theReadOnlyStorageRefusesEveryWrite() throws IOException {
        Path dir = buildClean();
        ReadOnlyStorage storage = new ReadOnlyStorage();
        Path log = lastLog(dir);
        Map<String, String> before = snapshot(dir);
        assertThrows(IOException.class, () -> storage.create(dir.resolve("new.log")));
        assertThrows(IOException.class, () -> storage.delete(log));
        assertThrows(IOException.class, () -> storage.rename(log, dir.resolve("moved")));
        assertThrows(IOException.class, () -> storage.syncDirectory(dir));
        try (StorageFile file = storage.open(log)) {
            assertThrows(IOException.class, () -> file.append(ByteBuffer.wrap(new byte[] {1})));
            assertThrows(IOException.class, () -> file.truncate(0));
            assertThrows(IOException.class, file::force);
        }
        assertEquals(before, snapshot(dir));
    }

    @Test
    void aCutViewShowsAShorterOrMissingFileWithoutTouchingIt() throws IOException {
        Path dir = buildClean();
        Path log = lastLog(dir);
        long size = Files.size(log);
        ReadOnlyStorage cut = new ReadOnlyStorage().cut(log, 40);
        try (StorageFile file = cut.open(log)) {
            assertEquals(40, file.size());
            ByteBuffer buffer = ByteBuffer.allocate(100);
            assertEquals(8, file.read(buffer, 32));
            assertEquals(-1, file.read(buffer, 40));
        }
        ReadOnlyStorage hidden = new ReadOnlyStorage().cut(log, -1);
        assertTrue(!hidden.list(dir).contains(log.getFileName().toString()) && !hidden.exists(log));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> hidden.open(log));
        assertEquals(size, Files.size(log));
    }
}
