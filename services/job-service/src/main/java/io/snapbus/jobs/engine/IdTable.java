package io.snapbus.jobs.engine;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;

/**
 * A persistent map from ids (a job's tablets or replicas) to values, compact for a key set that is mostly fixed once
 * the job is planned: the keys sit in one sorted {@code long[]} shared by every version, and the values in a trie of
 * 32-wide arrays indexed by the key's position, so an entry costs about 13 bytes instead of the ~110 of a
 * {@code HashTreePMap} entry (a million-tablet job saves ~100 MB). Changing a known key copies one path of the trie
 * (4 arrays at a million keys). A key the array does not have goes to a small {@code HashTreePMap} beside it, merged
 * into the array once it holds a quarter as many keys, so adding keys one by one stays O(log n) amortized. Removing a
 * key of the array keeps its position, empty.
 */
public final class IdTable<V> extends AbstractMap<Long, V> implements PMap<Long, V> {
    private static final int BITS = 5;
    private static final int WIDTH = 1 << BITS;
    private static final int MASK = WIDTH - 1;
    private static final long[] NO_KEYS = new long[0];
    /** The overflow is merged into the array once it exceeds this, or a quarter of the array's keys. */
    private static final int MIN_OVERFLOW = 64;

    /** Every key this table has a position for, sorted; shared by all versions built from one another. */
    private final long[] keys;
    /** The trie: a leaf (values) at depth 0, else arrays of sub-tries. */
    private final Object[] root;
    /** Levels above the leaves. */
    private final int depth;
    /** Keys not in {@link #keys}, until the next merge. */
    private final PMap<Long, V> overflow;
    private final int size;

    private IdTable(long[] keys, Object[] root, int depth, PMap<Long, V> overflow, int size) {
        this.keys = keys;
        this.root = root;
        this.depth = depth;
        this.overflow = overflow;
        this.size = size;
    }

    public static <V> IdTable<V> empty() {
        return new IdTable<>(NO_KEYS, new Object[WIDTH], 0, HashTreePMap.empty(), 0);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        if (!(key instanceof Long id)) {
            return null;
        }
        int position = Arrays.binarySearch(keys, id);
        return position < 0 ? overflow.get(id) : (V) at(position);
    }

    private Object at(int position) {
        Object[] node = root;
        for (int level = depth; level > 0; level--) {
            node = (Object[]) node[(position >>> (level * BITS)) & MASK];
        }
        return node[position & MASK];
    }

    @Override
    public IdTable<V> plus(Long key, V value) {
        if (value == null) {
            throw new NullPointerException("IdTable holds no null values (key " + key + ")");
        }
        int position = Arrays.binarySearch(keys, key);
        if (position < 0) {
            boolean added = !overflow.containsKey(key);
            IdTable<V> grown = new IdTable<>(keys, root, depth, overflow.plus(key, value), added ? size + 1 : size);
            return grown.overflow.size() > Math.max(MIN_OVERFLOW, keys.length / 4) ? grown.plusAll(Map.of()) : grown;
        }
        boolean added = at(position) == null;
        return new IdTable<>(keys, with(root, depth, position, value), depth, overflow, added ? size + 1 : size);
    }

    /** A copy of {@code node}'s path to {@code position} with the value set (null: removed). */
    private static Object[] with(Object[] node, int level, int position, Object value) {
        Object[] copy = node.clone();
        int slot = (position >>> (level * BITS)) & MASK;
        copy[slot] = level == 0 ? value : with((Object[]) node[slot], level - 1, position, value);
        return copy;
    }

