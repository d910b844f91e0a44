package io.coffer.fuzz;

import io.coffer.internal.checkpoint.CheckpointFormat;
import io.coffer.internal.files.Checksums;
import io.coffer.internal.wal.LogFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Seeded damage to a set of database files: bit flips, overwrites, truncations, insertions, zeroed ranges,
 * frame lengths set to huge, negative or off-by-one values, fields inside frames changed with the CRC fixed
 * up (so the decoder behind the CRC is reached), frames duplicated or copied between files, files swapped,
 * renamed, emptied, deleted, replaced by random bytes (with or without a valid header), stray files, and
 * files extended with a long zero tail.
 *
 * <p>A case is <em>forged</em> when a mutation may have produced a frame whose CRC holds over content the
 * database never wrote; only then may a recovered record hold a value that was never written.
 */
final class FileMutator {
    /** The damaged files; {@code extendTo} names files to be extended (sparse) to a length when written. */
    record Mutated(Map<String, byte[]> files, Map<String, Long> extendTo, List<String> steps, boolean forged) {
    }

    private record Frame(int at, int length) {
    }

    private record Field(int at, int size) {
    }

    private final Random random;
    private final int maxKey;
    private final int maxValue;
    private final long maxFrame;

    FileMutator(Random random, int maxKey, int maxValue, long maxFrame) {
        this.random = random;
        this.maxKey = maxKey;
        this.maxValue = maxValue;
        this.maxFrame = maxFrame;
    }

    Mutated mutate(Map<String, byte[]> source) {
        TreeMap<String, byte[]> files = new TreeMap<>();
        int shape = random.nextInt(10);
        source.forEach((name, bytes) -> {
            boolean keep = switch (shape) {
                case 0, 1 -> random.nextInt(4) != 0; // some files missing
                case 2, 3 -> !name.endsWith(".checkpoint"); // logs only: recovery replays every one
                default -> true;
            };
            if (keep) {
                files.put(name, bytes.clone());
            }
        });
        State state = new State(files);
        int mutations = 1 + random.nextInt(random.nextInt(8) == 0 ? 8 : 3);
        for (int i = 0; i < mutations; i++) {
            mutateOnce(state);
        }
        return new Mutated(files, state.extendTo, state.steps, state.forged);
    }

    private static final class State {
        final TreeMap<String, byte[]> files;
        final Map<String, Long> extendTo = new TreeMap<>();
        final List<String> steps = new ArrayList<>();
        boolean forged;

        State(TreeMap<String, byte[]> files) {
            this.files = files;
        }
    }

