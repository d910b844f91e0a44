package io.coffer.internal.engine;

import io.coffer.Handler;
import io.coffer.internal.batch.LogRequest;
import io.coffer.internal.records.KeyLocks;
import io.coffer.internal.records.Record;
import io.coffer.internal.records.RecordStore;
import io.coffer.internal.records.Staged;
import io.coffer.internal.wal.Change;
import io.coffer.internal.wal.Operation;
import io.coffer.reports.Code;
import io.coffer.reports.CountReport;
import io.coffer.reports.DeleteListReport;
import io.coffer.reports.ReadListReport;
import io.coffer.reports.ReadReport;
import io.coffer.reports.RecordsListReport;
import io.coffer.reports.Report;
import io.coffer.reports.TransactionReport;
import io.coffer.reports.WriteListReport;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The operations of a running database. Every change follows one path:
 * check the request → check resources → lock its keys in order → read their newest state → decide →
 * stage the new states → submit to the batcher → unlock → wait for the sync.
 *
 * <p>Keys are unlocked once the change is queued rather than once it is synced: the next change of the
 * same key reads the staged state and joins the same group commit. Readers never see staged states, and
 * a change is acknowledged only after its own sync, which comes after the syncs of every change it read.
 *
 * <p>Called from any caller thread.
 */
final class Operations {
    private final Engine engine;
    private final RecordStore store;
    private final KeyLocks keyLocks;
    private final RequestCheck check;
    private final Map<String, Handler> handlers;

    Operations(Engine engine, RecordStore store, KeyLocks keyLocks, RequestCheck check, Map<String, Handler> handlers) {
        this.engine = engine;
        this.store = store;
        this.keyLocks = keyLocks;
        this.check = check;
        this.handlers = handlers;
    }

    // ---- reads: committed state only, no locks --------------------------------------------------------

    ReadReport read(String key) {
        if (!engine.isRunning()) {
            return notRunning(ReadReport::failed);
        }
        byte[] record = key == null ? null : store.committed(key);
        if (record != null) { // a stored key passed every check when it was written (recovery enforces the limits too)
            return ReadReport.found(record, Record.VALUE_OFFSET, Record.valueLength(record), Record.version(record));
        }
        Failure failure = check.key(key);
        if (failure != null) {
            return ReadReport.failed(failure.code(), failure.message());
        }
        return ReadReport.failed(Code.ERR_NOT_FOUND, "key '" + RequestCheck.abbreviate(key) + "' not found");
    }

    ReadListReport readList(Collection<String> keys, boolean anyState) {
        if (anyState ? engine.isClosed() : !engine.isRunning()) {
            return notRunning(ReadListReport::failed);
        }
        Failure failure = check.keys(keys);
        if (failure != null) {
            return ReadListReport.failed(failure.code(), failure.message());
        }
        Map<String, byte[]> found = new LinkedHashMap<>(keys.size() * 2);
        List<String> notFound = new ArrayList<>();
        for (String key : keys) {
            byte[] record = store.committed(key);
            if (record == null) {
                notFound.add(key);
            } else {
                found.put(key, Record.value(record));
            }
        }
        return notFound.isEmpty()
                ? ReadListReport.of(Code.OK, null, found, notFound)
                : ReadListReport.of(Code.ERR_NOT_FOUND, "not found: " + abbreviate(notFound), found, notFound);
    }

    CountReport count(boolean anyState) {
        if (anyState ? engine.isClosed() : !engine.isRunning()) {
            return notRunning(CountReport::failed);
        }
        return CountReport.counted(store.size());
    }

    RecordsListReport list(boolean anyState, Supplier<List<String>> keys) {
        if (anyState ? engine.isClosed() : !engine.isRunning()) {
            return notRunning(RecordsListReport::failed);
        }
        return RecordsListReport.listed(keys.get());
    }

    RecordsListReport listMatching(String text, boolean prefix) {
        if (!engine.isRunning()) {
            return notRunning(RecordsListReport::failed);
        }
        if (text == null) {
            return RecordsListReport.failed(Code.ERR_PARSE_REQUEST, (prefix ? "the prefix" : "the suffix") + " is null");
        }
        return RecordsListReport.listed(prefix ? store.keysWithPrefix(text) : store.keysWithSuffix(text));
    }

    // ---- changes ----------------------------------------------------------------------------------------

