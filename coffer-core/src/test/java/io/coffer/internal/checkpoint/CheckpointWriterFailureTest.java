package io.coffer.internal.checkpoint;

import static io.coffer.internal.checkpoint.Checkpoints.LAST_SEQUENCE;
import static io.coffer.internal.checkpoint.Checkpoints.NUMBER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coffer.internal.files.DbFiles;
import io.coffer.internal.files.Limits;
import io.coffer.internal.io.NioStorage;
import io.coffer.testing.FaultyStorage;
import io.coffer.testing.FaultyStorage.Op;
import io.coffer.testing.Seeds;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The writer publishes a complete checkpoint or nothing, and never leaves a {@code .check} behind. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CheckpointWriterFailureTest {
    private static final Limits LIMITS = new Limits(64, 200_000, 10);
    private static final String EIO = "Input/output error";

    @TempDir
    Path root;

    /** About 3 MiB, so the writer needs several appends. */
    private List<CheckpointEntry> entries;

    @BeforeEach
    void makeEntries() {
        Random random = new Random(Seeds.seed("CheckpointWriterFailureTest"));
        entries = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            byte[] value = new byte[i == 0 ? 0 : 100_000 + random.nextInt(100_000)];
            random.nextBytes(value);
            entries.add(new CheckpointEntry("entry-" + i, value, i + 1));
        }
    }

    private int dirs;

    private DbFiles freshDir() throws IOException {
        return new DbFiles(Files.createDirectory(root.resolve("db-" + dirs++)));
    }

    private static List<String> names(DbFiles files) throws IOException {
        return new NioStorage().list(files.dir());
    }

    @Test
    void a_clean_write_calls_each_operation_in_the_durable_order_and_leaves_only_the_checkpoint() throws IOException {
        FaultyStorage storage = new FaultyStorage();
        DbFiles files = freshDir();
        assertEquals(entries.size(), CheckpointWriter.write(storage, files, NUMBER, LAST_SEQUENCE, entries.iterator()));
        assertEquals(List.of(DbFiles.name(NUMBER, DbFiles.CHECKPOINT)), names(files));
        int appends = storage.calls(Op.APPEND);
        assertTrue(appends >= 3, "large appends, several of them: " + appends);
        assertTrue(appends <= 5, "not one per record: " + appends);
        List<Op> expected = new ArrayList<>();
        expected.add(Op.CREATE);
        expected.addAll(Collections.nCopies(appends, Op.APPEND));
        expected.addAll(List.of(Op.FORCE, Op.RENAME, Op.SYNC_DIRECTORY));
        assertEquals(expected, storage.log(), "create, append, force, rename, then sync the directory");
        assertEquals(entries, Checkpoints.readFile(storage, files, NUMBER, LIMITS));
    }

    /** Fails the n-th call of {@code op} for every n a clean write makes. */
    @ParameterizedTest
    @EnumSource(value = Op.class, names = {"CREATE", "APPEND", "FORCE", "RENAME", "SYNC_DIRECTORY"})
    void a_failure_at_every_call_of_each_operation_leaves_no_check_file(Op op) throws IOException {
        FaultyStorage clean = new FaultyStorage();
        CheckpointWriter.write(clean, freshDir(), NUMBER, LAST_SEQUENCE, entries.iterator());
        int points = clean.calls(op);
        assertTrue(points >= 1);
        for (int n = 1; n <= points; n++) {
            FaultyStorage storage = new FaultyStorage().failNth(op, n, false, op == Op.APPEND, EIO);
            DbFiles files = freshDir();
            IOException e = assertThrows(IOException.class,
                    () -> CheckpointWriter.write(storage, files, NUMBER, LAST_SEQUENCE, entries.iterator()));
            assertEquals(EIO + " (injected at " + op + " call " + n + ")", e.getMessage());
            assertEquals(0, e.getSuppressed().length, "cleaning up worked");
            assertFalse(Files.exists(files.check(NUMBER)), op + " #" + n + " left a .check file");
            if (op == Op.SYNC_DIRECTORY) {
                // Renamed already: a complete, forced checkpoint whose name may or may not survive a crash.
                assertEquals(List.of(DbFiles.name(NUMBER, DbFiles.CHECKPOINT)), names(files));
                assertEquals(entries, Checkpoints.readFile(storage, files, NUMBER, LIMITS));
            } else {
                assertEquals(List.of(), names(files), op + " #" + n + " before the rename must publish nothing");
            }
        }
    }

    @Test
    void a_failed_cleanup_is_added_as_suppressed_to_the_original_failure() throws IOException {
        FaultyStorage storage = new FaultyStorage().failNth(Op.FORCE, 1, false, false, EIO)
                .failNth(Op.DELETE, 1, false, false, EIO);
        DbFiles files = freshDir();
        IOException e = assertThrows(IOException.class,
                () -> CheckpointWriter.write(storage, files, NUMBER, LAST_SEQUENCE, entries.iterator()));
        assertEquals(EIO + " (injected at FORCE call 1)", e.getMessage());
        assertEquals(1, e.getSuppressed().length);
        assertEquals(EIO + " (injected at DELETE call 1)", e.getSuppressed()[0].getMessage());
        assertFalse(Files.exists(files.checkpoint(NUMBER)));
    }

    @Test
    void an_iterator_that_throws_midway_leaves_no_check_file_and_its_exception_passes() throws IOException {
        DbFiles files = freshDir();
        IllegalStateException boom = new IllegalStateException("map changed");
        Iterator<CheckpointEntry> failing = new Iterator<>() {
            private int given;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public CheckpointEntry next() {
                if (given == 20) {
                    throw boom;
                }
                return entries.get(given++);
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> CheckpointWriter.write(new NioStorage(), files, NUMBER, LAST_SEQUENCE, failing));
        assertSame(boom, e);
        assertEquals(List.of(), names(files));
    }

    @Test
    void a_leftover_check_file_of_the_same_number_makes_the_write_fail_without_touching_it() throws IOException {
        DbFiles files = freshDir();
        Files.write(files.check(NUMBER), new byte[] {1, 2, 3});
        assertThrows(FileAlreadyExistsException.class,
                () -> CheckpointWriter.write(new NioStorage(), files, NUMBER, LAST_SEQUENCE, entries.iterator()));
        assertEquals(3, Files.size(files.check(NUMBER)));
        assertFalse(Files.exists(files.checkpoint(NUMBER)));
    }
}
