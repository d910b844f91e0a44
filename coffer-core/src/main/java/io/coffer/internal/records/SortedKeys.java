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
 * A read-only sorted view of entries already in ascending key order, so that
 * {@code new ConcurrentSkipListMap<>(SortedEntries.of(sorted, n))} builds the skip list in linear time from
 * sorted input instead of by a million random inserts (recovery's hot spot). Only what that constructor
 * uses is supported: {@link #comparator()}, {@link #entrySet()} and size; the other views throw.
 */
final class SortedEntries<V> extends AbstractMap<String, V> implements SortedMap<String, V> {
    private final List<Map.Entry<String, V>> entries;

    private SortedEntries(List<Map.Entry<String, V>> entries) {
        this.entries = entries;
    }

    /** A view of {@code sorted}, entries in ascending key order, one per key, {@code size} of them. */
    static <V> SortedEntries<V> of(List<Map.Entry<String, V>> sorted, int size) {
        if (sorted.size() != size) {
            throw new IllegalArgumentException(sorted.size() + " sorted entries for " + size + " records");
        }
        return new SortedEntries<>(sorted);
    }

    @Override
    public Comparator<? super String> comparator() {
        return null; // natural order, as the skip list expects
    }

    @Override
    public Set<Map.Entry<String, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, V>> iterator() {
                return entries.iterator();
            }

            @Override
            public int size() {
                return entries.size();
            }
        };
    }

    @Override
    public SortedMap<String, V> subMap(String fromKey, String toKey) {
        throw new UnsupportedOperationException();
    }

    @Override
    public SortedMap<String, V> headMap(String toKey) {
        throw new UnsupportedOperationException();
    }

    @Override
    public SortedMap<String, V> tailMap(String fromKey) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String firstKey() {
        return entries.get(0).getKey();
    }

    @Override
    public String lastKey() {
        return entries.get(entries.size() - 1).getKey();
    }
}
