package io.coffer.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.coffer.Handler;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.Map;

/**
 * Transaction handlers for accounts whose value is the balance as an 8-byte big-endian {@code long}.
 *
 * <table>
 *   <caption>The handlers</caption>
 *   <tr><th>name</th><th>keys</th><th>arg</th><th>effect</th></tr>
 *   <tr><td>{@value #DEBIT}</td><td>one account</td><td>{@link #amount(long)}</td>
 *       <td>subtracts the amount; refuses an overdraft</td></tr>
 *   <tr><td>{@value #CREDIT}</td><td>one account</td><td>{@link #amount(long)}</td>
 *       <td>adds the amount; refuses an overflow</td></tr>
 *   <tr><td>{@value #TRANSFER}</td><td>two accounts</td><td>{@link #transferArg(String, long)}</td>
 *       <td>moves the amount from the named account to the other; refuses an overdraft</td></tr>
 *   <tr><td>{@value #EXCHANGE}</td><td>two accounts</td><td>ignored (pass null)</td>
 *       <td>swaps the two balances</td></tr>
 * </table>
 *
 * <p>A handler refuses by throwing: the transaction then answers {@code ERR_HANDLER_RETURN} with the
 * exception's message, and nothing changes. Amounts must be positive.
 *
 * <p>A handler receives the records in the order the keys were requested, but a transfer names its payer
 * in the argument all the same: what it does is then plain from the logged request alone.
 */
public final class FinanceHandlers {
    public static final String DEBIT = "debit";
    public static final String CREDIT = "credit";
    public static final String TRANSFER = "transfer";
    public static final String EXCHANGE = "exchange";

    private FinanceHandlers() {
    }

    /** The four handlers by name, for {@code Db.builder(dir).handlers(FinanceHandlers.all())}. */
    public static Map<String, Handler> all() {
        return Map.of(
                DEBIT, FinanceHandlers::debit,
                CREDIT, FinanceHandlers::credit,
                TRANSFER, FinanceHandlers::transfer,
                EXCHANGE, FinanceHandlers::exchange);
    }

    /** A balance or an amount as stored: 8 bytes, big-endian. */
    public static byte[] amount(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    /** The long that {@link #amount(long)} encoded. */
    public static long balance(byte[] bytes) {
        if (bytes == null || bytes.length != Long.BYTES) {
            throw new IllegalArgumentException("a balance has " + Long.BYTES + " bytes, not "
                    + (bytes == null ? "null" : bytes.length));
        }
        return ByteBuffer.wrap(bytes).getLong();
    }

    /** The argument of {@value #TRANSFER}: the amount (8 bytes) followed by the paying account's key (UTF-8). */
    public static byte[] transferArg(String from, long amount) {
        byte[] key = from.getBytes(UTF_8);
        return ByteBuffer.allocate(Long.BYTES + key.length).putLong(amount).put(key).array();
    }

    static Map<String, byte[]> debit(byte[] arg, Map<String, byte[]> records) {
        long amount = positive(balance(arg));
        String account = only(records, DEBIT);
        long balance = balance(records.get(account));
        if (balance < amount) {
            throw new IllegalStateException("insufficient funds: " + account + " has " + balance + ", debit of " + amount);
        }
        return Map.of(account, amount(balance - amount));
    }

    static Map<String, byte[]> credit(byte[] arg, Map<String, byte[]> records) {
        long amount = positive(balance(arg));
        String account = only(records, CREDIT);
        long balance = balance(records.get(account));
        if (balance > Long.MAX_VALUE - amount) {
            throw new IllegalStateException("overflow: " + account + " has " + balance + ", credit of " + amount);
        }
        return Map.of(account, amount(balance + amount));
    }

    static Map<String, byte[]> transfer(byte[] arg, Map<String, byte[]> records) {
        if (arg == null || arg.length <= Long.BYTES) {
            throw new IllegalArgumentException("transfer takes the amount and the paying account");
        }
        ByteBuffer buffer = ByteBuffer.wrap(arg);
        long amount = positive(buffer.getLong());
        String from = UTF_8.decode(buffer).toString();
        if (records.size() != 2 || !records.containsKey(from)) {
            throw new IllegalArgumentException("transfer takes two accounts including the payer " + from
                    + ", not " + records.keySet());
        }
        String to = other(records, from);
        long fromBalance = balance(records.get(from));
        long toBalance = balance(records.get(to));
        if (fromBalance < amount) {
            throw new IllegalStateException("insufficient funds: " + from + " has " + fromBalance + ", transfer of " + amount);
        }
        if (toBalance > Long.MAX_VALUE - amount) {
            throw new IllegalStateException("overflow: " + to + " has " + toBalance + ", transfer of " + amount);
        }
        return Map.of(from, amount(fromBalance - amount), to, amount(toBalance + amount));
    }

    static Map<String, byte[]> exchange(byte[] arg, Map<String, byte[]> records) {
        if (records.size() != 2) {
            throw new IllegalArgumentException("exchange takes two accounts, not " + records.keySet());
        }
        Iterator<String> keys = records.keySet().iterator();
        String a = keys.next();
        String b = keys.next();
        long aBalance = balance(records.get(a));
        long bBalance = balance(records.get(b));
        return Map.of(a, amount(bBalance), b, amount(aBalance));
    }

    private static long positive(long amount) {
        if (amount <= 0) {
            throw new IllegalArgumentException("the amount must be positive, not " + amount);
        }
        return amount;
    }

    private static String only(Map<String, byte[]> records, String handler) {
        if (records.size() != 1) {
            throw new IllegalArgumentException(handler + " takes one account, not " + records.keySet());
        }
        return records.keySet().iterator().next();
    }

    private static String other(Map<String, byte[]> records, String account) {
        for (String key : records.keySet()) {
            if (!key.equals(account)) {
                return key;
            }
        }
        throw new IllegalArgumentException("no account besides " + account);
    }
}
