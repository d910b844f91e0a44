package io.coffer.reliability;

import io.coffer.internal.io.Storage;
import io.coffer.internal.io.StorageFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * An in-memory {@link Storage} that knows what a disk would still hold if the power went out now
 * (reliability.md §3.3, goals R2, R3, R7, R9, R10).
 *
 * <p>Each file (an inode) has a <b>volatile</b> image (what reads see: the page cache) and a <b>durable</b>
 * image (what {@link StorageFile#force()} last made stable). The directory has volatile entries (changed by
 * create, rename and delete) and durable entries (made equal to the volatile ones by
 * {@link #syncDirectory}); the directory changes made since the last sync are kept in order, because a crash
 * may persist any of them.
 *
 * <p>Every mutating call (create, append, write, force, rename, delete, syncDirectory, truncate) counts as one
 * operation. {@link #powerCutAt(long) powerCutAt(k)} makes the k-th operation and every later call throw
 * {@code IOException("power cut")}: the machine died before the k-th operation did anything.
 * {@link #crashImage} then builds a new storage holding one disk state the crash could have left.
 *
 * <p>Error injection ({@link #failNth}) fails the n-th call of a kind, once or forever, optionally after
 * writing half the bytes of an append or a write. A failed force models Linux after fsyncgate: the file's unsynced
 * pages are marked clean, so they never become durable, even if a later force "succeeds", while reads still
 * see them; and a later force of that file is recorded as a {@link #violations() violation} (it must never be
 * retried). {@link #restart()} is the next process on the same machine: it reads those lost bytes from the
 * cache too, and only writing them again makes a force carry them to the disk.
 *
 * <p>All methods are synchronized: the batcher, a follower and the test thread may call at once.
 */
public final class SimStorage implements Storage {

    /** What a crash image keeps of the state that was not yet durable. */
    public enum Mode {
        /** Exactly the durable state: no unsynced byte and no unsynced directory change survives. */
        DROP_UNSYNCED,
        /**
         * A seeded mixture: each unsynced directory change may or may not survive (new files vanish or
         * appear, renames revert, deletes are undone), and each file keeps its durable bytes plus none, a
         * prefix, all, a torn (zero-ended) part, a hole of zeros, or garbage of its unsynced part: everything
         * from the first byte that differs from the durable image (an append's tail, or bytes overwritten in
         * place, as a log overwrites the zeros written ahead of it) to the end.
         */
        RANDOM
    }

    /** The mutating calls, which are counted and can be made to fail. */
    public enum Kind { CREATE, APPEND, WRITE, FORCE, RENAME, DELETE, SYNC_DIRECTORY, TRUNCATE }

    private static final class Inode {
        byte[] data;
        int size;
        /** The stable bytes; never shares its array with {@link #data}. */
        byte[] durable;
        /** Set by a failed force in this process: a later force is a retry (fsyncgate). */
        boolean poisoned;
        /**
         * The bytes a failed force dropped: reads see them (the cache), no force writes them, a disk never
         * holds them; until they are written again.
         */
        BitSet lost = new BitSet();

        Inode(byte[] content) {
            this.data = content.clone();
            this.size = content.length;
            this.durable = content.clone();
        }

        byte[] current() {
            return Arrays.copyOf(data, size);
        }

        /** What a force would write: the volatile bytes, except the lost ones, which stay as the disk has them. */
        byte[] writable() {
            byte[] bytes = current();
            for (int i = lost.nextSetBit(0); i >= 0 && i < size; i = lost.nextSetBit(i + 1)) {
                bytes[i] = i < durable.length ? durable[i] : 0;
            }
            return bytes;
        }

        /** A failed force: every byte not yet durable is lost. */
        void loseUnsynced() {
            for (int i = 0; i < size; i++) {
                if (i >= durable.length || data[i] != durable[i]) {
                    lost.set(i);
                }
            }
        }

        /** This inode as the next process finds it: the same bytes, cached and durable, and no failed force of its own. */
        Inode restarted() {
            Inode copy = new Inode(new byte[0]);
            copy.data = current();
            copy.size = size;
            copy.durable = durable.clone();
            copy.lost = (BitSet) lost.clone();
            return copy;
        }
    }

    private record DirChange(Kind kind, String name, String to, Inode inode) {
    }

    private final Path dir;
    /** Volatile directory: what list/open/exists see. Sorted, so crash images are deterministic. */
    private final TreeMap<String, Inode> entries = new TreeMap<>();
    /** Durable directory. */
    private final TreeMap<String, Inode> durableEntries = new TreeMap<>();
    /** Directory changes since the last sync, in order. */
    private final List<DirChange> unsyncedChanges = new ArrayList<>();

    private long operations;
    private long cutAt = Long.MAX_VALUE;
    private boolean cut;

    private final EnumMap<Kind, Integer> counts = new EnumMap<>(Kind.class);
    private Kind failKind;
    private int failAt;
    private boolean failForever;
    private boolean failHalfWrite;
    private String failMessage;
    private int faultsFired;
    private final List<String> violations = new ArrayList<>();

    public SimStorage(Path dir) {
        this.dir = dir;
        for (Kind kind : Kind.values()) {
            counts.put(kind, 0);
        }
    }

    // ---- test controls -------------------------------------------------------------------------------------

    /** The {@code k}-th operation (counting from the start of this storage) and every later call fail. */
    public synchronized SimStorage powerCutAt(long k) {
        this.cutAt = k;
        return this;
    }

    /** Whether the power is out. */
    public synchronized boolean isCut() {
        return cut;
    }

    /** Mutating operations so far (the one the power cut stopped included). */
    public synchronized long operations() {
        return operations;
    }

    /** Calls of {@code kind} so far. */
    public synchronized int calls(Kind kind) {
        return counts.get(kind);
    }

    /**
     * Fails the {@code n}-th call of {@code kind} counted from the start of this storage (1 = the first); with
     * {@code forever}, every later one too. A failed append with {@code halfWrite} writes half its bytes first.
     */
    public synchronized SimStorage failNth(Kind kind, int n, boolean forever, boolean halfWrite, String message) {
        this.failKind = kind;
        this.failAt = n;
        this.failForever = forever;
        this.failHalfWrite = halfWrite;
        this.failMessage = message;
        return this;
    }

    /** Stops injecting errors ("the disk was replaced"); what was lost stays lost. */
    public synchronized void heal() {
        failKind = null;
    }

    /** How many injected errors have fired. */
    public synchronized int faultsFired() {
        return faultsFired;
    }

    /** Protocol violations seen by the storage itself (a force retried on a file whose force failed). */
    public synchronized List<String> violations() {
        return new ArrayList<>(violations);
    }

    /**
     * Null when every file a reader can see is durable: in the durable directory under the same name with the
     * same bytes. Otherwise what is still volatile. Deletes not yet synced are allowed (a resurrected covered
     * file is harmless).
     */
    public synchronized String visibleButVolatile() {
        return visibleButVolatile("");
    }

    /**
     * {@link #visibleButVolatile()} for the files whose names end with {@code suffix}. The R3 hook checks the
     * logs after every OK: an acknowledged change lives in a log, and every log is needed by recovery.
     */
    public synchronized String visibleButVolatile(String suffix) {
        for (Map.Entry<String, Inode> entry : entries.entrySet()) {
            if (!entry.getKey().endsWith(suffix)) {
                continue;
            }
            Inode inode = entry.getValue();
            if (durableEntries.get(entry.getKey()) != inode) {
                return "the directory entry of " + entry.getKey() + " is not durable";
            }
            if (inode.poisoned || inode.durable.length != inode.size
                    || !Arrays.equals(inode.durable, 0, inode.size, inode.data, 0, inode.size)) {
                return entry.getKey() + " has " + inode.size + " bytes of which " + inode.durable.length
                        + (inode.poisoned ? " (and a failed force)" : "") + " are durable";
            }
        }
        return null;
    }

    /** The names in the volatile directory, sorted. */
    public synchronized List<String> names() {
        return new ArrayList<>(entries.keySet());
    }

    /** Whether the durable state is exactly the volatile one: every byte forced and every directory change synced. */
    public synchronized boolean fullyDurable() {
        return unsyncedChanges.isEmpty() && visibleButVolatile() == null;
    }

    /** The names in the volatile directory with their sizes, for messages. */
    public synchronized String describe() {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, Inode> entry : entries.entrySet()) {
            Inode inode = entry.getValue();
            out.append(entry.getKey()).append('(').append(inode.size);
            if (inode.durable.length != inode.size) {
                out.append(", durable ").append(inode.durable.length);
            }
            out.append(durableEntries.get(entry.getKey()) == inode ? "" : ", entry volatile").append(") ");
        }
        return out.toString().trim();
    }

    /** The volatile bytes of file {@code name}, or null. */
    public synchronized byte[] read(String name) {
        Inode inode = entries.get(name);
        return inode == null ? null : inode.current();
    }

    /** Creates (or replaces) file {@code name} with {@code content}, durable at once: for building test directories. */
    public synchronized void put(String name, byte[] content) {
        Inode inode = new Inode(content);
        entries.put(name, inode);
        durableEntries.put(name, inode);
    }

    /** Removes file {@code name} durably: for building test directories. */
    public synchronized void remove(String name) {
        entries.remove(name);
        durableEntries.remove(name);
    }

    /**
     * The next process on the same machine, after this one died, without a power loss: the same files with the
     * same cached and durable bytes (bytes a failed force lost still read back), the same directory changes not
     * yet synced; no fault, no count, no failed force of its own.
     */
    public synchronized SimStorage restart() {
        SimStorage next = new SimStorage(dir);
        Map<Inode, Inode> copies = new IdentityHashMap<>();
        entries.forEach((name, inode) -> next.entries.put(name, copies.computeIfAbsent(inode, Inode::restarted)));
        durableEntries.forEach((name, inode) -> next.durableEntries.put(name, copies.computeIfAbsent(inode, Inode::restarted)));
        for (DirChange change : unsyncedChanges) {
            next.unsyncedChanges.add(new DirChange(change.kind(), change.name(), change.to(),
                    copies.computeIfAbsent(change.inode(), Inode::restarted)));
        }
        return next;
    }

    /** A durable copy of this storage's volatile state: a process restart without a power loss. */
    public synchronized SimStorage copy() {
        SimStorage image = new SimStorage(dir);
        entries.forEach((name, inode) -> image.put(name, inode.current()));
        return image;
    }

    /**
     * A new storage holding what the disk could contain after a power loss now. With
     * {@link Mode#DROP_UNSYNCED} it is exactly the durable state; with {@link Mode#RANDOM} the seeded choices
     * described there. Every file of the image is durable.
     */
    public synchronized SimStorage crashImage(Random random, Mode mode) {
        TreeMap<String, Inode> names = new TreeMap<>(durableEntries);
        if (mode == Mode.RANDOM) {
            double keep = new double[] {0.25, 0.5, 0.75}[random.nextInt(3)];
            for (DirChange change : unsyncedChanges) {
                if (random.nextDouble() >= keep) {
                    continue;
                }
                switch (change.kind()) {
                    case CREATE -> names.putIfAbsent(change.name(), change.inode());
                    case RENAME -> {
                        if (names.get(change.name()) == change.inode()) {
                            names.remove(change.name());
                        }
                        names.put(change.to(), change.inode());
                    }
                    case DELETE -> names.remove(change.name(), change.inode());
                    default -> throw new IllegalStateException(change.toString());
                }
            }
        }
        SimStorage image = new SimStorage(dir);
        Map<Inode, byte[]> contents = new IdentityHashMap<>();
        for (Map.Entry<String, Inode> entry : names.entrySet()) {
            byte[] content = contents.computeIfAbsent(entry.getValue(),
                    inode -> mode == Mode.DROP_UNSYNCED ? inode.durable.clone() : randomContent(inode, random));
            image.put(entry.getKey(), content);
        }
        return image;
    }

    /**
     * The durable bytes plus a seeded part of the unsynced bytes, as a crash may leave them. The unsynced part
     * runs from the first to the last byte where the volatile image differs from the durable one (to the
     * volatile end when the file grew); bytes a crash keeps are taken from the volatile image, the others stay
     * as the durable image has them. A file never ends before its durable size.
     */
    private static byte[] randomContent(Inode inode, Random random) {
        byte[] durable = inode.durable;
        if (inode.poisoned || inode.size < durable.length) { // a failed force, or truncated: either state may be on disk
            return random.nextBoolean() || inode.poisoned ? durable.clone() : inode.writable();
        }
        byte[] whole = inode.writable();
        int from = Arrays.mismatch(durable, whole);
        if (from < 0) {
            return durable.clone();
        }
        int to = whole.length > durable.length ? whole.length : lastMismatch(durable, whole) + 1;
        int at = from + random.nextInt(to - from);
        switch (random.nextInt(6)) {
            case 0: // nothing of it
                return durable.clone();
            case 1: // a prefix of it, in write order
                return keep(durable, whole, at);
            case 2: // all of it
                return whole;
            case 3: // torn: its last part reads as zeros
                Arrays.fill(whole, at, to, (byte) 0);
                return whole;
            case 4: { // out-of-order write-back: a hole of zeros inside it
                Arrays.fill(whole, at, at + 1 + random.nextInt(to - at), (byte) 0);
                return whole;
            }
            default: { // garbage after a prefix of it (a grown file may end in up to 64 more garbage bytes)
                int end = to == whole.length && to > durable.length ? at + 1 + random.nextInt(to - at + 64) : at + 1 + random.nextInt(to - at);
                byte[] garbage = Arrays.copyOf(keep(durable, whole, at), Math.max(durable.length, end));
                for (int i = at; i < end; i++) {
                    garbage[i] = (byte) random.nextInt(256);
                }
                return garbage;
            }
        }
    }

    private static int lastMismatch(byte[] durable, byte[] whole) {
        for (int i = durable.length - 1; i >= 0; i--) {
            if (durable[i] != whole[i]) {
                return i;
            }
        }
        throw new IllegalStateException("the images are equal");
    }

    /** The volatile bytes before {@code end}, then the durable bytes after it: a write that reached the disk up to {@code end}. */
    private static byte[] keep(byte[] durable, byte[] whole, int end) {
        byte[] kept = Arrays.copyOf(durable, Math.max(durable.length, end));
        System.arraycopy(whole, 0, kept, 0, end);
        return kept;
    }

    // ---- the counting and the faults -------------------------------------------------------------------------

    /** Counts one mutating call; throws when the power is out or an error is injected (after {@code beforeFailing}). */
    private void operation(Kind kind, Runnable beforeFailing) throws IOException {
        alive();
        operations++;
        if (operations >= cutAt) {
            cut = true;
            throw new IOException("power cut");
        }
        int call = counts.merge(kind, 1, Integer::sum);
        if (failKind == kind && (call == failAt || (failForever && call > failAt))) {
            faultsFired++;
            beforeFailing.run();
            throw new IOException(failMessage + " (injected: " + kind + " call " + call + ")");
        }
    }

    private void alive() throws IOException {
        if (cut) {
            throw new IOException("power cut");
        }
    }

    private String name(Path file) throws IOException {
        if (file.getParent() == null || !file.getParent().equals(dir)) {
            throw new IOException("SimStorage holds only " + dir + ", not " + file);
        }
        return file.getFileName().toString();
    }

    // ---- Storage ---------------------------------------------------------------------------------------------

    @Override
    public synchronized List<String> list(Path directory) throws IOException {
        alive();
        if (!directory.equals(dir)) {
            throw new NoSuchFileException(directory.toString());
        }
        return new ArrayList<>(entries.keySet());
    }

    @Override
    public synchronized StorageFile create(Path file) throws IOException {
        String name = name(file);
        operation(Kind.CREATE, () -> { });
        if (entries.containsKey(name)) {
            throw new FileAlreadyExistsException(file.toString());
        }
        Inode inode = new Inode(new byte[0]);
        entries.put(name, inode);
        unsyncedChanges.add(new DirChange(Kind.CREATE, name, null, inode));
        return new SimFile(inode);
    }

    @Override
    public synchronized StorageFile open(Path file) throws IOException {
        alive();
        Inode inode = entries.get(name(file));
        if (inode == null) {
            throw new NoSuchFileException(file.toString());
        }
        return new SimFile(inode);
    }

    @Override
    public synchronized void rename(Path from, Path to) throws IOException {
        String source = name(from);
        String target = name(to);
        operation(Kind.RENAME, () -> { });
        Inode inode = entries.get(source);
        if (inode == null) {
            throw new NoSuchFileException(from.toString());
        }
        entries.remove(source);
        entries.put(target, inode);
        unsyncedChanges.add(new DirChange(Kind.RENAME, source, target, inode));
    }

    @Override
    public synchronized void delete(Path file) throws IOException {
        String name = name(file);
        operation(Kind.DELETE, () -> { });
        Inode inode = entries.remove(name);
        if (inode == null) {
            throw new NoSuchFileException(file.toString());
        }
        unsyncedChanges.add(new DirChange(Kind.DELETE, name, null, inode));
    }

    @Override
    public synchronized void syncDirectory(Path directory) throws IOException {
        if (!directory.equals(dir)) {
            throw new NoSuchFileException(directory.toString());
        }
        operation(Kind.SYNC_DIRECTORY, () -> { });
        durableEntries.clear();
        durableEntries.putAll(entries);
        unsyncedChanges.clear();
    }

    @Override
    public synchronized boolean exists(Path file) throws IOException {
        alive();
        return entries.containsKey(name(file));
    }

    private final class SimFile implements StorageFile {
        private final Inode inode;

        SimFile(Inode inode) {
            this.inode = inode;
        }

        @Override
        public void append(ByteBuffer src) throws IOException {
            synchronized (SimStorage.this) {
                counted(Kind.APPEND, src, inode.size);
            }
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            synchronized (SimStorage.this) {
                counted(Kind.WRITE, src, (int) position);
            }
        }

        /** One counted write of {@code src} at {@code position}; an injected failure may first write half of it. */
        private void counted(Kind kind, ByteBuffer src, int position) throws IOException {
            operation(kind, () -> {
                if (failHalfWrite && src.remaining() > 1) {
                    ByteBuffer half = src.duplicate();
                    half.limit(half.position() + src.remaining() / 2);
                    writeAt(half, position);
                }
            });
            writeAt(src, position);
        }

        /** Writes at {@code position}; a gap past the end reads as zeros, as a sparse file does. */
        private void writeAt(ByteBuffer src, int position) {
            int end = position + src.remaining();
            if (end > inode.data.length) {
                inode.data = Arrays.copyOf(inode.data, Math.max(end, inode.data.length * 2 + 64));
            }
            if (position > inode.size) {
                Arrays.fill(inode.data, inode.size, position, (byte) 0);
            }
            src.get(inode.data, position, end - position);
            inode.size = Math.max(inode.size, end);
            inode.lost.clear(position, end);
        }

        @Override
        public void force() throws IOException {
            synchronized (SimStorage.this) {
                if (inode.poisoned) {
                    violations.add("force retried on a file whose force had failed (" + nameOf(inode) + ")");
                }
                operation(Kind.FORCE, () -> {
                    inode.poisoned = true;
                    inode.loseUnsynced();
                });
                if (!inode.poisoned) {
                    inode.durable = inode.writable();
                }
            }
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            synchronized (SimStorage.this) {
                alive();
                if (position >= inode.size) {
                    return -1;
                }
                int length = (int) Math.min(dst.remaining(), inode.size - position);
                dst.put(inode.data, (int) position, length);
                return length;
            }
        }

        @Override
        public long size() throws IOException {
            synchronized (SimStorage.this) {
                alive();
                return inode.size;
            }
        }

        @Override
        public void truncate(long size) throws IOException {
            synchronized (SimStorage.this) {
                operation(Kind.TRUNCATE, () -> { });
                if (size < inode.size) {
                    inode.size = (int) size;
                    inode.lost.clear((int) size, Integer.MAX_VALUE);
                }
            }
        }

        @Override
        public void close() {
            // nothing to release; closing never fails, even after the power cut
        }
    }

    private String nameOf(Inode inode) {
        for (Map.Entry<String, Inode> entry : entries.entrySet()) {
            if (entry.getValue() == inode) {
                return entry.getKey();
            }
        }
        return "a deleted file";
    }
}
