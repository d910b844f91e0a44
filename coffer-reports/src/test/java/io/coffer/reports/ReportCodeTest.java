package io.coffer.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The code tests and the message every {@link Report} answers. */
class ReportCodeTest {

    private static final Set<Code> ERROR_CODES = EnumSet.of(
            Code.ERROR,
            Code.ERR_RECORD_LIMIT_EXCEEDED,
            Code.ERR_EXCEEDING_MAX_VALUE_SIZE,
            Code.ERR_EXCEEDING_MAX_KEY_LENGTH,
            Code.ERR_EXCEEDING_ZERO_KEY_LENGTH,
            Code.ERR_HANDLER_NOT_FOUND,
            Code.ERR_PARSE_REQUEST,
            Code.ERR_RESOURCES,
            Code.ERR_NOT_FOUND,
            Code.ERR_RECORDS_FOUND,
            Code.ERR_READ_RECORDS,
            Code.ERR_HANDLER_RETURN,
            Code.ERR_HANDLER_RESPONSE);

    private static final Set<Code> PANIC_CODES = EnumSet.of(Code.PANIC, Code.PANIC_STOPPED, Code.PANIC_WAL);

    /**
     * Every {@code isCode*} test of {@link Report} and the codes it must be true for (API.md section 1).
     * A helper added to {@code Report} without an entry here makes the tests below fail.
     */
    private static final Map<String, Set<Code>> TRUE_FOR = Map.ofEntries(
            Map.entry("isCodeOk", EnumSet.of(Code.OK)),
            Map.entry("isCodeError", ERROR_CODES),
            Map.entry("isCodePanic", PANIC_CODES),
            Map.entry("isCodeErrRecordLimitExceeded", EnumSet.of(Code.ERR_RECORD_LIMIT_EXCEEDED)),
            Map.entry("isCodeErrExceedingMaxValueSize", EnumSet.of(Code.ERR_EXCEEDING_MAX_VALUE_SIZE)),
            Map.entry("isCodeErrExceedingMaxKeyLength", EnumSet.of(Code.ERR_EXCEEDING_MAX_KEY_LENGTH)),
            Map.entry("isCodeErrExceedingZeroKeyLength", EnumSet.of(Code.ERR_EXCEEDING_ZERO_KEY_LENGTH)),
            Map.entry("isCodeErrHandlerNotFound", EnumSet.of(Code.ERR_HANDLER_NOT_FOUND)),
            Map.entry("isCodeErrParseRequest", EnumSet.of(Code.ERR_PARSE_REQUEST)),
            Map.entry("isCodeErrResources", EnumSet.of(Code.ERR_RESOURCES)),
            Map.entry("isCodeErrNotFound", EnumSet.of(Code.ERR_NOT_FOUND)),
            Map.entry("isCodeErrRecordsFound", EnumSet.of(Code.ERR_RECORDS_FOUND)),
            Map.entry("isCodeErrReadRecords", EnumSet.of(Code.ERR_READ_RECORDS)),
            Map.entry("isCodeErrHandlerReturn", EnumSet.of(Code.ERR_HANDLER_RETURN)),
            Map.entry("isCodeErrHandlerResponse", EnumSet.of(Code.ERR_HANDLER_RESPONSE)),
            Map.entry("isCodePanicStopped", EnumSet.of(Code.PANIC_STOPPED)),
            Map.entry("isCodePanicWAL", EnumSet.of(Code.PANIC_WAL)));

    /** The public {@code isCode*} methods {@link Report} declares. */
    private static List<Method> codeTests() {
        return Arrays.stream(Report.class.getMethods())
                .filter(m -> m.getName().startsWith("isCode"))
                .sorted((a, b) -> a.getName().compareTo(b.getName()))
                .collect(Collectors.toList());
    }

    @Test
    void everyCodeTestOfReportHasAnExpectedMappingAndEveryMappingHasATest() {
        Set<String> declared = codeTests().stream().map(Method::getName).collect(Collectors.toCollection(TreeSet::new));
        Set<String> unmapped = new TreeSet<>(declared);
        unmapped.removeAll(TRUE_FOR.keySet());
        Set<String> missing = new TreeSet<>(TRUE_FOR.keySet());
        missing.removeAll(declared);
        assertTrue(unmapped.isEmpty(), "Report has isCode* tests this test does not know; map them: " + unmapped);
        assertTrue(missing.isEmpty(), "Report lacks the isCode* tests of API.md section 1: " + missing);
    }

