package io.coffer.internal.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** File names are ten zero-padded digits and an extension, and parse back to their number. */
class DbFilesNameTest {
    @Test
    void namesAreTenZeroPaddedDigitsThenTheExtension() {
        assertEquals("0000000001.log", DbFiles.name(1, ".log"));
        assertEquals("0000004711.checkpoint", DbFiles.name(4711, ".checkpoint"));
        assertEquals("1000000001.log", DbFiles.name(1_000_000_001L, ".log"));
        assertEquals("9999999999.log", DbFiles.name(9_999_999_999L, ".log"));
    }

    @Test
    void everyNameParsesBackToItsNumber() {
        for (long number : new long[] {0, 1, 9, 10, 999_999_999L, 1_000_000_000L, 1_000_000_001L, 9_999_999_999L}) {
            assertEquals(Optional.of(number), DbFiles.parse(DbFiles.name(number, ".log"), ".log"), "number " + number);
        }
    }

    @Test
    void namesOfOtherShapesDoNotParse() {
        assertEquals(Optional.empty(), DbFiles.parse("000000001.log", ".log"), "nine digits");
        assertEquals(Optional.empty(), DbFiles.parse("1000000001.checkpoint", ".log"), "another extension");
        assertEquals(Optional.empty(), DbFiles.parse("10000x0001.log", ".log"), "not a digit");
    }
}
