package io.coffer.testing;

import io.coffer.internal.io.NioStorage;
import io.coffer.internal.io.Storage;
import io.coffer.internal.io.StorageFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Storage} over the real file system that fails chosen calls: the n-th call of a kind, once or
 * forever, with an IOException like EIO or ENOSPC, optionally after writing half of the bytes (a short,
 * torn write). Several kinds may be set to fail at once. It counts every call and keeps their order, so a
 * clean run tells how many points there are to fail. It can also make one call on one file hang until the test
 * releases it ({@link #hangNext}: a disk that stops answering). Thread-safe.
 */
public final class FaultyStorage implements Storage {
    /** The calls that can be made to fail. */
    public enum Op { CREATE, APPEND, WRITE, FORCE, RENAME, DELETE, SYNC_DIRECTORY }

    /** How calls of one kind fail: the call numbered failAt, and every later one if forever. */
    private record Rule(int failAt, boolean forever, boolean halfWrite, String message) {
        boolean fails(int call) {
            return call == failAt || (forever && call > failAt);
        }
    }

    private final Storage real = new NioStorage();
    private final Map<Op, AtomicInteger> counts = new EnumMap<>(Op.class);
    private final Map<Op, Rule> rules = new ConcurrentHashMap<>();
    /** At most one hang per kind of call, removed by the call it stops. */
    private final Map<Op, HangRule> hangs = new ConcurrentHashMap<>();
    /** Every counted call in order, failed ones included. */
    private final List<Op> log = Collections.synchronizedList(new ArrayList<>());

    public FaultyStorage() {
        for (Op op : Op.values()) {
            counts.put(op, new AtomicInteger());
        }
    }

    /**
     * Fails the {@code n}-th call of {@code op} from now on (1 = the next one); forever fails every later one too.
     * Replaces an earlier rule for {@code op}; rules for other kinds stay.
     */
    public FaultyStorage failNth(Op op, int n, boolean forever, boolean halfWrite, String message) {
        rules.put(op, new Rule(counts.get(op).get() + n, forever, halfWrite, message));
        return this;
    }

    /**
     * Makes the next {@code op} call on {@code file} (CREATE, APPEND, WRITE or FORCE) block until
     * {@link Hang#release}; then it goes on as asked. Replaces an earlier hang of {@code op}.
     */
    public Hang hangNext(Op op, Path file) {
        return hangNext(op, file::equals);
    }

    /** Makes the next {@code op} call (CREATE, APPEND, WRITE or FORCE) on a file that {@code which} accepts hang. */
    public Hang hangNext(Op op, Predicate<Path> which) {
        Hang hang = new Hang();
        hangs.put(op, new HangRule(which, hang));
        return hang;
    }

    /** A call held by {@link #hangNext}: the test waits for it to be reached, then releases it. */
    public static final class Hang {
        private final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        /** Waits until the call hangs; returns false if it has not within {@code seconds}. */
        public boolean awaitReached(long seconds) throws InterruptedException {
            return reached.await(seconds, TimeUnit.SECONDS);
        }

        /** Lets the hanging call (or the one that would hang) go on. */
        public void release() {
            released.countDown();
        }

        /** The hanging call's side: not interruptible, as a call stuck in the kernel is not. */
        private void block() {
            reached.countDown();
            boolean interrupted = false;
            while (true) {
                try {
                    released.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private record HangRule(Predicate<Path> which, Hang hang) {
    }

    /** Blocks the calling thread if {@code op} on {@code file} is the call a hang waits for. */
    private void hangIfAsked(Op op, Path file) {
        HangRule rule = hangs.get(op);
        if (rule != null && rule.which().test(file) && hangs.remove(op, rule)) {
            rule.hang().block();
        }
    }

    /** No call fails any more. */
    public void heal() {
        rules.clear();
    }

    public int calls(Op op) {
        return counts.get(op).get();
    }

    /** Every counted call so far, in order, failed ones included. */
    public List<Op> log() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    /** Writing some bytes to a file. */
    @FunctionalInterface
    private interface BytesWrite {
        void write(ByteBuffer bytes) throws IOException;
    }

    /** What an injected failure with halfWrite does before it throws (the half write may itself fail). */
    @FunctionalInterface
    private interface BeforeThrow {
        void run() throws IOException;
    }

    private void maybeFail(Op op, BeforeThrow beforeThrow) throws IOException {
        int call = counts.get(op).incrementAndGet();
        log.add(op);
        Rule rule = rules.get(op);
        if (rule != null && rule.fails(call)) {
            if (rule.halfWrite()) {
                beforeThrow.run();
            }
            throw new IOException(rule.message() + " (injected at " + op + " call " + call + ")");
        }
    }

    @Override
    public List<String> list(Path dir) throws IOException {
        return real.list(dir);
    }

    @Override
    public StorageFile create(Path file) throws IOException {
        hangIfAsked(Op.CREATE, file);
        maybeFail(Op.CREATE, () -> { });
        return new Faulty(file, real.create(file));
    }

    @Override
    public StorageFile open(Path file) throws IOException {
        return new Faulty(file, real.open(file));
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        maybeFail(Op.RENAME, () -> { });
        real.rename(from, to);
    }

    @Override
    public void delete(Path file) throws IOException {
        maybeFail(Op.DELETE, () -> { });
        real.delete(file);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        maybeFail(Op.SYNC_DIRECTORY, () -> { });
        real.syncDirectory(dir);
    }

    @Override
    public boolean exists(Path file) throws IOException {
        return real.exists(file);
    }

    private final class Faulty implements StorageFile {
        private final Path path;
        private final StorageFile file;

        Faulty(Path path, StorageFile file) {
            this.path = path;
            this.file = file;
        }

        @Override
        public void append(ByteBuffer src) throws IOException {
            counted(Op.APPEND, src, file::append);
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            counted(Op.WRITE, src, bytes -> file.write(bytes, position));
        }

        /** One counted write of {@code src}; an injected failure with halfWrite writes half of it first. */
        private void counted(Op op, ByteBuffer src, BytesWrite write) throws IOException {
            hangIfAsked(op, path);
            maybeFail(op, () -> {
                if (src.remaining() > 1) {
                    ByteBuffer half = src.duplicate();
                    half.limit(half.position() + src.remaining() / 2);
                    write.write(half);
                }
            });
            write.write(src);
        }

        @Override
        public void force() throws IOException {
            hangIfAsked(Op.FORCE, path);
            maybeFail(Op.FORCE, () -> { });
            file.force();
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return file.read(dst, position);
        }

        @Override
        public long size() throws IOException {
            return file.size();
        }

        @Override
        public void truncate(long size) throws IOException {
            file.truncate(size);
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
