package io.snapbus.jobs.restore;

import io.snapbus.rows.ContentChecksum;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot's job info file ({@code __info_<ts>}, Doris's BackupJobInfo JSON, doris-backup-facts.md §2.4) as a
 * restore reads it: what was backed up, at which versions, in which files. The shell's {@code SnapshotInfoFile}
 * reads what our backups write and what Doris writes; a tablet order missing from an old file is ascending ids, as
 * Doris's reader assumes.
 */
public record SnapshotInfo(String label, String dbName, long dbId, long backupTimeMs, Content content,
        Map<String, Table> tables, List<NamedObject> views, List<NamedObject> odbcTables, List<String> odbcResources,
        int metaVersion, List<String> droppedDuringBackup) {

    /** What the snapshot holds: data and metadata, or metadata only (its tablets list no files). */
    public enum Content { ALL, METADATA_ONLY }

    /** A view or ODBC table of the snapshot. */
    public record NamedObject(long id, String name) {}

    /** An OLAP table, its partitions by name in the file's order. */
    public record Table(String name, long id, Map<String, Partition> partitions) {
        public Table {
            partitions = Collections.unmodifiableMap(new LinkedHashMap<>(partitions));
        }
    }

    /** A partition at the visible version the backup took. */
    public record Partition(String name, long id, long version, Map<String, Index> indexes) {
        public Partition {
            indexes = Collections.unmodifiableMap(new LinkedHashMap<>(indexes));
        }

        /**
         * The partition with its ids, version and tablet order only: what a restore plan keeps (its replicas carry
         * the checksums they are compared with, and DOWNLOAD lists a tablet's files itself).
         */
        public Partition withoutFiles() {
            Map<String, Index> bare = new LinkedHashMap<>();
            indexes.forEach((name, i) -> bare.put(name, new Index(i.name(), i.id(), i.schemaHash(), i.tabletOrder(),
                    Map.of())));
            return new Partition(name, id, version, bare);
        }
    }

    /**
     * An index (the base index is named after its table): its tablets in bucket order, each one's files, and the rows
     * and content checksum each held at the backup's version (ours; empty in a Doris snapshot or for tablets whose
     * node did not report them).
     */
    public record Index(String name, long id, int schemaHash, List<Long> tabletOrder,
            Map<Long, List<String>> tabletFiles, Map<Long, ContentChecksum> tabletChecksums) {
        public Index {
            tabletOrder = List.copyOf(tabletOrder);
            tabletFiles = Map.copyOf(tabletFiles);
            tabletChecksums = Map.copyOf(tabletChecksums);
        }

        /** An index without recorded checksums. */
        public Index(String name, long id, int schemaHash, List<Long> tabletOrder,
                Map<Long, List<String>> tabletFiles) {
            this(name, id, schemaHash, tabletOrder, tabletFiles, Map.of());
        }
    }

    public SnapshotInfo {
        tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
        views = List.copyOf(views);
        odbcTables = List.copyOf(odbcTables);
        odbcResources = List.copyOf(odbcResources);
        droppedDuringBackup = List.copyOf(droppedDuringBackup);
    }

    /** Every tablet's rows and content checksum as its backup recorded them (none in a Doris snapshot). */
    public Map<Long, ContentChecksum> tabletChecksums() {
        Map<Long, ContentChecksum> recorded = new HashMap<>();
        tables.values().forEach(t -> t.partitions().values().forEach(p -> p.indexes().values().forEach(
                i -> recorded.putAll(i.tabletChecksums()))));
        return recorded;
    }
}
