package io.snapbus.jobs.engine;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Record key to record, in insertion order, each record built only when it is read: a persist of a million-tablet job
 * writes 5 000 chunks, which must not all exist at once before the first is sent. A value may be null (a tombstone).
 * Reading a value twice builds it twice; the suppliers read immutable job values, so both are equal.
 */
public final class LazyRecords<R> extends AbstractMap<String, R> {
    private final LinkedHashMap<String, Supplier<R>> records = new LinkedHashMap<>();

    /** Adds (or replaces) the record under {@code key}, built by {@code record} when read. */
    public void add(String key, Supplier<R> record) {
        records.put(key, record);
    }

    /** Adds (or replaces) a record already built (or null: a tombstone). */
    public void addBuilt(String key, R record) {
        records.put(key, () -> record);
    }

    @Override
    public int size() {
        return records.size();
    }

    @Override
    public boolean containsKey(Object key) {
        return records.containsKey(key);
    }

    @Override
    public R get(Object key) {
        Supplier<R> record = records.get(key);
        return record == null ? null : record.get();
    }

    @Override
    public R remove(Object key) {
        Supplier<R> record = records.remove(key);
        return record == null ? null : record.get();
    }

    @Override
    public Set<Map.Entry<String, R>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, R>> iterator() {
                Iterator<Map.Entry<String, Supplier<R>>> it = records.entrySet().iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public Map.Entry<String, R> next() {
                        Map.Entry<String, Supplier<R>> e = it.next();
                        return new SimpleImmutableEntry<>(e.getKey(), e.getValue().get());
                    }

                    @Override
                    public void remove() {
                        it.remove();
                    }
                };
            }

            @Override
            public int size() {
                return records.size();
            }
        };
    }
}