    private void mutateOnce(State s) {
        if (s.files.isEmpty()) {
            randomFile(s, "1000000001.log");
            return;
        }
        List<String> read = readByRecovery(s.files.keySet());
        String name = pick(read.isEmpty() || random.nextInt(5) == 0 ? new ArrayList<>(s.files.keySet()) : read);
        byte[] b = s.files.get(name);
        switch (random.nextInt(18)) {
            case 0 -> {
                int flips = 1 + random.nextInt(random.nextBoolean() ? 1 : 8);
                for (int i = 0; i < flips && b.length > 0; i++) {
                    int bit = random.nextInt(b.length * 8);
                    b[bit / 8] ^= (byte) (1 << (bit % 8));
                    s.steps.add(name + ": flip bit " + bit);
                }
            }
            case 1 -> {
                if (b.length > 0) {
                    int at = random.nextInt(b.length);
                    int n = Math.min(b.length - at, 1 + random.nextInt(16));
                    for (int i = 0; i < n; i++) {
                        b[at + i] = (byte) random.nextInt(256);
                    }
                    s.steps.add(name + ": overwrite " + n + " bytes at " + at);
                }
            }
            case 2 -> {
                int length = random.nextInt(b.length + 1);
                s.files.put(name, java.util.Arrays.copyOf(b, length));
                s.steps.add(name + ": truncate to " + length + " of " + b.length);
            }
            case 3 -> {
                int at = random.nextInt(b.length + 1);
                byte[] inserted = randomBytes(1 + random.nextInt(64));
                s.files.put(name, splice(b, at, 0, inserted));
                s.steps.add(name + ": insert " + inserted.length + " bytes at " + at);
            }
            case 4 -> {
                Frame frame = pickFrame(name, b);
                if (frame != null) {
                    int value = interestingInt(frame.length);
                    putInt(b, frame.at, value);
                    s.steps.add(name + ": frame at " + frame.at + " length " + frame.length + " -> " + value);
                }
            }
            case 5 -> {
                Frame frame = pickFrame(name, b);
                List<Field> fields = frame == null ? List.of() : fields(name, b, frame);
                if (!fields.isEmpty()) {
                    Field field = pick(fields);
                    long value = interesting(field.size, get(b, field.at, field.size));
                    put(b, field.at, field.size, value);
                    fixFrameCrc(b, frame.at, frame.length);
                    s.forged = true;
                    s.steps.add(name + ": field at " + field.at + " (" + field.size + " bytes) -> " + value + ", CRC fixed");
                }
            }
            case 6 -> {
                String from = pick(new ArrayList<>(s.files.keySet()));
                byte[] source = s.files.get(from);
                Frame frame = pickFrame(from, source);
                if (frame != null && from.endsWith(".log") == name.endsWith(".log")) {
                    byte[] copy = java.util.Arrays.copyOfRange(source, frame.at, frame.at + 8 + frame.length);
                    List<Frame> frames = frames(name, b);
                    int at = frames.isEmpty() || random.nextBoolean() ? endOfFrames(name, b)
                            : frames.get(random.nextInt(frames.size())).at;
                    s.files.put(name, splice(b, at, 0, copy));
                    s.steps.add(name + ": insert a copy of the frame at " + frame.at + " of " + from + " at " + at);
                }
            }
            case 7 -> {
                String other = pick(new ArrayList<>(s.files.keySet()));
                if (random.nextBoolean() && !other.equals(name)) {
                    s.files.put(name, s.files.get(other));
                    s.files.put(other, b);
                    s.steps.add("swap " + name + " and " + other);
                } else {
                    String renamed = renamed(name);
                    s.files.remove(name);
                    s.files.put(renamed, b);
                    s.steps.add("rename " + name + " to " + renamed);
                }
            }
            case 8 -> randomFile(s, random.nextBoolean() ? name : renamed(name));
            case 9 -> {
                if (random.nextBoolean()) {
                    s.files.remove(name);
                    s.steps.add("delete " + name);
                } else {
                    s.files.put(name, new byte[0]);
                    s.steps.add("empty " + name);
                }
            }
            case 10 -> {
                if (b.length >= 32) {
                    int[] offsets = {8, 12, 20};
                    int at = offsets[random.nextInt(offsets.length)];
                    int size = at == 8 ? 4 : 8;
                    long value = interesting(size, get(b, at, size));
                    put(b, at, size, value);
                    putInt(b, 28, Checksums.masked(b, 0, 28));
                    s.steps.add(name + ": header field at " + at + " -> " + value + ", CRC fixed");
                }
            }
            case 11 -> {
                if (name.endsWith(".checkpoint") && b.length >= 64) {
                    int footer = b.length - 32;
                    int at = footer + 8 * (1 + random.nextInt(3));
                    long value = interesting(8, get(b, at, 8));
                    put(b, at, 8, value);
                    CRC32C crc = new CRC32C();
                    crc.update(b, footer, 4);
                    crc.update(b, footer + 8, 24);
                    putInt(b, footer + 4, Checksums.mask((int) crc.getValue()));
                    s.steps.add(name + ": footer field at " + at + " -> " + value + ", CRC fixed");
                }
            }
            case 12 -> {
                if (b.length > 0) {
                    int at = random.nextInt(b.length);
                    int n = Math.min(b.length - at, 1 + random.nextInt(random.nextBoolean() ? 16 : 4096));
                    java.util.Arrays.fill(b, at, at + n, (byte) 0);
                    s.steps.add(name + ": zero " + n + " bytes at " + at);
                }
            }
            case 13 -> {
                Frame frame = pickFrame(name, b);
                if (frame != null && frame.length > 0) {
                    int at = frame.at + 8 + random.nextInt(frame.length);
                    b[at] = (byte) random.nextInt(256);
                    fixFrameCrc(b, frame.at, frame.length);
                    s.forged = true;
                    s.steps.add(name + ": body byte at " + at + " changed, CRC fixed");
                }
            }
            case 14 -> {
                String[] strays = {"1000000099.check", "garbage.tmp", "1000000001.log.bak", "100000001.log", "9999999999.checkpoint",
                    "1000000000.log", "abcdefghij.log"};
                String stray = strays[random.nextInt(strays.length)];
                s.files.put(stray, random.nextBoolean() ? b.clone() : randomBytes(random.nextInt(256)));
                s.steps.add("add " + stray);
            }
            case 15 -> {
                long length = b.length + 1 + (long) random.nextInt(random.nextBoolean() ? 4096 : 8 << 20);
                s.extendTo.put(name, length);
                s.steps.add(name + ": extend with zeros to " + length);
            }
            case 16 -> {
                Frame frame = pickFrame(name, b);
                if (frame != null && frame.length > 1) {
                    int length = 1 + random.nextInt(frame.length - 1);
                    putInt(b, frame.at, length);
                    fixFrameCrc(b, frame.at, length);
                    s.forged = true;
                    s.steps.add(name + ": frame at " + frame.at + " shortened to " + length + ", CRC fixed");
                }
            }
            default -> {
                // a whole valid-looking frame of random content with a huge or small declared length
                int at = endOfFrames(name, b);
                int length = random.nextBoolean() ? interestingInt(64) : random.nextInt(64);
                byte[] frame = new byte[8 + Math.max(0, Math.min(length, 256))];
                putInt(frame, 0, length);
                for (int i = 8; i < frame.length; i++) {
                    frame[i] = (byte) random.nextInt(256);
                }
                s.files.put(name, splice(b, at, 0, frame));
                s.steps.add(name + ": insert a frame declaring " + length + " bytes at " + at);
            }
        }
    }

