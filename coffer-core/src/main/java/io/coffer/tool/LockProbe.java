package io.coffer.tool;

import io.coffer.internal.files.DbFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Whether a live database holds a directory, found without creating or changing any file.
 *
 * <p>A live database holds an exclusive OS lock on {@code coffer.lock} for its whole life. The probe
 * opens that file for reading only (never with {@code CREATE}: a missing lock file means no database
 * has it open) and asks for a <em>shared</em> lock on the same range, which an exclusive lock refuses.
 * A shared lock needs only read access, so the probe works for an operator who may not write to the
 * directory, and two tools probing at once do not see each other as a database. Where the OS has no
 * shared locks Java asks for an exclusive one, which needs a writable channel: then the file is opened
 * {@code READ}+{@code WRITE}, still without {@code CREATE} or {@code TRUNCATE}. Any lock taken is
 * released at once.
 *
 * <p><b>Run the tool in its own process.</b> Within the JVM that holds the database the probe still
 * answers "held" (Java refuses an overlapping lock), but on POSIX systems closing the probe's channel
 * drops every lock the process holds on the file, the database's included.
 */
final class LockProbe {
    private LockProbe() {
    }

    enum State {
        /** There is no {@code coffer.lock}: no database has this directory open. */
        NO_LOCK_FILE,
        /** {@code coffer.lock} exists and nobody holds it: the database is stopped. */
        FREE,
        /** Another process holds the lock: a live database. */
        HELD,
        /** A database in this JVM holds the lock. */
        HELD_IN_THIS_JVM,
        /** The lock could not be checked. */
        UNKNOWN
    }

    record Result(State state, String detail) {
        boolean held() {
            return state == State.HELD || state == State.HELD_IN_THIS_JVM;
        }
    }

    static Result probe(Path dir) {
        Path lockFile = dir.resolve(DbFiles.LOCK_NAME);
        if (!Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS)) {
            return new Result(State.NO_LOCK_FILE, "no " + DbFiles.LOCK_NAME + ": no database has this directory open");
        }
        try {
            return tryLock(lockFile, true);
        } catch (NonWritableChannelException e) { // no shared locks here: Java asked for an exclusive one
            try {
                return tryLock(lockFile, false);
            } catch (IOException | RuntimeException again) {
                return unknown(lockFile, again);
            }
        } catch (IOException | RuntimeException e) {
            return unknown(lockFile, e);
        }
    }

    private static Result tryLock(Path lockFile, boolean shared) throws IOException {
        FileChannel channel = shared ? FileChannel.open(lockFile, StandardOpenOption.READ)
                : FileChannel.open(lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try (channel) {
            FileLock lock = channel.tryLock(0, Long.MAX_VALUE, shared);
            if (lock == null) {
                return new Result(State.HELD, DbFiles.LOCK_NAME + " is locked by a live database in another process");
            }
            lock.release();
            return new Result(State.FREE, DbFiles.LOCK_NAME + " is not held: no live database");
        } catch (OverlappingFileLockException e) {
            return new Result(State.HELD_IN_THIS_JVM, DbFiles.LOCK_NAME + " is locked by a live database in this JVM");
        }
    }

    private static Result unknown(Path lockFile, Exception e) {
        if (e instanceof NoSuchFileException) { // removed since we looked
            return new Result(State.NO_LOCK_FILE, "no " + DbFiles.LOCK_NAME + ": no database has this directory open");
        }
        return new Result(State.UNKNOWN, "cannot check " + lockFile + ": " + e);
    }
}