    Report write(String key, byte[] value) {
        Epoch epoch = engine.enter();
        if (epoch == null) {
            return notRunning(Report::of);
        }
        try {
            Failure failure = check.keyAndValue(key, value);
            if (failure == null) {
                failure = engine.resourceFailure();
            }
            if (failure != null) {
                return Report.of(failure.code(), failure.message());
            }
            WriteListReport written = writeLocked(epoch, Map.of(key, value), false); // each Change packs a copy
            return written.isCodeOk() ? Report.ok() : Report.of(written.code(), written.error());
        } finally {
            epoch.exit();
        }
    }

    WriteListReport writeList(Map<String, byte[]> records, boolean strict) {
        Epoch epoch = engine.enter();
        if (epoch == null) {
            return notRunning(WriteListReport::failed);
        }
        try {
            Failure failure = check.records(records);
            if (failure == null && records.isEmpty()) {
                return WriteListReport.of(Code.OK, null, List.of());
            }
            if (failure == null) {
                failure = engine.resourceFailure();
            }
            if (failure != null) {
                return WriteListReport.failed(failure.code(), failure.message());
            }
            return writeLocked(epoch, new LinkedHashMap<>(records), strict); // the caller's map as checked; each Change packs a copy of its value
        } finally {
            epoch.exit();
        }
    }

    /** Writes checked records (values are copied as they are packed into changes): lock, look, stage, submit. */
    private WriteListReport writeLocked(Epoch epoch, Map<String, byte[]> records, boolean strict) {
        List<String> keys = RequestCheck.sortedCopy(records.keySet());
        KeyLocks.Held held = keyLocks.lock(keys, () -> !epoch.isClosing());
        if (held == null) {
            return notRunning(WriteListReport::failed);
        }
        List<String> found = new ArrayList<>();
        List<Change> changes = new ArrayList<>(keys.size());
        for (String key : keys) {
            byte[] latest = store.latest(key);
            if (latest != null) {
                found.add(key);
            }
            changes.add(new Change(key, records.get(key), latest == null ? 1 : Record.version(latest) + 1));
        }
        if (strict && !found.isEmpty()) {
            held.unlock();
            return WriteListReport.of(Code.ERR_RECORDS_FOUND, "already exist: " + abbreviate(found), found);
        }
        LogRequest.Outcome outcome = submit(epoch, Operation.Kind.WRITE, "", changes, held);
        return outcome.code() == Code.OK
                ? WriteListReport.of(Code.OK, null, found)
                : WriteListReport.failed(outcome.code(), outcome.message());
    }

    Report delete(String key) {
        DeleteListReport report = deleteList(Collections.singletonList(key), true);
        return report.isCodeOk() ? Report.ok() : Report.of(report.code(), report.error());
    }

    DeleteListReport deleteList(Collection<String> keys, boolean strict) {
        Epoch epoch = engine.enter();
        if (epoch == null) {
            return notRunning(DeleteListReport::failed);
        }
        try {
            Failure failure = check.keys(keys);
            if (failure == null && keys.isEmpty()) {
                return DeleteListReport.of(Code.OK, null, List.of(), List.of());
            }
            if (failure == null) {
                failure = engine.resourceFailure();
            }
            if (failure != null) {
                return DeleteListReport.failed(failure.code(), failure.message());
            }
            return deleteLocked(epoch, keys, strict);
        } finally {
            epoch.exit();
        }
    }

    private DeleteListReport deleteLocked(Epoch epoch, Collection<String> keys, boolean strict) {
        KeyLocks.Held held = keyLocks.lock(RequestCheck.sortedCopy(keys), () -> !epoch.isClosing());
        if (held == null) {
            return notRunning(DeleteListReport::failed);
        }
        List<String> removed = new ArrayList<>();
        List<String> notFound = new ArrayList<>();
        for (String key : keys) {
            (store.latest(key) == null ? notFound : removed).add(key);
        }
        if (removed.isEmpty() || (strict && !notFound.isEmpty())) {
            held.unlock();
            return notFound.isEmpty() || !strict
                    ? DeleteListReport.of(Code.OK, null, List.of(), notFound)
                    : DeleteListReport.of(Code.ERR_NOT_FOUND, "not found: " + abbreviate(notFound), List.of(), notFound);
        }
        List<Change> changes = new ArrayList<>(removed.size());
        for (String key : removed) {
            changes.add(Change.delete(key));
        }
        LogRequest.Outcome outcome = submit(epoch, Operation.Kind.DELETE, "", changes, held);
        return outcome.code() == Code.OK
                ? DeleteListReport.of(Code.OK, null, removed, notFound)
                : DeleteListReport.failed(outcome.code(), outcome.message());
    }

