package io.coffer.internal.engine;

import io.coffer.Handler;
import io.coffer.internal.records.Record;
import io.coffer.reports.Code;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs a handler on copies of its records and checks its answer: exactly the requested keys, each with
 * a non-null value within {@code maxValueLength}. The result holds copies, so the handler keeps no
 * reference into the store.
 */
record HandlerCall(Map<String, byte[]> result, Failure failure) {

    static HandlerCall run(String name, Handler handler, byte[] arg, Map<String, byte[]> current, RequestCheck check) {
        Map<String, byte[]> copies = new LinkedHashMap<>(current.size() * 2);
        current.forEach((key, record) -> copies.put(key, Record.value(record)));
        Map<String, byte[]> answer;
        try {
            answer = handler.handle(arg, copies);
        } catch (Throwable t) { // a handler must never take the database down, whatever it throws
            String message = t.getMessage() == null ? t.getClass().getName() : t.getMessage();
            return new HandlerCall(null, new Failure(Code.ERR_HANDLER_RETURN, "handler '" + name + "' failed: " + message));
        }
        return check(name, answer, current, check);
    }

    private static HandlerCall check(String name, Map<String, byte[]> answer, Map<String, byte[]> current, RequestCheck check) {
        if (answer == null) {
            return refused(name, "returned null");
        }
        Map<String, byte[]> result = new LinkedHashMap<>(current.size() * 2);
        try {
            if (answer.size() != current.size() || !answer.keySet().containsAll(current.keySet())) {
                return refused(name, "returned keys " + answer.keySet() + " instead of " + current.keySet());
            }
            for (String key : current.keySet()) {
                byte[] value = answer.get(key);
                if (value == null) {
                    return refused(name, "returned a null value for '" + key + "'");
                }
                Failure tooLong = check.value(key, value);
                if (tooLong != null) {
                    return refused(name, tooLong.message());
                }
                result.put(key, value.clone());
            }
        } catch (RuntimeException e) { // a hostile map (throwing accessors) is a wrong answer, not a crash
            return refused(name, "returned a map that failed to read: " + e);
        }
        return new HandlerCall(result, null);
    }

    private static HandlerCall refused(String name, String why) {
        return new HandlerCall(null, new Failure(Code.ERR_HANDLER_RESPONSE, "handler '" + name + "' " + why));
    }
}
