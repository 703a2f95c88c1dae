package io.snapbus.jobs.catalog;

import io.snapbus.avro.BackendDef;
import io.snapbus.avro.BackupScheduleDef;
import io.snapbus.avro.CatalogRecord;
import io.snapbus.avro.DatabaseDef;
import io.snapbus.avro.IdAllocation;
import io.snapbus.avro.OdbcResourceDef;
import io.snapbus.avro.OdbcTableDef;
import io.snapbus.avro.OlapTableDef;
import io.snapbus.avro.PartitionDef;
import io.snapbus.avro.RecycledObject;
import io.snapbus.avro.RepositoryDef;
import io.snapbus.avro.RetentionPolicyDef;
import io.snapbus.avro.TabletChunk;
import io.snapbus.avro.ViewDef;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;

/**
 * The catalog as one immutable value: applying a record (or a tombstone) gives the next state, so readers always see a
 * whole committed change and replay is the same function as a live write.
 */
record CatalogState(
        PMap<Long, DatabaseDef> databases,
        PMap<Long, OlapTableDef> tables,
        PMap<Long, PartitionDef> partitions,
        PMap<String, PMap<Integer, TabletChunk>> tabletChunks,
        PMap<Long, ViewDef> views,
        PMap<Long, OdbcTableDef> odbcTables,
        PMap<String, OdbcResourceDef> resources,
        PMap<Long, BackendDef> backends,
        PMap<String, RepositoryDef> repositories,
        PMap<Long, Long> tableSeqs,
        long seq,
        long idHighWater,
        PMap<Long, RecycledObject> recycleBin,
        PMap<String, RetentionPolicyDef> retentionPolicies,
        PMap<String, BackupScheduleDef> backupSchedules) {

    /** Ids below this are never handed out (Doris starts its ids at 10000 too). */
    static final long FIRST_ID = 10_000;

    static CatalogState empty() {
        return new CatalogState(HashTreePMap.empty(), HashTreePMap.empty(), HashTreePMap.empty(), HashTreePMap.empty(),
                HashTreePMap.empty(), HashTreePMap.empty(), HashTreePMap.empty(), HashTreePMap.empty(),
                HashTreePMap.empty(), HashTreePMap.empty(), 0, FIRST_ID, HashTreePMap.empty(),
                HashTreePMap.empty(), HashTreePMap.empty());
    }

    static String chunkGroup(long partitionId, long indexId) {
        return partitionId + "/" + indexId;
    }

    /** The state after {@code key} got {@code record} (null: deleted); {@code seq} orders tombstones,
            which carry none. */
    CatalogState apply(String key, CatalogRecord record, long tombstoneSeq) {
        long newSeq = Math.max(seq, record == null ? tombstoneSeq : record.getSeq());
        CatalogState s = withSeq(newSeq);
        if (record == null) {
            return s.delete(key, newSeq);
        }
        Object entry = record.getEntry();
        long at = record.getSeq();
        if (entry instanceof DatabaseDef db) {
            return s.withDatabases(databases.plus(db.getId(), db));
        } else if (entry instanceof OlapTableDef table) {
            return new CatalogState(databases, tables.plus(table.getId(), table), partitions, tabletChunks, views,
                    odbcTables, resources, backends, repositories, tableSeqs.plus(table.getId(), at), newSeq,
                    idHighWater, recycleBin, retentionPolicies, backupSchedules);
        } else if (entry instanceof PartitionDef partition) {
            return new CatalogState(databases, tables, partitions.plus(partition.getId(), partition), tabletChunks,
                    views, odbcTables, resources, backends, repositories, bump(partition.getTableId(), at), newSeq,
                    idHighWater, recycleBin, retentionPolicies, backupSchedules);
        } else if (entry instanceof TabletChunk chunk) {
            String group = chunkGroup(chunk.getPartitionId(), chunk.getIndexId());
            PMap<Integer, TabletChunk> chunks = tabletChunks.getOrDefault(group, HashTreePMap.empty())
                    .plus(chunk.getChunkIndex(), chunk);
            return new CatalogState(databases, tables, partitions, tabletChunks.plus(group, chunks), views, odbcTables,
                    resources, backends, repositories, bump(chunk.getTableId(), at), newSeq, idHighWater, recycleBin,
                    retentionPolicies, backupSchedules);
        } else if (entry instanceof ViewDef view) {
            return new CatalogState(databases, tables, partitions, tabletChunks, views.plus(view.getId(), view),
                    odbcTables, resources, backends, repositories, tableSeqs, newSeq, idHighWater, recycleBin,
                    retentionPolicies, backupSchedules);
        } else if (entry instanceof OdbcTableDef odbc) {
            return new CatalogState(databases, tables, partitions, tabletChunks, views,
                    odbcTables.plus(odbc.getId(), odbc), resources, backends, repositories, tableSeqs, newSeq,
                    idHighWater, recycleBin, retentionPolicies, backupSchedules);
        } else if (entry instanceof OdbcResourceDef resource) {
            return new CatalogState(databases, tables, partitions, tabletChunks, views, odbcTables,
                    resources.plus(resource.getName(), resource), backends, repositories, tableSeqs, newSeq,
                    idHighWater, recycleBin, retentionPolicies, backupSchedules);
        } else if (entry instanceof BackendDef backend) {
            return new CatalogState(databases, tables, partitions, tabletChunks, views, odbcTables, resources,
                    backends.plus(backend.getId(), backend), repositories, tableSeqs, newSeq, idHighWater, recycleBin,
                    retentionPolicies, backupSchedules);
        } else if (entry instanceof RepositoryDef repository) {
            return new CatalogState(databases, tables, partitions, tabletChunks, views, odbcTables, resources,
                    backends, repositories.plus(repository.getRef().getName(), repository), tableSeqs, newSeq,
                    idHighWater, recycleBin, retentionPolicies, backupSchedules);
        } else if (entry instanceof RecycledObject recycled) {
            return new CatalogState(databases, tables, partitions, tabletChunks, views, odbcTables, resources,
                    backends, repositories, tableSeqs, newSeq, idHighWater,
                    recycleBin.plus(recycled.getId(), recycled), retentionPolicies, backupSchedules);
        } else if (entry instanceof RetentionPolicyDef policy) {
            return new CatalogState(databases, tables, partitions, tabletChunks, views, odbcTables, resources,
                    backends, repositories, tableSeqs, newSeq, idHighWater, recycleBin,
                    retentionPolicies.plus(policy.getName(), policy), backupSchedules);
        } else if (entry instanceof BackupScheduleDef schedule) {
            return new CatalogState(databases, tables, partitions, tabletChunks, views, odbcTables, resources,
                    backends, repositories, tableSeqs, newSeq, idHighWater, recycleBin, retentionPolicies,
                    backupSchedules.plus(schedule.getName(), schedule));
        } else if (entry instanceof IdAllocation ids) {
            return new CatalogState(databases, tables, partitions, tabletChunks, views, odbcTables, resources,
                    backends, repositories, tableSeqs, newSeq, Math.max(idHighWater, ids.getNextId()), recycleBin,
                    retentionPolicies, backupSchedules);
        }
        throw new IllegalArgumentException("unknown catalog entry under " + key + ": " + entry.getClass().getName());
    }

    private CatalogState delete(String key, long at) {
        int slash = key.indexOf('/');
        String kind = slash < 0 ? key : key.substring(0, slash);
        String rest = slash < 0 ? "" : key.substring(slash + 1);
        switch (kind) {
            case "db":
                return withDatabases(databases.minus(Long.parseLong(rest)));
            case "table": {
                long id = Long.parseLong(rest);
                return new CatalogState(databases, tables.minus(id), partitions, tabletChunks, views, odbcTables,
                        resources, backends, repositories, tableSeqs.minus(id), seq, idHighWater, recycleBin,
                        retentionPolicies, backupSchedules);
            }
            case "partition": {
                long id = Long.parseLong(rest);
                PartitionDef gone = partitions.get(id);
                PMap<Long, Long> seqs = gone == null ? tableSeqs : bump(gone.getTableId(), at);
                return new CatalogState(databases, tables, partitions.minus(id), tabletChunks, views, odbcTables,
                        resources, backends, repositories, seqs, seq, idHighWater, recycleBin, retentionPolicies,
                        backupSchedules);
            }
            case "tablets": {
                String[] parts = rest.split("/");
                String group = parts[0] + "/" + parts[1];
                PMap<Integer, TabletChunk> chunks = tabletChunks.get(group);
                if (chunks == null) {
                    return this;
                }
                chunks = chunks.minus(Integer.parseInt(parts[2]));
                return new CatalogState(databases, tables, partitions,
                        chunks.isEmpty() ? tabletChunks.minus(group) : tabletChunks.plus(group, chunks), views,
                        odbcTables, resources, backends, repositories, tableSeqs, seq, idHighWater, recycleBin,
                        retentionPolicies, backupSchedules);
            }
            case "view":
                return new CatalogState(databases, tables, partitions, tabletChunks,
                        views.minus(Long.parseLong(rest)), odbcTables, resources, backends, repositories, tableSeqs,
                        seq, idHighWater, recycleBin, retentionPolicies, backupSchedules);
            case "odbc-table":
                return new CatalogState(databases, tables, partitions, tabletChunks, views,
                        odbcTables.minus(Long.parseLong(rest)), resources, backends, repositories, tableSeqs, seq,
                        idHighWater, recycleBin, retentionPolicies, backupSchedules);
            case "resource":
                return new CatalogState(databases, tables, partitions, tabletChunks, views, odbcTables,
                        resources.minus(rest), backends, repositories, tableSeqs, seq, idHighWater, recycleBin,
                        retentionPolicies, backupSchedules);
            case "backend":
                return new CatalogState(databases, tables, partitions, tabletChunks, views, odbcTables, resources,
                        backends.minus(Long.parseLong(rest)), repositories, tableSeqs, seq, idHighWater, recycleBin,
                        retentionPolicies, backupSchedules);
            case "repository":
                return new CatalogState(databases, tables, partitions, tabletChunks, views, odbcTables, resources,
                        backends, repositories.minus(rest), tableSeqs, seq, idHighWater, recycleBin,
                        retentionPolicies, backupSchedules);
            case "retention-policy":
                return new CatalogState(databases, tables, partitions, tabletChunks, views, odbcTables, resources,
                        backends, repositories, tableSeqs, seq, idHighWater, recycleBin,
                        retentionPolicies.minus(rest), backupSchedules);
            case "backup-schedule":
                return new CatalogState(databases, tables, partitions, tabletChunks, views, odbcTables, resources,
                        backends, repositories, tableSeqs, seq, idHighWater, recycleBin, retentionPolicies,
                        backupSchedules.minus(rest));
            case "recycle-bin":
                return new CatalogState(databases, tables, partitions, tabletChunks, views, odbcTables, resources,
                        backends, repositories, tableSeqs, seq, idHighWater, recycleBin.minus(Long.parseLong(rest)),
                        retentionPolicies, backupSchedules);
            default:
                return this;
        }
    }

    private PMap<Long, Long> bump(long tableId, long at) {
        return tableSeqs.plus(tableId, Math.max(at, tableSeqs.getOrDefault(tableId, 0L)));
    }

    private CatalogState withSeq(long newSeq) {
        return new CatalogState(databases, tables, partitions, tabletChunks, views, odbcTables, resources, backends,
                repositories, tableSeqs, newSeq, idHighWater, recycleBin, retentionPolicies, backupSchedules);
    }

    private CatalogState withDatabases(PMap<Long, DatabaseDef> dbs) {
        return new CatalogState(dbs, tables, partitions, tabletChunks, views, odbcTables, resources, backends,
                repositories, tableSeqs, seq, idHighWater, recycleBin, retentionPolicies, backupSchedules);
    }
}
