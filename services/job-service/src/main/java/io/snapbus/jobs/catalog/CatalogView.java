package io.snapbus.jobs.catalog;

import io.snapbus.avro.BackendDef;
import io.snapbus.avro.DatabaseDef;
import io.snapbus.avro.OdbcResourceDef;
import io.snapbus.avro.OdbcTableDef;
import io.snapbus.avro.OlapTableDef;
import io.snapbus.avro.PartitionDef;
import io.snapbus.avro.RepositoryDef;
import io.snapbus.avro.TabletDef;
import io.snapbus.avro.ViewDef;
import java.util.List;
import java.util.Optional;

/** What the backup job reads from the catalog. Reads may run concurrently with writes and see committed state only. */
public interface CatalogView {
    Optional<DatabaseDef> database(String name);

    Optional<DatabaseDef> database(long id);

    Optional<OlapTableDef> table(long dbId, String name);

    Optional<OlapTableDef> table(long tableId);

    /** Every partition of the table, temporary ones included (flagged), ordered by name. */
    List<PartitionDef> partitions(long tableId);

    /** The tablets of one index of one partition, in bucket order. */
    List<TabletDef> tablets(long partitionId, long indexId);

    Optional<ViewDef> view(long dbId, String name);

    Optional<OdbcTableDef> odbcTable(long dbId, String name);

    Optional<OdbcResourceDef> resource(String name);

    List<BackendDef> backends();

    Optional<RepositoryDef> repository(String name);

    /** Catalog sequence of the table's last change (schema, partitions, versions, replicas); 0 when unknown. */
    long tableCommitSeq(long tableId);

    /** A fresh id from the catalog's allocator (persisted before it is handed out). */
    long nextId();
}
