package io.snapbus.jobs.restore;

import io.snapbus.avro.OdbcResourceDef;
import io.snapbus.avro.OdbcTableDef;
import io.snapbus.avro.OlapTableDef;
import io.snapbus.avro.PartitionDef;
import io.snapbus.avro.Replica;
import io.snapbus.avro.ViewDef;
import java.util.List;
import java.util.Map;

/**
 * What PENDING decided a restore does, before anything changes: which tables are created, which partitions of which
 * tables are replaced or added, and for every new tablet its replicas and the backed-up tablet it takes the files of.
 * Every restored partition gets new tablets, so nothing is ever written into a live tablet: the commit swaps them in.
 *
 * @param tables     the OLAP tables restored, in the snapshot's order
 * @param views      views to create or replace, under their target names
 * @param odbcTables ODBC tables to create, under their target names
 * @param resources  ODBC resources to create (ones that exist with the same properties are left alone)
 */
public record RestorePlan(List<TablePlan> tables, List<ViewDef> views, List<OdbcTableDef> odbcTables,
        List<OdbcResourceDef> resources) {

    /** How a table is restored. */
    public enum TableKind {
        /** No table of that name: created, registered at commit. */
        NEW,
        /** Restored into the existing table of that name: its partitions replaced or added at commit. */
        EXISTING,
        /** Restored beside the live table as a staged table, swapped in at commit (atomic_restore). */
        ATOMIC
    }

    /** Prefix of a staged table of an atomic restore, Doris's. */
    public static final String ATOMIC_PREFIX = "__doris_atomic_restore_prefix__";

    /**
     * One restored table.
     *
     * @param target the table as it is after the restore: for NEW and ATOMIC a new definition with new ids (an
     *               ATOMIC one under its staged name until the swap), for EXISTING the live table
     * @param liveTableId the live table an ATOMIC restore replaces, or an EXISTING one changes; -1 for NEW
     */
    public record TablePlan(String targetName, TableKind kind, OlapTableDef target, long liveTableId,
            List<PartitionPlan> partitions) {
        public TablePlan {
            partitions = List.copyOf(partitions);
        }
    }

    /**
     * One restored partition: a new partition at the backup's version whose tablets take the backed-up tablets'
     * files by position.
     *
     * @param replacedPartitionId the live partition it replaces at commit, -1 when it is added
     * @param tablets             index id (of the target table) to its new tablets in bucket order
     */
    public record PartitionPlan(SnapshotInfo.Partition source, PartitionDef target, long replacedPartitionId,
            Map<Long, List<TabletPlan>> tablets) {
        public PartitionPlan {
            tablets = Map.copyOf(tablets);
        }
    }

    /** A new tablet, the backed-up tablet whose files it downloads, and its replicas (at the backup's version). */
    public record TabletPlan(long tabletId, long sourceTabletId, int schemaHash, List<Replica> replicas) {
        public TabletPlan {
            replicas = List.copyOf(replicas);
        }
    }

    public RestorePlan {
        tables = List.copyOf(tables);
        views = List.copyOf(views);
        odbcTables = List.copyOf(odbcTables);
        resources = List.copyOf(resources);
    }

    /** How many replicas the restore creates. */
    public long replicaCount() {
        return tables.stream().flatMap(t -> t.partitions().stream()).flatMap(p -> p.tablets().values().stream())
                .flatMap(List::stream).mapToLong(t -> t.replicas().size()).sum();
    }
}