    private void randomFile(State s, String name) {
        byte[] bytes = randomBytes(random.nextInt(random.nextBoolean() ? 64 : 2048));
        if (bytes.length >= 32 && random.nextBoolean()) {
            long number = number(name);
            boolean log = name.endsWith(".log");
            putLong(bytes, 0, log ? LogFormat.MAGIC : CheckpointFormat.MAGIC);
            putInt(bytes, 8, 1);
            putLong(bytes, 12, number);
            putLong(bytes, 20, random.nextInt(100));
            putInt(bytes, 28, Checksums.masked(bytes, 0, 28));
            s.steps.add(name + ": random " + bytes.length + " bytes behind a valid header");
        } else {
            s.steps.add(name + ": random " + bytes.length + " bytes");
        }
        s.files.put(name, bytes);
    }

    /** The files recovery reads (the newest checkpoint and the logs after it): most damage goes there. */
    private static List<String> readByRecovery(java.util.Set<String> names) {
        long newest = 0;
        for (String name : names) {
            if (name.matches("\\d{10}\\.checkpoint")) {
                newest = Math.max(newest, number(name));
            }
        }
        List<String> read = new ArrayList<>();
        for (String name : names) {
            if (name.matches("\\d{10}\\.log") && number(name) > newest || name.equals(String.format("%010d.checkpoint", newest))) {
                read.add(name);
            }
        }
        return read;
    }

    private String renamed(String name) {
        long number = number(name);
        String extension = name.endsWith(".log") ? ".log" : name.endsWith(".checkpoint") ? ".checkpoint" : ".log";
        switch (random.nextInt(4)) {
            case 0 -> number += 1;
            case 1 -> number -= 1;
            case 2 -> number += 1 + random.nextInt(20);
            default -> extension = extension.equals(".log") ? ".checkpoint" : ".log";
        }
        return String.format("%010d%s", Math.max(0, Math.min(9_999_999_999L, number)), extension);
    }

    private static long number(String name) {
        try {
            return Long.parseLong(name.substring(0, 10));
        } catch (RuntimeException e) {
            return 1_000_000_001L;
        }
    }

    // ---- the structure of the files --------------------------------------------------------------------------

    /** The frames from the header on, as far as their lengths hold together. */
    private static List<Frame> frames(String name, byte[] b) {
        int end = name.endsWith(".checkpoint") ? b.length - CheckpointFormat.FOOTER_BYTES : b.length;
        List<Frame> frames = new ArrayList<>();
        int at = 32;
        while (at + 8 <= end) {
            int length = getInt(b, at);
            if (length < 0 || (long) at + 8 + length > end) {
                break;
            }
            frames.add(new Frame(at, length));
            at += 8 + length;
        }
        return frames;
    }

