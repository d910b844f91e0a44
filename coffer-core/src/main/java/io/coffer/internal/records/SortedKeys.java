package io.coffer.internal.records;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * A read-only sorted map view of keys already in ascending order, each mapped to {@link Boolean#TRUE}, so that
 * {@code new ConcurrentSkipListMap<>(SortedKeys.of(sorted, n))} builds the skip list in linear time from
 * sorted input instead of by a million random inserts (recovery's hot spot). Only what that constructor
 * uses is supported: {@link #comparator()}, {@link #entrySet()} and size; the other views throw.
 */
final class SortedKeys extends AbstractMap<String, Boolean> implements SortedMap<String, Boolean> {
    private final List<String> keys;

    private SortedKeys(List<String> keys) {
        this.keys = keys;
    }

    /** A view of {@code sorted}, keys in ascending order, each once, {@code size} of them. */
    static SortedKeys of(List<String> sorted, int size) {
        if (sorted.size() != size) {
            throw new IllegalArgumentException(sorted.size() + " sorted keys for " + size + " records");
        }
        return new SortedKeys(sorted);
    }

    @Override
    public Comparator<? super String> comparator() {
        return null; // natural order, as the skip list expects
    }

    @Override
    public Set<Map.Entry<String, Boolean>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, Boolean>> iterator() {
                Iterator<String> each = keys.iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return each.hasNext();
                    }

                    @Override
                    public Map.Entry<String, Boolean> next() {
                        return Map.entry(each.next(), Boolean.TRUE);
                    }
                };
            }

            @Override
            public int size() {
                return keys.size();
            }
        };
    }

    @Override
    public SortedMap<String, Boolean> subMap(String fromKey, String toKey) {
        throw new UnsupportedOperationException();
    }

    @Override
    public SortedMap<String, Boolean> headMap(String toKey) {
        throw new UnsupportedOperationException();
    }

    @Override
    public SortedMap<String, Boolean> tailMap(String fromKey) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String firstKey() {
        return keys.get(0);
    }

    @Override
    public String lastKey() {
        return keys.get(keys.size() - 1);
    }
}
