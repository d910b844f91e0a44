package io.coffer.internal.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coffer.internal.files.Limits;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keys and names in a frame decode exactly, and bytes that are not UTF-8 are refused, never replaced. */
class LogFormatTest {
    private static final Limits LIMITS = new Limits(100, 100, 10);

    private static ByteBuffer frameOf(String key) {
        Operation operation = new Operation(1, Operation.Kind.WRITE, "", List.of(new Change(key, new byte[] {1, 2}, 1)));
        ByteBuffer frame = ByteBuffer.allocate(256);
        int length = LogFormat.encodeFrame(List.of(operation), frame);
        return frame.flip().limit(length);
    }

    private static ByteBuffer body(ByteBuffer frame) {
        return frame.duplicate().position(LogFormat.FRAME_HEADER_BYTES).slice();
    }

    @Test
    void asciiAndOtherKeysDecodeToTheKeysWritten() throws LogFormat.MalformedException {
        for (String key : List.of("plain-key", "ключ", "キー", "emoji \uD83D\uDE00")) {
            List<Operation> decoded = LogFormat.decodeBody(body(frameOf(key)), LIMITS);
            assertEquals(key, decoded.get(0).changes().get(0).key());
        }
    }

    @Test
    void aKeyThatIsNotUtf8IsMalformedEvenWhenTheChecksumHolds() {
        ByteBuffer frame = frameOf("k\u00e9y"); // é is C3 A9 in UTF-8
        byte[] bytes = new byte[frame.remaining()];
        frame.duplicate().get(bytes);
        int at = indexOf(bytes, (byte) 0xC3);
        bytes[at] = (byte) 0xFF; // never valid in UTF-8
        ByteBuffer damaged = ByteBuffer.wrap(bytes);
        damaged.putInt(4, LogFormat.frameCrc(damaged, 0, bytes.length - LogFormat.FRAME_HEADER_BYTES)); // a crafted, CRC-valid frame
        LogFormat.MalformedException refused = assertThrows(LogFormat.MalformedException.class,
                () -> LogFormat.decodeBody(body(damaged), LIMITS));
        assertTrue(refused.getMessage().contains("not valid UTF-8"), refused::getMessage);
    }

    @Test
    void anOperationClaimingMoreChangesThanItsBytesHoldIsMalformed() {
        ByteBuffer body = body(frameOf("key"));
        int changeCountAt = 4 + 8 + 1 + 2; // operation count, sequence, kind, empty handler name
        assertEquals(1, body.getInt(changeCountAt));
        body.putInt(changeCountAt, 10); // within maxRecsPerOperation, but one change's bytes follow
        LogFormat.MalformedException refused = assertThrows(LogFormat.MalformedException.class,
                () -> LogFormat.decodeBody(body, LIMITS));
        assertTrue(refused.getMessage().contains("claims 10 changes"), refused::getMessage);
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        throw new AssertionError("no byte " + b + " in " + new String(bytes, StandardCharsets.ISO_8859_1));
    }
}
