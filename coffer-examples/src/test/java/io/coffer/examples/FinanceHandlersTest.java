package io.coffer.examples;

import static io.coffer.examples.FinanceHandlers.amount;
import static io.coffer.examples.FinanceHandlers.balance;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FinanceHandlersTest {

    private static Map<String, byte[]> accounts(Object... keysAndBalances) {
        Map<String, byte[]> records = new LinkedHashMap<>();
        for (int i = 0; i < keysAndBalances.length; i += 2) {
            records.put((String) keysAndBalances[i], amount((Long) keysAndBalances[i + 1]));
        }
        return records;
    }

    @Test
    void debitSubtractsAndCreditAdds() {
        assertEquals(70, balance(FinanceHandlers.debit(amount(30), accounts("a", 100L)).get("a")));
        assertEquals(130, balance(FinanceHandlers.credit(amount(30), accounts("a", 100L)).get("a")));
    }

    @Test
    void debitRefusesAnOverdraftButMayEmptyTheAccount() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> FinanceHandlers.debit(amount(101), accounts("a", 100L)));
        assertTrue(refused.getMessage().startsWith("insufficient funds"), refused.getMessage());
        assertEquals(0, balance(FinanceHandlers.debit(amount(100), accounts("a", 100L)).get("a")));
    }

    @Test
    void transferMovesMoneyFromTheNamedPayerWhateverTheMapOrder() {
        Map<String, byte[]> payerFirst = FinanceHandlers.transfer(FinanceHandlers.transferArg("a", 40), accounts("a", 100L, "b", 5L));
        Map<String, byte[]> payerSecond = FinanceHandlers.transfer(FinanceHandlers.transferArg("a", 40), accounts("b", 5L, "a", 100L));

        for (Map<String, byte[]> result : List.of(payerFirst, payerSecond)) {
            assertEquals(60, balance(result.get("a")));
            assertEquals(45, balance(result.get("b")));
        }
    }

    @Test
    void transferRefusesAnOverdraftAnUnknownPayerAndAnAmountThatIsNotPositive() {
        assertThrows(IllegalStateException.class,
                () -> FinanceHandlers.transfer(FinanceHandlers.transferArg("b", 6), accounts("a", 100L, "b", 5L)));
        assertThrows(IllegalArgumentException.class,
                () -> FinanceHandlers.transfer(FinanceHandlers.transferArg("c", 1), accounts("a", 100L, "b", 5L)));
        assertThrows(IllegalArgumentException.class,
                () -> FinanceHandlers.transfer(FinanceHandlers.transferArg("a", 0), accounts("a", 100L, "b", 5L)));
        assertThrows(IllegalArgumentException.class,
                () -> FinanceHandlers.debit(amount(-5), accounts("a", 100L)));
    }

    @Test
    void exchangeSwapsTheTwoBalances() {
        Map<String, byte[]> swapped = FinanceHandlers.exchange(null, accounts("a", 100L, "b", 5L));

        assertEquals(5, balance(swapped.get("a")));
        assertEquals(100, balance(swapped.get("b")));
    }
}
