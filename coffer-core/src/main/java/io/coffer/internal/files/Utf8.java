package io.coffer.internal.files;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes the keys and names stored in logs and checkpoints strictly: an ASCII string (most keys) by a plain
 * copy, anything else by a decoder that refuses malformed UTF-8 instead of replacing it, so a CRC-valid but
 * crafted file can never load a key that was never written. Any thread; a decoder is not thread-safe.
 */
public final class Utf8 {
    private Utf8() {
    }

    /** A decoder that reports malformed input; one per reading thread. */
    public static CharsetDecoder strictDecoder() {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /**
     * The {@code length} bytes of {@code bytes} from {@code start} as a string, or null when they are not valid
     * UTF-8; {@code decoder} (from {@link #strictDecoder}) may be null, and is then made only if one is needed.
     */
    public static String decode(byte[] bytes, int start, int length, CharsetDecoder decoder) {
        for (int i = start; i < start + length; i++) {
            if (bytes[i] < 0) {
                try {
                    return (decoder == null ? strictDecoder() : decoder.reset()).decode(ByteBuffer.wrap(bytes, start, length)).toString();
                } catch (CharacterCodingException e) {
                    return null;
                }
            }
        }
        return new String(bytes, start, length, StandardCharsets.ISO_8859_1);
    }
}
