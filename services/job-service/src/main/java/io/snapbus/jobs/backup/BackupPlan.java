package io.snapbus.jobs.backup;

import io.snapbus.avro.RepositoryRef;
import io.snapbus.avro.TabletRef;
import java.util.List;
import java.util.Map;

/**
 * What PENDING read from the catalog, recorded in the job so that nothing later (and no replay) needs the catalog:
 * the tables, partitions, indexes and tablets being backed up with their versions and chosen replicas, the commit
 * sequence of each table, and the metadata copy written to the meta file.
 *
 * @param metaObjects copies of the backed-up catalog objects (OlapTableDef, PartitionDef, ViewDef, OdbcTableDef,
 *                    OdbcResourceDef Avro records) for the meta file
 */
public record BackupPlan(long dbId, String dbName, RepositoryRef repository, List<PlannedTable> tables,
        List<PlannedTablet> tablets, List<NamedObject> views, List<NamedObject> odbcTables, List<String> odbcResources,
        Map<Long, Long> tableCommitSeqs, List<Object> metaObjects) {

    public BackupPlan {
        tables = List.copyOf(tables);
        tablets = List.copyOf(tablets);
        views = List.copyOf(views);
        odbcTables = List.copyOf(odbcTables);
        odbcResources = List.copyOf(odbcResources);
        tableCommitSeqs = Map.copyOf(tableCommitSeqs);
        metaObjects = List.copyOf(metaObjects);
    }

    /**
     * The plan of a done job that no longer needs its tablets ({@link BackupJob#retired()}): the database, the
     * repository, the views and ODBC objects and each table's commit sequence; no tables, tablets or catalog copies.
     */
    public BackupPlan withoutTablets() {
        return new BackupPlan(dbId, dbName, repository, List.of(), List.of(), views, odbcTables, odbcResources,
                tableCommitSeqs, List.of());
    }

    /** A view or ODBC table, backed up as metadata only. */
    public record NamedObject(long id, String name) {}

    /** A backed-up OLAP table. */
    public record PlannedTable(long id, String name, List<PlannedPartition> partitions) {}

    /** A backed-up partition at its visible version. */
    public record PlannedPartition(long id, String name, long version, List<PlannedIndex> indexes) {}

    /** A materialized index of a partition with its tablets in bucket order. */
    public record PlannedIndex(long id, String name, int schemaHash, List<Long> tabletOrder) {}

    /** A tablet to snapshot: where it is, at which version, on which replica. */
    public record PlannedTablet(TabletRef ref, long version, long backendId, long replicaId) {}
}
