package io.coffer.internal.records;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import org.junit.jupiter.api.Test;

class RecordTest {

    @Test
    void aPackedRecordIsTheBigEndianVersionFollowedByTheValue() {
        byte[] record = Record.pack(0x0102030405060708L, new byte[] {42, 43});
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 42, 43}, record);
        assertEquals(0x0102030405060708L, Record.version(record));
        assertEquals(2, Record.valueLength(record));
    }

    @Test
    void packingCopiesTheValueAndTheValueComesOutAsACopy() {
        byte[] value = {1, 2, 3};
        byte[] record = Record.pack(7, value);
        value[0] = 9;
        byte[] out = Record.value(record);
        assertArrayEquals(new byte[] {1, 2, 3}, out);
        out[1] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, Record.value(record));
        assertNotSame(Record.value(record), Record.value(record));
    }

    @Test
    void aRangeOfALargerArrayPacksOnlyThatRange() {
        byte[] record = Record.pack(3, new byte[] {9, 9, 5, 6, 9}, 2, 2);
        assertArrayEquals(new byte[] {5, 6}, Record.value(record));
        assertEquals(3, Record.version(record));
    }

    @Test
    void anEmptyValueAndExtremeVersionsSurvivePacking() {
        for (long version : new long[] {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE}) {
            byte[] record = Record.pack(version, new byte[0]);
            assertEquals(version, Record.version(record));
            assertEquals(0, Record.valueLength(record));
            assertArrayEquals(new byte[0], Record.value(record));
        }
    }

    @Test
    void aRecordMadeForADecoderHasItsVersionAndRoomForTheValue() {
        byte[] record = Record.withVersion(12, 4);
        assertEquals(12, Record.version(record));
        assertEquals(4, Record.valueLength(record));
        assertArrayEquals(new byte[4], Record.value(record));
    }
}