    @Test
    void everyCodeTestTakesNoArgumentsAndAnswersABoolean() {
        for (Method m : codeTests()) {
            assertEquals(0, m.getParameterCount(), m.getName());
            assertEquals(boolean.class, m.getReturnType(), m.getName());
            assertTrue(Modifier.isFinal(m.getModifiers()), m.getName() + " should be final so no report can lie");
        }
    }

    @Test
    void everyCodeButTheGenericErrorAndPanicHasItsOwnExactTest() {
        Set<Code> withExactTest = EnumSet.noneOf(Code.class);
        TRUE_FOR.values().stream().filter(codes -> codes.size() == 1).forEach(withExactTest::addAll);
        assertEquals(EnumSet.complementOf(EnumSet.of(Code.ERROR, Code.PANIC)), withExactTest);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Code.class)
    void eachCodeTestOnAReportOfThisCodeIsTrueExactlyWhenTheMappingSaysSo(Code code) {
        for (Report report : AllReports.everyKindOf(code, "message")) {
            for (Method m : codeTests()) {
                Set<Code> expected = TRUE_FOR.get(m.getName());
                assertNotNull(expected, "no expected mapping for " + m.getName());
                assertEquals(expected.contains(code), invoke(m, report),
                        m.getName() + "() on " + AllReports.describe(report));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Code.class)
    void isCodeErrorIsTrueForEveryErrorSeverityCodeAndIsCodePanicForEveryPanicOne(Code code) {
        for (Report report : AllReports.everyKindOf(code, "message")) {
            String what = AllReports.describe(report);
            assertEquals(code.severity() == Severity.ERROR, report.isCodeError(), "isCodeError() on " + what);
            assertEquals(code.severity() == Severity.PANIC, report.isCodePanic(), "isCodePanic() on " + what);
            assertEquals(code.severity() == Severity.OK, report.isCodeOk(), "isCodeOk() on " + what);
        }
    }

    @Test
    void theErrorAndPanicSetsAreExactlyTheCodesOfThatSeverity() {
        for (Code code : Code.values()) {
            assertEquals(code.severity() == Severity.ERROR, ERROR_CODES.contains(code), code.name());
            assertEquals(code.severity() == Severity.PANIC, PANIC_CODES.contains(code), code.name());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Code.class)
    void everyReportKeepsTheCodeItWasGiven(Code code) {
        for (Report report : AllReports.everyKindOf(code, "message")) {
            assertSame(code, report.code(), AllReports.describe(report));
        }
    }

    @Test
    void anOkReportHasNoErrorEvenWhenGivenAMessage() {
        for (Report report : AllReports.everyKindOf(Code.OK, "should be dropped")) {
            assertNull(report.error(), AllReports.describe(report));
        }
        for (Report report : AllReports.everyKindOf(Code.OK, null)) {
            assertNull(report.error(), AllReports.describe(report));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Code.class, names = "OK", mode = EnumSource.Mode.EXCLUDE)
    void aReportThatIsNotOkCarriesTheMessageItWasGiven(Code code) {
        for (Report report : AllReports.everyKindOf(code, "key 'a' is too long")) {
            assertEquals("key 'a' is too long", report.error(), AllReports.describe(report));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Code.class, names = "OK", mode = EnumSource.Mode.EXCLUDE)
    void aReportThatIsNotOkHasAMessageEvenWhenGivenNone(Code code) {
        for (Report report : AllReports.everyKindOf(code, null)) {
            assertNotNull(report.error(), AllReports.describe(report));
            assertFalse(report.error().isBlank(), AllReports.describe(report));
        }
    }

    @Test
    void theSharedOkReportIsOk() {
        assertSame(Report.ok(), Report.of(Code.OK, "ignored"));
        assertSame(Code.OK, Report.ok().code());
        assertNull(Report.ok().error());
    }

    @Test
    void aReportPrintsItsCodeAndMessage() {
        assertEquals("OK", Report.ok().toString());
        assertEquals("ERR_NOT_FOUND: key 'a' not found", Report.of(Code.ERR_NOT_FOUND, "key 'a' not found").toString());
    }

    private static boolean invoke(Method m, Report report) {
        try {
            return (Boolean) m.invoke(report);
        } catch (IllegalAccessException | InvocationTargetException e) {
            return fail(m.getName() + "() on " + AllReports.describe(report) + " threw", e);
        }
    }
}
