package io.coffer;

import java.util.Map;

/**
 * A named transaction, registered with {@link DbBuilder#handler(String, Handler)} and run by
 * {@link Db#transaction(String, java.util.List, byte[])}.
 *
 * <p>{@code records} holds copies of the current values of exactly the requested keys, iterating in the
 * order the keys were requested; {@code arg} may be null (it is copied, and never logged). The handler returns the new values of exactly those keys: it cannot create or delete
 * records. If it throws, the transaction is refused with {@code ERR_HANDLER_RETURN} and nothing changes.
 *
 * <p>The handler runs while the transaction holds the locks of its keys, so other transactions on
 * those keys wait; keep it short and free of I/O. Its <em>result</em> is logged, not its code, so
 * replacing a handler between runs never changes what was committed.
 */
@FunctionalInterface
public interface Handler {
    Map<String, byte[]> handle(byte[] arg, Map<String, byte[]> records) throws Exception;
}
