package io.coffer.reliability;

import io.coffer.CreateReport;
import io.coffer.internal.checkpoint.CheckpointEntry;
import io.coffer.internal.checkpoint.CheckpointWriter;
import io.coffer.internal.files.DbFiles;
import io.coffer.internal.wal.Change;
import io.coffer.internal.wal.LogWriter;
import io.coffer.internal.wal.Operation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * R5, R6 (GUARANTEES 6, 9, 10): every single bit of a small log directory and of small checkpoints is
 * flipped in turn, and {@code create()} runs on the result. A flip is never loaded as data that was not
 * written: {@code create()} refuses with an ERROR naming the damaged file, or (only for a flip inside the
 * final frame of the final log, or in the zeros after it) drops that frame or those zeros as a torn tail, or (only for a newest checkpoint whose
 * covered logs all still exist) falls back to the older checkpoint and those logs and recovers everything.
 *
 * <p>The files are written by the engine's own {@link LogWriter} and {@link CheckpointWriter} into a
 * {@link SimStorage}, with several operations per frame, and every variant is parsed in memory.
 */
final class BitFlipCheck {
    static final long FIRST = DbFiles.BASE_NUMBER + 1;

    /** A directory to damage: its files, which one to flip, and what an opened database may hold per flipped byte. */
    interface Scenario {
        String name();

        Map<String, byte[]> files();

        String target();

        /** The states a database opened despite a flip at byte {@code offset} of the target may hold (none: it must refuse). */
        List<Map<String, String>> allowedIfOpened(int offset);
    }

    record Result(long flips, long refused, long opened, List<String> violations) {
    }

    private BitFlipCheck() {
    }

    /** Flips every bit of {@code scenario.target()} in turn, on {@code threads} threads. */
    static Result run(Scenario scenario, Path work, int threads, long timeoutSeconds) throws InterruptedException {
        byte[] original = scenario.files().get(scenario.target());
        long bits = original.length * 8L;
        long[] refused = new long[threads];
        long[] opened = new long[threads];
        List<String> violations = Parallel.forEach(0, bits - 1, threads, work, timeoutSeconds, (bit, dir, worker) -> {
            SimStorage image = new SimStorage(dir);
            for (Map.Entry<String, byte[]> file : scenario.files().entrySet()) {
                byte[] content = file.getValue().clone();
                if (file.getKey().equals(scenario.target())) {
                    content[(int) (bit / 8)] ^= (byte) (1 << (bit % 8));
                }
                image.put(file.getKey(), content);
            }
            String where = scenario.name() + ": bit " + bit + " (byte " + bit / 8 + ") of " + scenario.target();
            CreateReport report = Workload.open(dir, image);
            if (!report.isCodeOk()) {
                refused[worker]++;
                return report.error() != null && report.error().contains(scenario.target()) ? List.of()
                        : List.of(where + ": refused without naming the damaged file: " + report.error());
            }
            opened[worker]++;
            List<String> problems = new ArrayList<>();
            Map<String, String> state = Workload.readAll(report.db(), problems);
            report.db().close();
            List<Map<String, String>> allowed = scenario.allowedIfOpened((int) (bit / 8));
            if (allowed.isEmpty()) {
                return List.of(where + ": opened (warnings " + report.warnings() + ") although nothing may be loaded");
            }
            if (!allowed.contains(state)) {
                return List.of(where + ": opened with a state that was never written: " + state + problems);
            }
            if (report.warnings().stream().noneMatch(w -> w.contains(scenario.target()))) {
                return List.of(where + ": dropped data without a warning naming the file: " + report.warnings());
            }
            return List.of();
        });
        return new Result(bits, sum(refused), sum(opened), violations);
    }

    private static long sum(long[] values) {
        long total = 0;
        for (long value : values) {
            total += value;
        }
        return total;
    }

    // ---- building directories with the engine's writers ----------------------------------------------------

