package io.coffer.internal.records;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/**
 * A key as the committed layer keeps it: a {@code byte[]} of its characters when every one is below U+0100 (one
 * byte each, as {@code String} itself stores such text) and none is {@code '?'}, else the {@code String}.
 *
 * <p>Why no {@code '?'}: a lookup compares a stored array with {@code key.getBytes(ISO_8859_1)} (a copy the JDK
 * makes fast, then one vectorized comparison), and that encoding turns every character above U+00FF into
 * {@code '?'}; with no {@code '?'} in stored arrays, such a key can never match one.
 *
 * <p>Why: a {@code String} is an object of 24 bytes around its character array; a million keys held as their bare
 * arrays save 24 MB. Both indexes of the committed layer share the one stored key of each record. The byte form
 * orders, hashes and compares exactly like the {@code String} it came from (unsigned bytes are the characters).
 */
final class StoredKey {
    private StoredKey() {
    }

    /** The stored form of {@code key}. */
    static Object of(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c > 0xFF || c == '?') {
                return key;
            }
        }
        return key.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The key a stored form holds, as a {@code String} (made anew from the byte form). */
    static String text(Object stored) {
        return stored instanceof byte[] bytes ? new String(bytes, StandardCharsets.ISO_8859_1) : (String) stored;
    }

    /** {@code String.hashCode()} of the key. */
    static int hash(Object stored) {
        if (stored instanceof byte[] bytes) {
            int hash = 0;
            for (byte b : bytes) {
                hash = 31 * hash + (b & 0xFF);
            }
            return hash;
        }
        return stored.hashCode();
    }

    /** Whether {@code stored} holds {@code key}; false for null. */
    static boolean matches(Object stored, String key) {
        if (stored instanceof byte[] bytes) {
            return bytes.length == key.length() && Arrays.equals(bytes, key.getBytes(StandardCharsets.ISO_8859_1)); // see class doc
        }
        return key.equals(stored);
    }

    /** {@code String.compareTo} of the two keys, each a stored form or a {@code String}. */
    static int compare(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.compareUnsigned(x, y);
        }
        if (a instanceof String x && b instanceof String y) {
            return x.compareTo(y);
        }
        int n = Math.min(length(a), length(b));
        for (int i = 0; i < n; i++) {
            int d = charAt(a, i) - charAt(b, i);
            if (d != 0) {
                return d;
            }
        }
        return length(a) - length(b);
    }

    /** The number of characters of a stored form or a {@code String}. */
    static int length(Object key) {
        return key instanceof byte[] bytes ? bytes.length : ((String) key).length();
    }

    /** Character {@code i} of a stored form or a {@code String}. */
    static char charAt(Object key, int i) {
        return key instanceof byte[] bytes ? (char) (bytes[i] & 0xFF) : ((String) key).charAt(i);
    }

    /** {@link #compare} as a comparator. */
    static final Comparator<Object> ORDER = StoredKey::compare;

    /** {@code Arrays.binarySearch} of {@code key} over {@code keys[from, to)}, in {@link #compare} order. */
    static int search(Object[] keys, int from, int to, Object key) {
        return Arrays.binarySearch(keys, from, to, key, ORDER);
    }
}
