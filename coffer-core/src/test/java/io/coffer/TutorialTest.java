package io.coffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coffer.reports.Code;
import io.coffer.reports.CountReport;
import io.coffer.reports.ReadReport;
import io.coffer.reports.RecordsListReport;
import io.coffer.reports.Report;
import io.coffer.reports.TransactionReport;
import io.coffer.reports.WriteListReport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A walk through the API as a new user meets it, in the order of the README. Read it top to bottom.
 */
class TutorialTest {

    /** A handler moves money between two accounts stored as 8-byte balances; it throws to refuse. */
    static final Handler TRANSFER = (arg, records) -> {
        long amount = ByteBuffer.wrap(arg).getLong();
        long from = ByteBuffer.wrap(records.get("alice")).getLong();
        long to = ByteBuffer.wrap(records.get("bob")).getLong();
        if (from < amount) {
            throw new IllegalStateException("insufficient funds: " + from + " < " + amount);
        }
        return Map.of("alice", balance(from - amount), "bob", balance(to + amount));
    };

    @Test
    void aNewUserCreatesStartsWritesReadsTransactsStopsAndReopens(@TempDir Path dir) {
        // 1. Configure and create. create() never throws: it answers a report.
        CreateReport created = Db.builder(dir)
                .limitMemory(0)          // this test must not depend on the machine's free memory
                .limitDisk(0)
                .handler("transfer", TRANSFER)
                .create();
        assertTrue(created.isCodeOk(), created::toString);
        assertEquals(List.of(), created.warnings());
        Db db = created.db();
        assertEquals(DbState.CREATED, db.state());

        // 2. Nothing but the Unsafe methods works until start().
        assertEquals(Code.PANIC_STOPPED, db.read("alice").code());
        assertTrue(db.start().isCodeOk());

        // 3. Writes are acknowledged only once they are on disk.
        assertTrue(db.write("alice", balance(100)).isCodeOk());
        WriteListReport strict = db.writeList(Map.of("bob", balance(5), "carol", balance(7)), true);
        assertTrue(strict.isCodeOk());
        assertEquals(List.of(), strict.found());

        // 4. Reads hand out copies, with the record's version.
        ReadReport alice = db.read("alice");
        assertEquals(100, ByteBuffer.wrap(alice.data()).getLong());
        assertEquals(1, alice.version());

        // 5. A transaction runs a registered handler on the current values and commits its answer atomically.
        TransactionReport moved = db.transaction("transfer", List.of("alice", "bob"), balance(30));
        assertTrue(moved.isCodeOk(), moved::toString);
        assertEquals(70, ByteBuffer.wrap(moved.data().get("alice")).getLong());
        assertEquals(2, db.read("bob").version());

        // 6. A handler that throws refuses the transaction; nothing changes.
        TransactionReport refused = db.transaction("transfer", List.of("alice", "bob"), balance(1000));
        assertEquals(Code.ERR_HANDLER_RETURN, refused.code());
        assertTrue(refused.error().contains("insufficient funds"), refused::error);
        assertEquals(70, ByteBuffer.wrap(db.read("alice").data()).getLong());

        // 7. Errors are codes, not exceptions: ERROR means "not done, carry on".
        Report missing = db.delete("dave");
        assertTrue(missing.isCodeError());
        assertTrue(missing.isCodeErrNotFound());

        // 8. Listings are sorted.
        RecordsListReport keys = db.recordsList();
        assertEquals(List.of("alice", "bob", "carol"), keys.keys());
        CountReport count = db.count();
        assertEquals(3, count.count());

        // 9. stop() syncs everything and writes a checkpoint; close() also releases the directory.
        assertTrue(db.stop().isCodeOk());
        assertEquals(DbState.STOPPED, db.state());
        assertEquals(3, db.countUnsafe().count());
        db.close();
        assertEquals(Code.PANIC_STOPPED, db.countUnsafe().code());

        // 10. Reopening finds every acknowledged change.
        try (Db again = Db.builder(dir).limitMemory(0).limitDisk(0).handler("transfer", TRANSFER).create().db()) {
            assertTrue(again.start().isCodeOk());
            assertEquals(70, ByteBuffer.wrap(again.read("alice").data()).getLong());
            assertEquals(35, ByteBuffer.wrap(again.read("bob").data()).getLong());
            assertArrayEquals(balance(7), again.read("carol").data());
            assertFalse(again.status().failure() != null);
        }
    }

    static byte[] balance(long amount) {
        return ByteBuffer.allocate(8).putLong(amount).array();
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