    /** Builds files through the engine's writers, with a model of the records. */
    static final class Builder {
        static final int ZEROS_KEPT = 40;
        final Path dir;
        final SimStorage storage;
        final DbFiles files;
        final Random random;
        final TreeMap<String, Workload.Val> state = new TreeMap<>();
        long sequence;
        /** Per file name: the byte ranges [start, end) of its frames, in order. */
        final Map<String, List<int[]>> frames = new TreeMap<>();
        /** The records before the last frame written. */
        Map<String, String> beforeLastFrame;

        Builder(Path dir, long seed) {
            this.dir = dir;
            this.storage = new SimStorage(dir);
            this.files = new DbFiles(dir);
            this.random = new Random(seed);
        }

        /**
         * Writes log {@code number} with {@code frameCount} frames of 3..6 operations each, then cuts the zeros
         * preallocated after them to {@link #ZEROS_KEPT} bytes, so that flipping every bit stays quick (the reader
         * does not depend on how many zeros there are).
         */
        void log(long number, int frameCount) throws IOException {
            String name = files.log(number).getFileName().toString();
            List<int[]> ranges = new ArrayList<>();
            int end;
            try (LogWriter writer = LogWriter.create(storage, files, number, sequence + 1)) {
                for (int f = 0; f < frameCount; f++) {
                    int start = (int) writer.bytes();
                    beforeLastFrame = values();
                    List<Operation> batch = new ArrayList<>();
                    for (int n = 3 + random.nextInt(4); batch.size() < n;) {
                        batch.add(operation());
                    }
                    writer.append(batch);
                    writer.force();
                    ranges.add(new int[] {start, (int) writer.bytes()});
                }
                end = (int) writer.bytes();
            }
            storage.put(name, Arrays.copyOf(storage.read(name), end + ZEROS_KEPT));
            frames.put(name, ranges);
        }

        /** Writes checkpoint {@code number} of the current state. */
        void checkpoint(long number) throws IOException {
            List<CheckpointEntry> entries = new ArrayList<>();
            state.forEach((key, val) -> entries.add(new CheckpointEntry(key, Workload.bytes(val.value()), val.version())));
            CheckpointWriter.write(storage, files, number, sequence, entries.iterator());
        }

        /** Adds {@code count} records with plain writes (the content of a checkpoint). */
        void records(int count) {
            for (int i = 0; i < count; i++) {
                operation(Operation.Kind.WRITE, List.of(String.format("c%02d", i)));
            }
        }

        private Operation operation() {
            int dice = random.nextInt(10);
            List<String> keys = new ArrayList<>(state.keySet());
            if (dice < 2 && !keys.isEmpty()) {
                return operation(Operation.Kind.DELETE, List.of(keys.get(random.nextInt(keys.size()))));
            }
            if (dice < 4 && keys.size() >= 2) {
                int a = random.nextInt(keys.size());
                int b = (a + 1 + random.nextInt(keys.size() - 1)) % keys.size();
                return operation(Operation.Kind.TRANSACTION, List.of(keys.get(a), keys.get(b)));
            }
            List<String> written = new ArrayList<>();
            for (int n = 1 + random.nextInt(2); written.size() < n;) {
                String key = "k" + random.nextInt(12);
                if (!written.contains(key)) {
                    written.add(key);
                }
            }
            return operation(Operation.Kind.WRITE, written);
        }

        private Operation operation(Operation.Kind kind, List<String> keys) {
            sequence++;
            List<Change> changes = new ArrayList<>();
            for (String key : keys) {
                Workload.Val old = state.get(key);
                if (kind == Operation.Kind.DELETE) {
                    state.remove(key);
                    changes.add(new Change(key, null, 0));
                } else {
                    String value = "b" + sequence + "." + key + "~".repeat(random.nextInt(12));
                    long version = old == null ? 1 : old.version() + 1;
                    state.put(key, new Workload.Val(value, version));
                    changes.add(new Change(key, value.getBytes(StandardCharsets.UTF_8), version));
                }
            }
            return new Operation(sequence, kind, kind == Operation.Kind.TRANSACTION ? Workload.TRANSFER : "", changes);
        }

