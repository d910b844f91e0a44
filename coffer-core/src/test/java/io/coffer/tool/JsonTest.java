package io.coffer.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written JSON: every string round-trips through a strict parser; values choose text or base64. */
class JsonTest {
    @Test
    void specialCharactersAreEscaped() {
        assertEquals("\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0000\\u001f\\u007f\\u2028\\u2029/\"",
                Json.quote("a\"b\\c\n\r\t\b\f\u0000\u001f\u007f\u2028\u2029/"));
        assertEquals("\"\u043a\uD83D\uDE00\"", Json.quote("\u043a\uD83D\uDE00")); // BMP and a surrogate pair stay raw
        assertEquals("\"\\ud83d|\\ude00\"", Json.quote("\uD83D|\uDE00")); // lone surrogates are escaped
    }

    @Test
    void randomStringsRoundTripThroughAStrictParser() {
        Random random = new Random(42);
        for (int i = 0; i < 5000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(20);
            for (int j = 0; j < length; j++) {
                text.append(switch (random.nextInt(4)) {
                    case 0 -> (char) random.nextInt(0x80);
                    case 1 -> (char) random.nextInt(0x10000);
                    case 2 -> "\"\\\n\u2028".charAt(random.nextInt(4));
                    default -> (char) (0xD800 + random.nextInt(0x800));
                });
            }
            String line = new Json().put("key", text.toString()).put("n", -i).put("ok", i % 2 == 0).toString();
            String utf8 = new String(line.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
            assertEquals(line, utf8, "the line survives UTF-8 unchanged"); // no lone surrogate reaches the output
            Map<String, Object> parsed = TestJson.object(line);
            assertEquals(text.toString(), parsed.get("key"));
            assertEquals((long) -i, parsed.get("n"));
            assertEquals(i % 2 == 0, parsed.get("ok"));
        }
    }

    @Test
    void valuesArePrintableTextOrBase64() {
        assertEquals("{\"value\":\"hello \u00e9\\n\"}", new Json().putValue("hello \u00e9\n".getBytes(StandardCharsets.UTF_8)).toString());
        assertEquals("{\"value\":\"\"}", new Json().putValue(new byte[0]).toString());
        byte[] binary = {(byte) 0xC3, 0x28}; // malformed UTF-8
        assertEquals("{\"value\":\"" + Base64.getEncoder().encodeToString(binary) + "\",\"encoding\":\"base64\"}",
                new Json().putValue(binary).toString());
        assertNull(Json.printable(new byte[] {'a', 0, 'b'}));
        assertNull(Json.printable(new byte[] {0x1b, '['}));
        assertNull(Json.printable(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})); // an encoded surrogate
        assertEquals("a\tb\r\n", Json.printable("a\tb\r\n".getBytes(StandardCharsets.UTF_8)));
    }
}
