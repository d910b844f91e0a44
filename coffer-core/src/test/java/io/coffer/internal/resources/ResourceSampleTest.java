package io.coffer.internal.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ResourceSampleTest {

    @Test
    void freeMemoryIsTheSmallerOfPhysicalMemoryAndHeapHeadroom() {
        assertEquals(10, ResourceSample.of(10, 20, 5, 0).freeMemory());
        assertEquals(10, ResourceSample.of(20, 10, 5, 0).freeMemory());
    }

    @Test
    void rejectsAFreeMemoryThatIsNotTheSmallerFigure() {
        assertThrows(IllegalArgumentException.class, () -> new ResourceSample(20, 10, 20, 5, 0));
    }

    @Test
    void rejectsNegativeSizes() {
        assertThrows(IllegalArgumentException.class, () -> ResourceSample.of(-1, 10, 5, 0));
        assertThrows(IllegalArgumentException.class, () -> ResourceSample.of(10, -1, 5, 0));
        assertThrows(IllegalArgumentException.class, () -> ResourceSample.of(10, 10, -1, 0));
    }
}
