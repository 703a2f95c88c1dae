package io.snapbus.jobs.catalog;

import io.snapbus.avro.TabletChunk;
import io.snapbus.avro.TabletDef;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/** The records one catalog change writes, in order: puts of catalog entries and deletes (tombstones) of keys. */
public final class CatalogChange {
    /** Tablets per {@link TabletChunk} record, so no record grows with the bucket count. */
    public static final int TABLETS_PER_CHUNK = 1000;

    record Entry(String key, SpecificRecord value) {}

    private final List<Entry> entries = new ArrayList<>();
    private final CatalogState base;

    CatalogChange(CatalogState base) {
        this.base = base;
    }

    public CatalogChange put(String key, SpecificRecord value) {
        entries.add(new Entry(key, value));
        return this;
    }

    public CatalogChange delete(String key) {
        entries.add(new Entry(key, null));
        return this;
    }

    /** Replaces the tablets of one index of one partition with {@code tablets} (bucket order), in chunks. */
    public CatalogChange putTablets(long tableId, long partitionId, long indexId, List<TabletDef> tablets) {
        int chunks = 0;
        for (int first = 0; first < tablets.size(); first += TABLETS_PER_CHUNK) {
            List<TabletDef> slice = tablets.subList(first, Math.min(tablets.size(), first + TABLETS_PER_CHUNK));
            put(CatalogKeys.tablets(partitionId, indexId, chunks), new TabletChunk(tableId, partitionId, indexId,
                    chunks, first, new ArrayList<>(slice)));
            chunks++;
        }
        var existing = base.tabletChunks().get(CatalogState.chunkGroup(partitionId, indexId));
        if (existing != null) {
            for (int chunk : existing.keySet()) {
                if (chunk >= chunks) {
                    delete(CatalogKeys.tablets(partitionId, indexId, chunk));
                }
            }
        }
        return this;
    }

    /** Deletes every tablet chunk of one index of one partition. */
    public CatalogChange deleteTablets(long partitionId, long indexId) {
        var existing = base.tabletChunks().get(CatalogState.chunkGroup(partitionId, indexId));
        if (existing != null) {
            existing.keySet().stream().sorted().forEach(chunk -> delete(CatalogKeys.tablets(partitionId, indexId,
                    chunk)));
        }
        return this;
    }

    /** Deletes every tablet chunk of every index of one partition. */
    public CatalogChange deletePartitionTablets(long partitionId) {
        String prefix = partitionId + "/";
        base.tabletChunks().keySet().stream().filter(group -> group.startsWith(prefix)).sorted()
                .forEach(group -> deleteTablets(partitionId, Long.parseLong(group.substring(prefix.length()))));
        return this;
    }

    /** The catalog this change is based on (current while the catalog's write lock is held). */
    CatalogState base() {
        return base;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    List<Entry> entries() {
        return entries;
    }
}
