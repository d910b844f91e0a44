package io.coffer.internal.records;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * A read-only sorted view of a map's entries, made by sorting them once, so that
 * {@code new ConcurrentSkipListMap<>(SortedEntries.of(map))} builds the skip list in linear time from
 * sorted input instead of by a million random inserts (recovery's hot spot). Only what that constructor
 * uses is supported: {@link #comparator()}, {@link #entrySet()} and size; the other views throw.
 */
final class SortedEntries<V> extends AbstractMap<String, V> implements SortedMap<String, V> {
    private final Map.Entry<String, V>[] entries;

    private SortedEntries(Map.Entry<String, V>[] entries) {
        this.entries = entries;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static <V> SortedEntries<V> of(Map<String, V> map) {
        Map.Entry<String, V>[] entries = map.entrySet().toArray(new Map.Entry[0]);
        Arrays.parallelSort(entries, Map.Entry.comparingByKey());
        return new SortedEntries<>(entries);
    }

    /** A view of {@code sorted}, entries already in ascending key order, one per key, {@code size} of them. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static <V> SortedEntries<V> ofSorted(List<Map.Entry<String, V>> sorted, int size) {
        if (sorted.size() != size) {
            throw new IllegalArgumentException(sorted.size() + " sorted entries for " + size + " records");
        }
        return new SortedEntries<>(sorted.toArray(new Map.Entry[0]));
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
                return Arrays.asList(entries).iterator();
            }

            @Override
            public int size() {
                return entries.length;
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
        return entries[0].getKey();
    }

    @Override
    public String lastKey() {
        return entries[entries.length - 1].getKey();
    }
}