    private static int endOfFrames(String name, byte[] b) {
        List<Frame> frames = frames(name, b);
        if (frames.isEmpty()) {
            return Math.min(b.length, 32);
        }
        Frame last = frames.get(frames.size() - 1);
        return last.at + 8 + last.length;
    }

    private Frame pickFrame(String name, byte[] b) {
        List<Frame> frames = frames(name, b);
        return frames.isEmpty() ? null : pick(frames);
    }

    /** The numeric fields of a frame's body: counts, lengths, sequences, versions, kinds. */
    private static List<Field> fields(String name, byte[] b, Frame frame) {
        List<Field> fields = new ArrayList<>();
        int at = frame.at + 8;
        int end = at + frame.length;
        if (name.endsWith(".checkpoint")) {
            if (at + 2 <= end) {
                fields.add(new Field(at, 2));
                int key = getShort(b, at);
                int version = at + 2 + key;
                if (version + 12 <= end) {
                    fields.add(new Field(version, 8));
                    fields.add(new Field(version + 8, 4));
                }
            }
            return fields;
        }
        if (at + 4 > end) {
            return fields;
        }
        fields.add(new Field(at, 4));
        int count = getInt(b, at);
        at += 4;
        for (int i = 0; i < count && at + 11 <= end; i++) {
            fields.add(new Field(at, 8));
            fields.add(new Field(at + 8, 1));
            fields.add(new Field(at + 9, 2));
            at += 11 + getShort(b, at + 9);
            if (at + 4 > end) {
                break;
            }
            fields.add(new Field(at, 4));
            int changes = getInt(b, at);
            at += 4;
            for (int c = 0; c < changes && at + 2 <= end; c++) {
                fields.add(new Field(at, 2));
                at += 2 + getShort(b, at);
                if (at + 12 > end) {
                    break;
                }
                fields.add(new Field(at, 8));
                fields.add(new Field(at + 8, 4));
                int value = getInt(b, at + 8);
                at += 12 + Math.max(0, value);
            }
        }
        return fields;
    }

    /** Recomputes the CRC of the frame at {@code at} over its length field and {@code length} body bytes. */
    private static void fixFrameCrc(byte[] b, int at, int length) {
        if ((long) at + 8 + length > b.length) {
            return;
        }
        CRC32C crc = new CRC32C();
        crc.update(b, at, 4);
        crc.update(b, at + 8, length);
        putInt(b, at + 4, Checksums.mask((int) crc.getValue()));
    }

    // ---- values ----------------------------------------------------------------------------------------------------

    private long interesting(int size, long current) {
        return switch (size) {
            case 1 -> new long[] {0, 1, 2, 3, 4, 0x7F, 0x80, 0xFF, random.nextInt(256)}[random.nextInt(9)];
            case 2 -> new long[] {0, 1, maxKey, maxKey + 1, 0x7FFF, 0x8000, 0xFFFF, current + 1, current - 1,
                random.nextInt(0x10000)}[random.nextInt(10)];
            case 4 -> interestingInt(current);
            default -> new long[] {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, current + 1, current - 1, current + 2,
                random.nextLong()}[random.nextInt(9)];
        };
    }

    private int interestingInt(long current) {
        long[] values = {0, 1, -1, -2, 14, 15, 19, maxValue, maxValue + 1L, Integer.MAX_VALUE, Integer.MIN_VALUE, 0x7FFFFFF0,
            maxFrame, maxFrame + 1, current + 1, current - 1, random.nextInt(), random.nextInt(1 << 20)};
        return (int) values[random.nextInt(values.length)];
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }

    private static int getShort(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    private static int getInt(byte[] b, int at) {
        return (int) get(b, at, 4);
    }

    private static long get(byte[] b, int at, int size) {
        long value = 0;
        for (int i = 0; i < size; i++) {
            value = (value << 8) | (b[at + i] & 0xFF);
        }
        return size == 4 ? (int) value : size == 2 ? (short) value : value;
    }

    private static void put(byte[] b, int at, int size, long value) {
        for (int i = size - 1; i >= 0; i--) {
            b[at + i] = (byte) value;
            value >>>= 8;
        }
    }

    private static void putInt(byte[] b, int at, int value) {
        put(b, at, 4, value);
    }

    private static void putLong(byte[] b, int at, long value) {
        put(b, at, 8, value);
    }
}
