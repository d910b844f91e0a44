package io.coffer.tool;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * One JSON object written by hand, field by field, in the order the fields are put (no dependency).
 * Strings are escaped per RFC 8259: quote, backslash and every control character, plus U+2028, U+2029
 * and lone surrogates, so a line is valid JSON and valid UTF-8 whatever a key holds.
 */
final class Json {
    private final StringBuilder text = new StringBuilder(128).append('{');
    private boolean empty = true;

    private StringBuilder name(String name) {
        if (!empty) {
            text.append(',');
        }
        empty = false;
        quote(name, text);
        return text.append(':');
    }

    Json put(String name, String value) {
        StringBuilder out = name(name);
        if (value == null) {
            out.append("null");
        } else {
            quote(value, out);
        }
        return this;
    }

    Json put(String name, long value) {
        name(name).append(value);
        return this;
    }

    Json put(String name, boolean value) {
        name(name).append(value);
        return this;
    }

    /** Puts {@code json}, which must already be valid JSON (an object or array built here). */
    Json putRaw(String name, String json) {
        name(name).append(json);
        return this;
    }

    /**
     * Puts a value as {@code "value":"text"} when its bytes are printable UTF-8 ({@link #printable}),
     * else as {@code "value":"base64...","encoding":"base64"}.
     */
    Json putValue(byte[] value) {
        String printable = printable(value);
        if (printable != null) {
            return put("value", printable);
        }
        return put("value", Base64.getEncoder().encodeToString(value)).put("encoding", "base64");
    }

    @Override
    public String toString() {
        return text + "}";
    }

    /**
     * The text of {@code bytes} when they are well-formed UTF-8 holding no control character other than
     * tab, line feed and carriage return; else null.
     */
    static String printable(byte[] bytes) {
        String text;
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            text = chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
                return null;
            }
        }
        return text;
    }

    /** {@code text} as a JSON string literal. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2);
        quote(text, out);
        return out.toString();
    }

    static void quote(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7F || c == '\u2028' || c == '\u2029') {
                        unicodeEscape(c, out);
                    } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                            && Character.isLowSurrogate(text.charAt(i + 1))) {
                        out.append(c).append(text.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        unicodeEscape(c, out); // a lone surrogate has no UTF-8 form; the escape keeps it
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void unicodeEscape(char c, StringBuilder out) {
        out.append("\\u");
        String hex = Integer.toHexString(c);
        for (int pad = hex.length(); pad < 4; pad++) {
            out.append('0');
        }
        out.append(hex);
    }
}
