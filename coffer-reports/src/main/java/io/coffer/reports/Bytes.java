package io.coffer.reports;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Defensive copies of the arrays, maps and lists reports hold. */
final class Bytes {
    private Bytes() {
    }

    static byte[] copy(byte[] bytes) {
        return bytes == null ? null : bytes.clone();
    }

    /** A copy of the map with every array copied; null stays null, order is kept. */
    static Map<String, byte[]> copy(Map<String, byte[]> map) {
        if (map == null || map.isEmpty()) {
            return Collections.emptyMap();
        }
        Map<String, byte[]> copy = new LinkedHashMap<>(map.size() * 2);
        map.forEach((key, value) -> copy.put(key, copy(value)));
        return copy;
    }

    /** An unmodifiable copy of the map whose arrays are copied again when handed out. */
    static Map<String, byte[]> unmodifiableCopy(Map<String, byte[]> map) {
        return Collections.unmodifiableMap(copy(map));
    }

    static List<String> copy(List<String> list) {
        return list == null || list.isEmpty() ? List.of() : Collections.unmodifiableList(new ArrayList<>(list));
    }
}
