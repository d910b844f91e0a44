package io.coffer.internal.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coffer.testing.Seeds;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A stored key answers exactly as the String it came from: text, hash, equality and order. */
class StoredKeyTest {
    private static final char[] ALPHABET = {'\u0000', 'a', '?', '\u007f', '\u0080', '\u00ff', '\u0100', '\ud800', '\udc00', '\uffff'};

    private static String randomKey(Random random) {
        StringBuilder key = new StringBuilder();
        for (int n = random.nextInt(6); n > 0; n--) {
            key.append(ALPHABET[random.nextInt(random.nextBoolean() ? 6 : ALPHABET.length)]); // half of them Latin-1 only
        }
        return key.toString();
    }

    @Test
    void latin1KeysAreHeldAsBytesAndOthersAsStrings() {
        assertInstanceOf(byte[].class, StoredKey.of("key-000042"));
        assertInstanceOf(byte[].class, StoredKey.of("caf\u00e9\u00ff"));
        assertInstanceOf(byte[].class, StoredKey.of(""));
        assertInstanceOf(String.class, StoredKey.of("\u0100"));
        assertInstanceOf(String.class, StoredKey.of("what?")); // a '?' could stand for any character above U+00FF
        assertInstanceOf(String.class, StoredKey.of("\ud83d\ude00"));
    }

    @Test
    void aKeyWithCharactersAboveLatin1NeverMatchesAStoredArray() {
        assertTrue(!StoredKey.matches(StoredKey.of("a?"), "a\u0100"));
        assertTrue(!StoredKey.matches(StoredKey.of("a?"), "a\ud83d\ude00".substring(0, 2)));
        assertTrue(StoredKey.matches(StoredKey.of("a\u00ff"), "a\u00ff"));
        assertTrue(!StoredKey.matches(StoredKey.of("ab"), "a\u0100"));
    }

    @Test
    void everyStoredFormAnswersAsItsString() {
        long seed = Seeds.seed("StoredKeyTest");
        Random random = new Random(seed);
        for (int i = 0; i < 20_000; i++) {
            String a = randomKey(random);
            String b = random.nextInt(4) == 0 ? a : randomKey(random);
            Object storedA = StoredKey.of(a);
            Object storedB = StoredKey.of(b);
            String why = "'" + a + "' vs '" + b + "', seed=" + seed;
            assertEquals(a, StoredKey.text(storedA), why);
            assertEquals(a.hashCode(), StoredKey.hash(storedA), why);
            assertEquals(a.equals(b), StoredKey.matches(storedA, b), why);
            int expected = Integer.signum(a.compareTo(b));
            assertEquals(expected, Integer.signum(StoredKey.compare(storedA, storedB)), why);
            assertEquals(expected, Integer.signum(StoredKey.compare(storedA, b)), why);
            assertEquals(expected, Integer.signum(StoredKey.compare(a, storedB)), why);
        }
    }

    @Test
    void searchFindsAKeyOrWhereItGoesAmongMixedForms() {
        Object[] keys = {StoredKey.of("a"), StoredKey.of("b\u0100"), StoredKey.of("c"), StoredKey.of("\u00ff")};
        assertEquals(0, StoredKey.search(keys, 0, keys.length, "a"));
        assertEquals(1, StoredKey.search(keys, 0, keys.length, "b\u0100"));
        assertEquals(-2, StoredKey.search(keys, 0, keys.length, "b"));
        assertEquals(-5, StoredKey.search(keys, 0, keys.length, "\u0100"));
        assertTrue(StoredKey.search(keys, 1, keys.length, "a") < 0);
    }
}
