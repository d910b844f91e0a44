package io.coffer.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Code} against the table in API.md section 1. */
class CodeTest {

    /** API.md section 1, value to constant name, exactly as written there. */
    private static final List<String> NAMES_BY_NUMBER = List.of(
            "OK",                              // 0
            "ERROR",                           // 1
            "ERR_RECORD_LIMIT_EXCEEDED",       // 2
            "ERR_EXCEEDING_MAX_VALUE_SIZE",    // 3
            "ERR_EXCEEDING_MAX_KEY_LENGTH",    // 4
            "ERR_EXCEEDING_ZERO_KEY_LENGTH",   // 5
            "ERR_HANDLER_NOT_FOUND",           // 6
            "ERR_PARSE_REQUEST",               // 7
            "ERR_RESOURCES",                   // 8
            "ERR_NOT_FOUND",                   // 9
            "ERR_RECORDS_FOUND",               // 10
            "ERR_READ_RECORDS",                // 11
            "ERR_HANDLER_RETURN",              // 12
            "ERR_HANDLER_RESPONSE",            // 13
            "PANIC",                           // 14
            "PANIC_STOPPED",                   // 15
            "PANIC_WAL");                      // 16

    @ParameterizedTest(name = "{0}")
    @EnumSource(Code.class)
    void everyCodeRoundTripsThroughItsNumber(Code code) {
        assertSame(code, Code.of(code.value()));
    }

    @Test
    void theNumbersAreExactlyTheTableOfTheContract() {
        Map<Integer, String> actual = Arrays.stream(Code.values())
                .collect(Collectors.toMap(Code::value, Code::name, (a, b) -> a + " and " + b));
        Map<Integer, String> expected = new HashMap<>();
        for (int number = 0; number < NAMES_BY_NUMBER.size(); number++) {
            expected.put(number, NAMES_BY_NUMBER.get(number));
        }
        assertEquals(expected, actual, "number -> constant, as in API.md section 1");
    }

    @Test
    void everyNumberFromZeroToSixteenNamesTheConstantOfTheTable() {
        for (int number = 0; number <= 16; number++) {
            assertEquals(NAMES_BY_NUMBER.get(number), Code.of(number).name(), "Code.of(" + number + ")");
            assertEquals(number, Code.valueOf(NAMES_BY_NUMBER.get(number)).value(), NAMES_BY_NUMBER.get(number));
        }
    }

    @Test
    void noTwoCodesShareANumber() {
        long distinct = Arrays.stream(Code.values()).mapToInt(Code::value).distinct().count();
        assertEquals(Code.values().length, distinct);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {-1, 17, 1000, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void anUnknownNumberIsRefusedWithAMessageNamingIt(int unknown) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Code.of(unknown));
        assertNotNull(e.getMessage());
        assertTrue(e.getMessage().contains(Integer.toString(unknown)),
                () -> "the message should name " + unknown + ": " + e.getMessage());
    }

    @Test
    void everyCodeHasTheSeverityOfTheTable() {
        assertEquals(Severity.OK, Code.OK.severity());
        assertEquals(Severity.ERROR, Code.ERROR.severity());
        assertEquals(Severity.ERROR, Code.ERR_RECORD_LIMIT_EXCEEDED.severity());
        assertEquals(Severity.ERROR, Code.ERR_EXCEEDING_MAX_VALUE_SIZE.severity());
        assertEquals(Severity.ERROR, Code.ERR_EXCEEDING_MAX_KEY_LENGTH.severity());
        assertEquals(Severity.ERROR, Code.ERR_EXCEEDING_ZERO_KEY_LENGTH.severity());
        assertEquals(Severity.ERROR, Code.ERR_HANDLER_NOT_FOUND.severity());
        assertEquals(Severity.ERROR, Code.ERR_PARSE_REQUEST.severity());
        assertEquals(Severity.ERROR, Code.ERR_RESOURCES.severity());
        assertEquals(Severity.ERROR, Code.ERR_NOT_FOUND.severity());
        assertEquals(Severity.ERROR, Code.ERR_RECORDS_FOUND.severity());
        assertEquals(Severity.ERROR, Code.ERR_READ_RECORDS.severity());
        assertEquals(Severity.ERROR, Code.ERR_HANDLER_RETURN.severity());
        assertEquals(Severity.ERROR, Code.ERR_HANDLER_RESPONSE.severity());
        assertEquals(Severity.PANIC, Code.PANIC.severity());
        assertEquals(Severity.PANIC, Code.PANIC_STOPPED.severity());
        assertEquals(Severity.PANIC, Code.PANIC_WAL.severity());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Code.class)
    void theSeverityTestsOfACodeAgreeWithItsSeverity(Code code) {
        assertEquals(code.severity() == Severity.OK, code.isOk(), "isOk");
        assertEquals(code.severity() == Severity.ERROR, code.isError(), "isError");
        assertEquals(code.severity() == Severity.PANIC, code.isPanic(), "isPanic");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Code.class)
    void everyCodeHasADescriptionForMessages(Code code) {
        assertNotNull(code.description());
        assertFalse(code.description().isBlank(), code + " has a blank description");
    }
}
