package io.coffer.reports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Reports are immutable values: nothing a caller does to the arrays, lists and maps it handed in or
 * got out changes what a report answers. Each mutation may either throw
 * {@link UnsupportedOperationException} or work on a private copy; both are accepted.
 */
class ReportImmutabilityTest {

    // ---------------------------------------------------------------- ReadReport.data()

    @Test
    void changingTheArrayHandedToAReadReportChangesNothingInIt() {
        byte[] value = {1, 2, 3};
        ReadReport report = ReadReport.found(value, 7);
        value[0] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, report.data());
        assertEquals(7, report.version());
    }

    @Test
    void aReadReportOfARangeHoldsACopyOfExactlyThatRange() {
        byte[] source = {0, 0, 1, 2, 3, 4};
        ReadReport report = ReadReport.found(source, 2, 3, 5);
        source[2] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, report.data());
        assertEquals(5, report.version());
        assertArrayEquals(new byte[0], ReadReport.found(source, 6, 0, 1).data());
    }

    @Test
    void changingTheArrayAReadReportHandsOutChangesNothingInIt() {
        ReadReport report = ReadReport.found(new byte[] {1, 2, 3}, 7);
        byte[] out = report.data();
        Arrays.fill(out, (byte) 9);
        assertArrayEquals(new byte[] {1, 2, 3}, report.data());
    }

    @Test
    void aReadReportThatFoundNothingHasNullDataAndVersionZero() {
        ReadReport report = ReadReport.failed(Code.ERR_NOT_FOUND, "key 'a' not found");
        assertNull(report.data());
        assertEquals(0, report.version());
    }

    // ---------------------------------------------------------------- ReadListReport

    @Test
    void changingTheMapArraysAndListHandedToAReadListReportChangesNothingInIt() {
        byte[] a = {1, 2};
        Map<String, byte[]> data = new LinkedHashMap<>();
        data.put("a", a);
        List<String> notFound = new ArrayList<>(List.of("x", "y"));
        ReadListReport report = ReadListReport.of(Code.ERR_NOT_FOUND, "2 keys not found", data, notFound);

        a[0] = 9;
        data.put("b", new byte[] {5});
        data.remove("a");
        notFound.add("z");
        notFound.remove("x");

        assertEquals(render(Map.of("a", new byte[] {1, 2})), render(report.data()));
        assertEquals(List.of("x", "y"), report.notFound());
    }

    @Test
    void changingTheMapOrArraysAReadListReportHandsOutChangesNothingInIt() {
        ReadListReport report = ReadListReport.of(Code.OK, null, twoRecords(), List.of());
        assertMapMutationsHaveNoEffect(report::data);
    }

    @Test
    void changingTheNotFoundListAReadListReportHandsOutChangesNothingInIt() {
        ReadListReport report = ReadListReport.of(Code.ERR_NOT_FOUND, "not found", twoRecords(), List.of("x", "y"));
        assertListMutationsHaveNoEffect(report::notFound);
    }

    // ---------------------------------------------------------------- TransactionReport.data()

    @Test
    void changingTheMapOrArraysHandedToATransactionReportChangesNothingInIt() {
        Map<String, byte[]> data = twoRecords();
        TransactionReport report = TransactionReport.committed(data);
        String before = render(data).toString();
        data.values().forEach(v -> Arrays.fill(v, (byte) 9));
        data.put("c", new byte[] {7});
        data.remove("a");
        assertEquals(before, render(report.data()).toString());
    }

    @Test
    void changingTheMapOrArraysATransactionReportHandsOutChangesNothingInIt() {
        TransactionReport report = TransactionReport.committed(twoRecords());
        assertMapMutationsHaveNoEffect(report::data);
    }

    // ---------------------------------------------------------------- WriteListReport.found()

    @Test
    void changingTheListHandedToAWriteListReportChangesNothingInIt() {
        List<String> found = new ArrayList<>(List.of("a", "b"));
        WriteListReport report = WriteListReport.of(Code.OK, null, found);
        found.clear();
        found.add("z");
        assertEquals(List.of("a", "b"), report.found());
    }

    @Test
    void changingTheFoundListAWriteListReportHandsOutChangesNothingInIt() {
        WriteListReport report = WriteListReport.of(Code.ERR_RECORDS_FOUND, "2 keys exist", List.of("a", "b"));
        assertListMutationsHaveNoEffect(report::found);
    }

    // ---------------------------------------------------------------- DeleteListReport

    @Test
    void changingTheListsHandedToADeleteListReportChangesNothingInIt() {
        List<String> removed = new ArrayList<>(List.of("a", "b"));
        List<String> notFound = new ArrayList<>(List.of("x", "y"));
        DeleteListReport report = DeleteListReport.of(Code.OK, null, removed, notFound);
        removed.set(0, "changed");
        notFound.clear();
        assertEquals(List.of("a", "b"), report.removed());
        assertEquals(List.of("x", "y"), report.notFound());
    }

    @Test
    void changingTheRemovedListADeleteListReportHandsOutChangesNothingInIt() {
        DeleteListReport report = DeleteListReport.of(Code.OK, null, List.of("a", "b"), List.of("x", "y"));
        assertListMutationsHaveNoEffect(report::removed);
    }

    @Test
    void changingTheNotFoundListADeleteListReportHandsOutChangesNothingInIt() {
        DeleteListReport report = DeleteListReport.of(Code.OK, null, List.of("a", "b"), List.of("x", "y"));
        assertListMutationsHaveNoEffect(report::notFound);
    }

    // ---------------------------------------------------------------- RecordsListReport.keys()

    @Test
    void changingTheListHandedToARecordsListReportChangesNothingInIt() {
        List<String> keys = new ArrayList<>(List.of("a", "b"));
        RecordsListReport report = RecordsListReport.listed(keys);
        keys.add(0, "0");
        assertEquals(List.of("a", "b"), report.keys());
    }

    @Test
    void changingTheKeysListARecordsListReportHandsOutChangesNothingInIt() {
        RecordsListReport report = RecordsListReport.listed(List.of("a", "b"));
        assertListMutationsHaveNoEffect(report::keys);
    }

    // ---------------------------------------------------------------- the report classes themselves

    @Test
    void aFailedTypedReportAnswersEmptyResultsNotNull() {
        assertEquals(Map.of(), ReadListReport.failed(Code.PANIC_STOPPED, null).data());
        assertEquals(List.of(), ReadListReport.failed(Code.PANIC_STOPPED, null).notFound());
        assertEquals(List.of(), WriteListReport.failed(Code.PANIC_STOPPED, null).found());
        assertEquals(List.of(), DeleteListReport.failed(Code.PANIC_STOPPED, null).removed());
        assertEquals(List.of(), DeleteListReport.failed(Code.PANIC_STOPPED, null).notFound());
        assertEquals(Map.of(), TransactionReport.failed(Code.PANIC_STOPPED, null).data());
        assertEquals(0, CountReport.failed(Code.PANIC_STOPPED, null).count());
        assertEquals(List.of(), RecordsListReport.failed(Code.PANIC_STOPPED, null).keys());
    }

    @Test
    void everyFieldOfEveryReportClassIsPrivateAndFinal() {
        List<Class<? extends Report>> types = List.of(Report.class, ReadReport.class, ReadListReport.class,
                WriteListReport.class, DeleteListReport.class, TransactionReport.class, CountReport.class,
                RecordsListReport.class);
        for (Class<? extends Report> type : types) {
            for (Field field : type.getDeclaredFields()) {
                if (field.isSynthetic()) {
                    continue;
                }
                int modifiers = field.getModifiers();
                String name = type.getSimpleName() + "." + field.getName();
                assertTrue(Modifier.isPrivate(modifiers), name + " should be private");
                assertTrue(Modifier.isFinal(modifiers), name + " should be final");
            }
        }
    }

    @Test
    void everyTypedReportClassIsFinal() {
        for (Class<?> type : List.of(ReadReport.class, ReadListReport.class, WriteListReport.class,
                DeleteListReport.class, TransactionReport.class, CountReport.class, RecordsListReport.class)) {
            assertTrue(Modifier.isFinal(type.getModifiers()), type.getSimpleName() + " should be final");
        }
    }

    // ---------------------------------------------------------------- helpers

    private static Map<String, byte[]> twoRecords() {
        Map<String, byte[]> records = new LinkedHashMap<>();
        records.put("a", new byte[] {1, 2});
        records.put("b", new byte[] {3});
        return records;
    }

    /** The map with each array shown as text, so two maps compare by content. */
    private static Map<String, String> render(Map<String, byte[]> map) {
        Map<String, String> shown = new LinkedHashMap<>();
        map.forEach((key, value) -> shown.put(key, Arrays.toString(value)));
        return shown;
    }

    /** Runs one mutation; an {@link UnsupportedOperationException} is an acceptable answer. */
    private static <T> void attempt(T target, Consumer<T> mutation) {
        try {
            mutation.accept(target);
        } catch (UnsupportedOperationException refused) {
            // refusing the change is as good as ignoring it
        }
    }

    /** Applies every kind of change to fresh results of {@code accessor} and checks none shows up. */
    private static void assertMapMutationsHaveNoEffect(Supplier<Map<String, byte[]>> accessor) {
        Map<String, String> before = render(accessor.get());
        List<Consumer<Map<String, byte[]>>> mutations = List.of(
                m -> m.values().forEach(v -> Arrays.fill(v, (byte) 9)),
                m -> m.get("a")[0] = 9,
                m -> m.put("z", new byte[] {9}),
                m -> m.put("a", new byte[] {9}),
                m -> m.remove("a"),
                m -> m.clear(),
                m -> m.putAll(Map.of("z", new byte[] {9})),
                m -> m.replaceAll((k, v) -> new byte[] {9}),
                m -> m.entrySet().iterator().next().setValue(new byte[] {9}),
                m -> m.keySet().remove("a"),
                m -> m.values().clear(),
                m -> m.computeIfAbsent("z", k -> new byte[] {9}),
                m -> m.merge("a", new byte[] {9}, (x, y) -> y));
        for (Consumer<Map<String, byte[]>> mutation : mutations) {
            attempt(accessor.get(), mutation);
            assertEquals(before, render(accessor.get()));
        }
    }

    /** Applies every kind of change to fresh results of {@code accessor} and checks none shows up. */
    private static void assertListMutationsHaveNoEffect(Supplier<List<String>> accessor) {
        List<String> before = List.copyOf(accessor.get());
        assertTrue(before.size() >= 2, "the test needs at least two elements");
        List<Consumer<List<String>>> mutations = List.of(
                l -> l.add("z"),
                l -> l.add(0, "z"),
                l -> l.set(0, "z"),
                l -> l.remove(0),
                l -> l.remove(before.get(0)),
                l -> l.clear(),
                l -> l.addAll(List.of("z")),
                l -> l.removeIf(s -> true),
                l -> l.replaceAll(s -> "z"),
                l -> l.sort(Collections.reverseOrder()),
                l -> {
                    Iterator<String> it = l.iterator();
                    it.next();
                    it.remove();
                },
                l -> l.listIterator().add("z"));
        for (Consumer<List<String>> mutation : mutations) {
            attempt(accessor.get(), mutation);
            assertEquals(before, accessor.get());
        }
    }
}
