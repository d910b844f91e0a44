package io.coffer.tool;

import io.coffer.internal.checkpoint.CheckpointFormat;
import io.coffer.internal.checkpoint.CheckpointInfo;
import io.coffer.internal.checkpoint.CheckpointReader;
import io.coffer.internal.checkpoint.CorruptCheckpointException;
import io.coffer.internal.files.DbFiles;
import io.coffer.internal.files.Limits;
import io.coffer.internal.io.StorageFile;
import io.coffer.internal.wal.Change;
import io.coffer.internal.wal.LogFormat;
import io.coffer.internal.wal.Operation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code dump FILE}: one JSON object per line. A header line, then one line per operation of a log (or
 * per record of a checkpoint) up to the first damage, then a summary line saying where and why the
 * file stopped being valid, if it did. Every line has {@code "type"} and {@code "file"}.
 *
 * <p>The kind of file comes from its magic number, or from its extension when the magic is damaged, so a
 * renamed copy dumps too; the number the header must name comes from the file name, or from the header
 * itself when the name is not a Coffer name.
 */
final class Dump {
    private final Limits limits;
    private final PrintStream out;

    Dump(Limits limits, PrintStream out) {
        this.limits = limits;
        this.out = out;
    }

    enum Format { LOG, CHECKPOINT }

    /** The format of {@code file} by its magic, else by its name's extension; empty when neither tells. */
    static Optional<Format> format(StorageFile file, String name) throws IOException {
        ByteBuffer magic = ByteBuffer.allocate(8);
        if (file.readFully(magic, 0) == 8) {
            if (magic.getLong(0) == LogFormat.MAGIC) {
                return Optional.of(Format.LOG);
            }
            if (magic.getLong(0) == CheckpointFormat.MAGIC) {
                return Optional.of(Format.CHECKPOINT);
            }
        }
        if (name.endsWith(DbFiles.LOG)) {
            return Optional.of(Format.LOG);
        }
        if (name.endsWith(DbFiles.CHECKPOINT) || name.endsWith(DbFiles.CHECK)) {
            return Optional.of(Format.CHECKPOINT);
        }
        return Optional.empty();
    }

    /** Dumps {@code path}, already opened as {@code file}; returns the exit code (clean, torn, corrupt). */
    int dump(Path path, StorageFile file, Format format) throws IOException {
        String name = path.getFileName().toString();
        return format == Format.LOG ? dumpLog(name, file) : dumpCheckpoint(name, file);
    }

    private int dumpLog(String name, StorageFile file) throws IOException {
        long number = DbFiles.parse(name, DbFiles.LOG).orElse(LogWalk.storedNumber(file));
        long size = file.size();
        LogWalk.Header header = LogWalk.header(file, number);
        Json head = new Json().put("type", "header").put("file", name).put("format", "log").put("size", size);
        if (header.complete()) {
            head.put("version", header.version()).put("number", header.number()).put("firstSequence", header.firstSequence());
        }
        head.put("valid", header.valid());
        if (!header.valid()) {
            head.put("problem", header.problem());
        }
        out.println(head);

        long[] operations = {0};
        LogWalk.Result result = LogWalk.walk(file, number, limits, (position, operation) -> {
            operations[0]++;
            out.println(operationLine(name, position, operation));
        });
        Json summary = new Json().put("type", "summary").put("file", name).put("frames", result.frames())
                .put("operations", operations[0]);
        if (operations[0] > 0) {
            summary.put("lastSequence", result.lastSequence());
        }
        summary.put("validEnd", result.scan().validEnd()).put("size", result.scan().size());
        int exit;
        if (result.scan().clean()) {
            summary.put("status", "clean");
            exit = CofferTool.EXIT_OK;
        } else {
            boolean torn = result.scan().tornTailOnly();
            summary.put("status", torn ? "torn" : "corrupt").put("offset", result.scan().validEnd())
                    .put("problem", result.scan().damage());
            exit = torn ? CofferTool.EXIT_TORN : CofferTool.EXIT_CORRUPT;
        }
        out.println(summary);
        return exit;
    }

    static String operationLine(String file, long position, Operation operation) {
        StringBuilder changes = new StringBuilder("[");
        for (Change change : operation.changes()) {
            if (changes.length() > 1) {
                changes.append(',');
            }
            Json json = new Json().put("key", change.key()).put("version", change.version());
            if (change.isDelete()) {
                json.put("deleted", true);
            } else {
                json.putValue(change.value());
            }
            changes.append(json);
        }
        changes.append(']');
        return new Json().put("type", "operation").put("file", file).put("position", position)
                .put("sequence", operation.sequence()).put("kind", operation.kind().name())
                .put("handler", operation.handler()).putRaw("changes", changes.toString()).toString();
    }

    private int dumpCheckpoint(String name, StorageFile file) throws IOException {
        boolean unfinished = name.endsWith(DbFiles.CHECK);
        long number = DbFiles.parse(name, unfinished ? DbFiles.CHECK : DbFiles.CHECKPOINT)
                .orElse(LogWalk.storedNumber(file));
        long size = file.size();
        ByteBuffer header = ByteBuffer.allocate(CheckpointFormat.HEADER_BYTES);
        Json head = new Json().put("type", "header").put("file", name).put("format", "checkpoint").put("size", size);
        if (file.readFully(header, 0) == CheckpointFormat.HEADER_BYTES) {
            head.put("version", header.getInt(8)).put("number", header.getLong(12)).put("lastSequence", header.getLong(20));
            try {
                CheckpointFormat.checkHeader(header, number);
                head.put("valid", true);
            } catch (CorruptCheckpointException e) {
                head.put("valid", false).put("problem", e.problem());
            }
        } else {
            head.put("valid", false).put("problem", "checkpoint shorter than its header");
        }
        if (unfinished) {
            head.put("unfinished", true);
        }
        out.println(head);

        long[] position = {CheckpointFormat.HEADER_BYTES};
        long[] records = {0};
        Json summary = new Json().put("type", "summary").put("file", name);
        int exit;
        try {
            CheckpointInfo info = CheckpointReader.read(file, number, limits, entry -> {
                records[0]++;
                out.println(new Json().put("type", "record").put("file", name).put("position", position[0])
                        .put("key", entry.key()).put("version", entry.version()).putValue(entry.value()));
                position[0] += CheckpointFormat.FRAME_HEADER_BYTES
                        + CheckpointFormat.bodyBytes(entry.key().getBytes(StandardCharsets.UTF_8).length,
                                entry.value().length);
            });
            summary.put("records", info.recordCount()).put("size", info.bytes()).put("status", "clean");
            exit = CofferTool.EXIT_OK;
        } catch (CorruptCheckpointException e) {
            summary.put("records", records[0]).put("size", size).put("status", "corrupt").put("offset", e.offset())
                    .put("problem", e.problem());
            exit = CofferTool.EXIT_CORRUPT;
        }
        out.println(summary);
        return exit;
    }
}