        Map<String, String> values() {
            return Workload.values(state);
        }

        Map<String, byte[]> snapshot() {
            Map<String, byte[]> out = new TreeMap<>();
            for (String name : storage.names()) {
                out.put(name, storage.read(name));
            }
            return out;
        }
    }

    /** Opens to {@code opened} for a flip in {@code openedRange}, and to {@code openedAfter} for one after it. */
    private record Fixed(String name, Map<String, byte[]> files, String target, List<Map<String, String>> opened,
            int[] openedRange, List<Map<String, String>> openedAfter) implements Scenario {
        Fixed(String name, Map<String, byte[]> files, String target, List<Map<String, String>> opened, int[] openedRange) {
            this(name, files, target, opened, openedRange, List.of());
        }

        @Override
        public List<Map<String, String>> allowedIfOpened(int offset) {
            return offset >= openedRange[0] && offset < openedRange[1] ? opened
                    : offset >= openedRange[1] && openedRange[1] > 0 ? openedAfter : List.of();
        }
    }

    /**
     * Two logs of three frames each; flipped in the first or the last log. Only a flip inside the last frame of
     * the last log may open, to the state before that frame; or one in the zeros after it, to the whole state
     * (the zeros are cut as a torn tail). Any flip in the first log refuses, even in its zeros: only the last
     * log may end in damage.
     */
    static Scenario twoLogs(Path dir, long seed, boolean flipLastLog) throws IOException {
        Builder b = new Builder(dir, seed);
        b.log(FIRST, 3);
        b.log(FIRST + 1, 3);
        String first = b.files.log(FIRST).getFileName().toString();
        String last = b.files.log(FIRST + 1).getFileName().toString();
        List<int[]> lastFrames = b.frames.get(last);
        int[] finalFrame = flipLastLog ? lastFrames.get(lastFrames.size() - 1) : new int[] {0, 0};
        return new Fixed(flipLastLog ? "the last of two logs" : "the first of two logs", b.snapshot(),
                flipLastLog ? last : first, List.of(b.beforeLastFrame), finalFrame, List.of(b.values()));
    }

    /** A checkpoint whose covered logs are gone: every flip must be refused, never open empty or partial. */
    static Scenario checkpointAlone(Path dir, long seed, int records) throws IOException {
        Builder b = new Builder(dir, seed);
        b.records(records);
        b.checkpoint(FIRST + 2);
        String target = b.files.checkpoint(FIRST + 2).getFileName().toString();
        return new Fixed("a checkpoint alone", b.snapshot(), target, List.of(), new int[] {0, 0});
    }

    /** A checkpoint followed by the log written after it: a flipped checkpoint must be refused. */
    static Scenario checkpointThenLog(Path dir, long seed) throws IOException {
        Builder b = new Builder(dir, seed);
        b.records(30);
        b.checkpoint(FIRST + 2);
        b.log(FIRST + 3, 2);
        String target = b.files.checkpoint(FIRST + 2).getFileName().toString();
        return new Fixed("a checkpoint and the log after it", b.snapshot(), target, List.of(), new int[] {0, 0});
    }

    /**
     * An older checkpoint, the log after it, and a newer checkpoint covering that log: a flipped newer checkpoint
     * may be skipped only because the older one and the log still hold everything, so it opens to the full state.
     */
    static Scenario fallback(Path dir, long seed) throws IOException {
        Builder b = new Builder(dir, seed);
        b.records(20);
        b.checkpoint(FIRST + 2);
        b.log(FIRST + 3, 2);
        b.checkpoint(FIRST + 4);
        String target = b.files.checkpoint(FIRST + 4).getFileName().toString();
        Map<String, byte[]> files = b.snapshot();
        return new Fixed("a newer checkpoint over an older one and its log", files, target, List.of(b.values()),
                new int[] {0, files.get(target).length});
    }
}