    TransactionReport transaction(String name, List<String> keys, byte[] arg) {
        Epoch epoch = engine.enter();
        if (epoch == null) {
            return notRunning(TransactionReport::failed);
        }
        try {
            Failure failure = name == null ? new Failure(Code.ERR_PARSE_REQUEST, "the handler name is null") : check.keys(keys);
            if (failure == null && keys.isEmpty()) {
                return TransactionReport.committed(Map.of());
            }
            if (failure == null) {
                failure = engine.resourceFailure();
            }
            Handler handler = failure == null ? handlers.get(name) : null;
            if (failure == null && handler == null) {
                failure = new Failure(Code.ERR_HANDLER_NOT_FOUND, "no handler is registered as '" + name + "'");
            }
            if (failure != null) {
                return TransactionReport.failed(failure.code(), failure.message());
            }
            return transactionLocked(epoch, name, handler, keys, arg == null ? null : arg.clone());
        } finally {
            epoch.exit();
        }
    }

    private TransactionReport transactionLocked(Epoch epoch, String name, Handler handler, List<String> keys, byte[] arg) {
        KeyLocks.Held held = keyLocks.lock(RequestCheck.sortedCopy(keys), () -> !epoch.isClosing());
        if (held == null) {
            return notRunning(TransactionReport::failed);
        }
        boolean submitted = false;
        try {
            Map<String, byte[]> current = new LinkedHashMap<>(keys.size() * 2);
            List<String> missing = new ArrayList<>();
            for (String key : keys) {
                byte[] latest = store.latest(key);
                if (latest == null) {
                    missing.add(key);
                } else {
                    current.put(key, latest);
                }
            }
            if (!missing.isEmpty()) {
                return TransactionReport.failed(Code.ERR_READ_RECORDS, "records not found: " + abbreviate(missing));
            }
            HandlerCall call = HandlerCall.run(name, handler, arg, current, check);
            if (call.failure() != null) {
                return TransactionReport.failed(call.failure().code(), call.failure().message());
            }
            List<Change> changes = new ArrayList<>(keys.size());
            for (Map.Entry<String, byte[]> entry : current.entrySet()) {
                changes.add(new Change(entry.getKey(), call.result().get(entry.getKey()), Record.version(entry.getValue()) + 1));
            }
            submitted = true;
            LogRequest.Outcome outcome = submit(epoch, Operation.Kind.TRANSACTION, name, changes, held);
            return outcome.code() == Code.OK
                    ? TransactionReport.committed(call.result())
                    : TransactionReport.failed(outcome.code(), outcome.message());
        } finally {
            if (!submitted) {
                held.unlock();
            }
        }
    }

    /**
     * Stages the changes, queues them, unlocks the keys and waits for the sync. If the batcher no longer
     * accepts work, the staged states are withdrawn before the keys are unlocked.
     */
    private LogRequest.Outcome submit(Epoch epoch, Operation.Kind kind, String handler, List<Change> changes, KeyLocks.Held held) {
        List<Staged> staged = new ArrayList<>(changes.size());
        for (Change change : changes) {
            Staged state = new Staged(change.record()); // null: a deletion
            staged.add(state);
            store.stage(change.key(), state);
        }
        LogRequest request = new LogRequest(kind, handler, changes, staged);
        boolean accepted = epoch.batcher.submit(request);
        if (!accepted) {
            for (int i = 0; i < changes.size(); i++) {
                store.unstage(changes.get(i).key(), staged.get(i));
            }
        }
        held.unlock();
        return accepted ? request.await() : epoch.batcher.refusal();
    }

    /** The report of a call refused because the database is not running: code and message from one look at its state. */
    private <T> T notRunning(BiFunction<Code, String, T> report) {
        Failure why = engine.notRunning();
        return report.apply(why.code(), why.message());
    }

    static String abbreviate(List<String> keys) {
        if (keys.size() <= 10) {
            return String.join(", ", keys);
        }
        return String.join(", ", keys.subList(0, 10)) + " and " + (keys.size() - 10) + " more";
    }
}