    /**
     * Adds {@code map}'s entries: one by one when they bring few new keys, else (planning, a replay, an overflow to
     * merge) by rebuilding the array and trie at once.
     */
    @Override
    public IdTable<V> plusAll(Map<? extends Long, ? extends V> map) {
        long[] added = java.util.stream.LongStream.concat(overflow.keySet().stream().mapToLong(Long::longValue),
                        map.keySet().stream().mapToLong(Long::longValue))
                .filter(k -> Arrays.binarySearch(keys, k) < 0).sorted().distinct().toArray();
        if (added.length <= Math.max(MIN_OVERFLOW, keys.length / 4)) {
            IdTable<V> result = this;
            for (Map.Entry<? extends Long, ? extends V> e : map.entrySet()) {
                result = result.plus(e.getKey(), e.getValue());
            }
            return result;
        }
        long[] merged = merge(keys, added);
        Object[] values = new Object[merged.length];
        int count = 0;
        for (int i = 0, j = 0; i < merged.length; i++) {
            if (j < keys.length && keys[j] == merged[i]) {
                values[i] = at(j++);
            } else {
                values[i] = overflow.get(merged[i]);
            }
            Object value = map.get(merged[i]);
            if (value != null) {
                values[i] = value;
            } else if (map.containsKey(merged[i])) {
                throw new NullPointerException("IdTable holds no null values (key " + merged[i] + ")");
            }
            count += values[i] == null ? 0 : 1;
        }
        return build(merged, values, count);
    }

    private static long[] merge(long[] a, long[] b) {
        long[] out = new long[a.length + b.length];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < a.length || j < b.length) {
            out[n++] = j >= b.length || (i < a.length && a[i] < b[j]) ? a[i++] : b[j++];
        }
        return out;
    }

    /** The trie over {@code values} (by position), built bottom-up. */
    private static <V> IdTable<V> build(long[] keys, Object[] values, int size) {
        Object[] level = new Object[(values.length + MASK) >>> BITS];
        for (int i = 0; i < level.length; i++) {
            level[i] = Arrays.copyOfRange(values, i * WIDTH, (i + 1) * WIDTH);
        }
        int depth = 0;
        while (level.length > 1) {
            Object[] up = new Object[(level.length + MASK) >>> BITS];
            for (int i = 0; i < up.length; i++) {
                up[i] = Arrays.copyOfRange(level, i * WIDTH, (i + 1) * WIDTH);
            }
            level = up;
            depth++;
        }
        Object[] root = level.length == 0 ? new Object[WIDTH] : (Object[]) level[0];
        return new IdTable<>(keys, root, depth, HashTreePMap.empty(), size);
    }

    @Override
    public IdTable<V> minus(Object key) {
        if (!(key instanceof Long id)) {
            return this;
        }
        int position = Arrays.binarySearch(keys, id);
        if (position < 0) {
            return overflow.containsKey(id) ? new IdTable<>(keys, root, depth, overflow.minus(id), size - 1) : this;
        }
        if (at(position) == null) {
            return this;
        }
        return new IdTable<>(keys, with(root, depth, position, null), depth, overflow, size - 1);
    }

    @Override
    public IdTable<V> minusAll(Collection<?> keys) {
        IdTable<V> result = this;
        for (Object key : keys) {
            result = result.minus(key);
        }
        return result;
    }

    @Override
    public Set<Map.Entry<Long, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<Long, V>> iterator() {
                Iterator<Map.Entry<Long, V>> extra = overflow.entrySet().iterator();
                return new Iterator<>() {
                    private int next = advance(0);

                    private int advance(int from) {
                        int p = from;
                        while (p < keys.length && at(p) == null) {
                            p++;
                        }
                        return p;
                    }

                    @Override
                    public boolean hasNext() {
                        return next < keys.length || extra.hasNext();
                    }

                    @Override
                    @SuppressWarnings("unchecked")
                    public Map.Entry<Long, V> next() {
                        if (next >= keys.length) {
                            return extra.next();
                        }
                        Map.Entry<Long, V> entry = new SimpleImmutableEntry<>(keys[next], (V) at(next));
                        next = advance(next + 1);
                        return entry;
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    @Deprecated
    @Override
    public V put(Long key, V value) {
        throw new UnsupportedOperationException();
    }

    @Deprecated
    @Override
    public V remove(Object key) {
        throw new UnsupportedOperationException();
    }

    @Deprecated
    @Override
    public void putAll(Map<? extends Long, ? extends V> map) {
        throw new UnsupportedOperationException();
    }

    @Deprecated
    @Override
    public void clear() {
        throw new UnsupportedOperationException();
    }
}
