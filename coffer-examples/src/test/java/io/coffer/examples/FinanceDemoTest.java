package io.coffer.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coffer.Db;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FinanceDemoTest {

    @Test
    void conservesTheTotalAndEveryBalanceSurvivesTheRestart(@TempDir Path dir) throws Exception {
        FinanceDemo.Result result = FinanceDemo.run(new FinanceDemo.Options(dir, 1, 2, 50));

        assertNull(result.failure());
        assertTrue(result.operations() > 0, "operations: " + result.operations());
        assertEquals(50 * FinanceDemo.INITIAL_BALANCE, result.totalBefore());
        assertTrue(result.conserved(), "total after restart: " + result.afterRestart().total());
        assertEquals(50, result.afterRestart().accounts());
        assertEquals(50, result.expectedBalances().size());
        assertTrue(result.restartCheckPassed(), "mismatches: " + result.afterRestart().mismatches());
        assertTrue(result.passed());
    }

    @Test
    void theRestartCheckNoticesABalanceThatDiffersFromTheLedger(@TempDir Path dir) throws Exception {
        FinanceDemo.Result result = FinanceDemo.run(new FinanceDemo.Options(dir, 1, 2, 10));
        String account = result.expectedBalances().keySet().iterator().next();
        long expected = result.expectedBalances().get(account);

        try (Db db = Check.ok(Db.builder(dir).create(), "create").db()) {
            Check.ok(db.start(), "start");
            Check.ok(db.write(account, FinanceHandlers.amount(expected + 1)), "tamper");
            Check.ok(db.stop(), "stop");
        }
        FinanceDemo.Verification verification = FinanceDemo.verify(dir, result.expectedBalances());

        assertEquals(1, verification.mismatches().size(), verification.mismatches().toString());
        assertTrue(verification.mismatches().get(0).startsWith(account + ": expected " + expected));
        assertEquals(result.afterRestart().total() + 1, verification.total());
    }

    @Test
    void refusesADirectoryThatAlreadyHoldsData(@TempDir Path dir) throws Exception {
        try (Db db = Check.ok(Db.builder(dir).create(), "create").db()) {
            Check.ok(db.start(), "start");
            Check.ok(db.write("something", new byte[] {1}), "write");
            Check.ok(db.stop(), "stop");
        }

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> FinanceDemo.run(new FinanceDemo.Options(dir, 1, 1, 2)));
        assertTrue(refused.getMessage().contains("already holds 1 records"), refused.getMessage());
    }

    @Test
    void parsesItsOptionsAndRejectsBadOnes() {
        FinanceDemo.Options options = FinanceDemo.Options.parse("--dir", "/tmp/x", "--seconds", "3", "--threads", "4",
                "--accounts", "20");
        assertEquals(new FinanceDemo.Options(Path.of("/tmp/x"), 3, 4, 20), options);
        assertEquals(FinanceDemo.Options.defaults(), FinanceDemo.Options.parse());

        assertThrows(IllegalArgumentException.class, () -> FinanceDemo.Options.parse("--seconds"));
        assertThrows(IllegalArgumentException.class, () -> FinanceDemo.Options.parse("--seconds", "0"));
        assertThrows(IllegalArgumentException.class, () -> FinanceDemo.Options.parse("--accounts", "1"));
        assertThrows(IllegalArgumentException.class, () -> FinanceDemo.Options.parse("--threads", "many"));
        assertThrows(IllegalArgumentException.class, () -> FinanceDemo.Options.parse("--colour", "blue"));
    }
}
