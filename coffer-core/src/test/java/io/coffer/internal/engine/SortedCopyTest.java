package io.coffer.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The order keys are locked in: ascending, duplicates kept, never changed by the caller. */
class SortedCopyTest {

    @Test
    void keysComeOutAscendingWithDuplicatesKeptAndTheInputUntouched() {
        List<String> keys = List.of("b", "a", "c", "a");
        assertEquals(List.of("a", "a", "b", "c"), RequestCheck.sortedCopy(keys));
        assertEquals(List.of("b", "a", "c", "a"), keys);
        assertEquals(List.of("x", "y"), RequestCheck.sortedCopy(new LinkedHashSet<>(List.of("y", "x"))));
    }

    @Test
    void oneKeyAndNoKeysNeedNoSortAndCannotBeChanged() {
        List<String> one = RequestCheck.sortedCopy(Set.of("only"));
        assertEquals(List.of("only"), one);
        assertEquals(List.of(), RequestCheck.sortedCopy(List.of()));
        assertThrows(UnsupportedOperationException.class, () -> one.add("more"));
        assertThrows(UnsupportedOperationException.class, () -> RequestCheck.sortedCopy(List.of("b", "a")).set(0, "z"));
    }
}
