package io.coffer.internal.engine;

import io.coffer.internal.files.Limits;
import io.coffer.reports.Code;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a request's arguments in the contract's order: null arguments and encodability
 * ({@code ERR_PARSE_REQUEST}), record count, keys (empty, then too long), values. The first failing
 * check decides; null means the request is well formed. Stateless apart from the limits.
 */
final class RequestCheck {
    private final Limits limits;

    RequestCheck(Limits limits) {
        this.limits = limits;
    }

    Failure key(String key) {
        if (key == null) {
            return new Failure(Code.ERR_PARSE_REQUEST, "the key is null");
        }
        int length = Keys.utf8Length(key);
        if (length < 0) {
            return unencodable(key);
        }
        return keyLength(key, length);
    }

    Failure keyAndValue(String key, byte[] value) {
        if (key == null || value == null) {
            return new Failure(Code.ERR_PARSE_REQUEST, key == null ? "the key is null" : "the value of '" + key + "' is null");
        }
        Failure failure = key(key);
        return failure != null ? failure : value(key, value);
    }

    /** Checks a list of keys: no null, no duplicate, valid Unicode, count, lengths. */
    Failure keys(Collection<String> keys) {
        if (keys == null) {
            return new Failure(Code.ERR_PARSE_REQUEST, "the key list is null");
        }
        Set<String> seen = new HashSet<>(keys.size() * 2);
        for (String key : keys) {
            if (key == null) {
                return new Failure(Code.ERR_PARSE_REQUEST, "the key list holds a null key");
            }
            if (!seen.add(key)) {
                return new Failure(Code.ERR_PARSE_REQUEST, "the key '" + key + "' appears twice");
            }
            if (Keys.utf8Length(key) < 0) {
                return unencodable(key);
            }
        }
        Failure count = count(keys.size());
        if (count != null) {
            return count;
        }
        return keyLengths(keys);
    }

    /** Checks a map of records: no null key or value, valid Unicode, count, key lengths, value lengths. */
    Failure records(Map<String, byte[]> records) {
        if (records == null) {
            return new Failure(Code.ERR_PARSE_REQUEST, "the record map is null");
        }
        for (Map.Entry<String, byte[]> entry : records.entrySet()) {
            if (entry.getKey() == null) {
                return new Failure(Code.ERR_PARSE_REQUEST, "the record map holds a null key");
            }
            if (entry.getValue() == null) {
                return new Failure(Code.ERR_PARSE_REQUEST, "the value of '" + entry.getKey() + "' is null");
            }
            if (Keys.utf8Length(entry.getKey()) < 0) {
                return unencodable(entry.getKey());
            }
        }
        Failure count = count(records.size());
        if (count != null) {
            return count;
        }
        Failure keys = keyLengths(records.keySet());
        if (keys != null) {
            return keys;
        }
        for (Map.Entry<String, byte[]> entry : records.entrySet()) {
            Failure value = value(entry.getKey(), entry.getValue());
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    Failure count(int count) {
        if (count > limits.maxRecsPerOperation()) {
            return new Failure(Code.ERR_RECORD_LIMIT_EXCEEDED, count + " records in one operation; maxRecsPerOperation is "
                    + limits.maxRecsPerOperation());
        }
        return null;
    }

    Failure value(String key, byte[] value) {
        if (value.length > limits.maxValueLength()) {
            return new Failure(Code.ERR_EXCEEDING_MAX_VALUE_SIZE, "the value of '" + abbreviate(key) + "' has " + value.length
                    + " bytes; maxValueLength is " + limits.maxValueLength());
        }
        return null;
    }

    /** Empty keys are reported before long ones, whatever their order in the request. */
    private Failure keyLengths(Collection<String> keys) {
        for (String key : keys) {
            if (key.isEmpty()) {
                return new Failure(Code.ERR_EXCEEDING_ZERO_KEY_LENGTH, "a key is empty");
            }
        }
        for (String key : keys) {
            Failure failure = keyLength(key);
            if (failure != null) {
                return failure;
            }
        }
        return null;
    }

    private Failure keyLength(String key) {
        return keyLength(key, Keys.utf8Length(key));
    }

    private Failure keyLength(String key, int length) {
        if (length == 0) {
            return new Failure(Code.ERR_EXCEEDING_ZERO_KEY_LENGTH, "the key is empty");
        }
        if (length > limits.maxKeyLength()) {
            return new Failure(Code.ERR_EXCEEDING_MAX_KEY_LENGTH, "the key '" + abbreviate(key) + "' has " + length
                    + " UTF-8 bytes; maxKeyLength is " + limits.maxKeyLength());
        }
        return null;
    }

    private static Failure unencodable(String key) {
        return new Failure(Code.ERR_PARSE_REQUEST, "the key '" + abbreviate(key.replaceAll("[\\uD800-\\uDFFF]", "?"))
                + "' is not valid Unicode (an unpaired surrogate)");
    }

    static String abbreviate(String key) {
        return key.length() <= 40 ? key : key.substring(0, 37) + "...";
    }

    /**
     * The keys, ascending, as an unmodifiable list: the order every caller locks keys in. A single key (every
     * {@code write}, {@code read}, {@code delete}) skips the sort; a stream pipeline here was 2.5% of a
     * 32-thread write's CPU.
     */
    static List<String> sortedCopy(Collection<String> keys) {
        if (keys.size() == 1) {
            return List.of(keys.iterator().next());
        }
        String[] sorted = keys.toArray(new String[0]);
        Arrays.sort(sorted);
        return List.of(sorted);
    }
}
