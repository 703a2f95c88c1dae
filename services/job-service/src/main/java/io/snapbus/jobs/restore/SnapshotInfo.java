package io.snapbus.jobs.restore;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapbus.jobs.backup.BackupJobInfo;
import io.snapbus.rows.ContentChecksum;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A snapshot's job info file ({@code __info_<ts>}, Doris's BackupJobInfo JSON, doris-backup-facts.md §2.4) as a
 * restore reads it: what was backed up, at which versions, in which files. Reads what our backups write and what
 * Doris writes; a tablet order missing from an old file is ascending ids, as Doris's reader assumes.
 */
public record SnapshotInfo(String label, String dbName, long dbId, long backupTimeMs, Content content,
        Map<String, Table> tables, List<NamedObject> views, List<NamedObject> odbcTables, List<String> odbcResources,
        int metaVersion, Map<Long, Long> tabletBackends, List<String> droppedDuringBackup) {

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
        tabletBackends = Map.copyOf(tabletBackends);
        droppedDuringBackup = List.copyOf(droppedDuringBackup);
    }

    /** Every tablet's rows and content checksum as its backup recorded them (none in a Doris snapshot). */
    public Map<Long, ContentChecksum> tabletChecksums() {
        Map<Long, ContentChecksum> recorded = new HashMap<>();
        tables.values().forEach(t -> t.partitions().values().forEach(p -> p.indexes().values().forEach(
                i -> recorded.putAll(i.tabletChecksums()))));
        return recorded;
    }

    /**
     * Parses the file named {@code fileName}; a file that is no job info, or the info of a failed backup, is refused
     * with Doris's message.
     */
    public static SnapshotInfo parse(String fileName, byte[] bytes) {
        try {
            JsonNode root = JsonTree.of(bytes);
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            String result = text(root, "backup_result", "succeed");
            if (!result.equals("succeed")) {
                throw new IllegalArgumentException("backup_result is " + result + ", not succeed");
            }
            Map<String, Table> tables = new LinkedHashMap<>();
            JsonNode objects = root.path("backup_objects");
            for (Map.Entry<String, JsonNode> t : objects.properties()) {
                tables.put(t.getKey(), table(t.getKey(), t.getValue()));
            }
            JsonNode newObjects = root.path("new_backup_objects");
            List<String> resources = new ArrayList<>();
            newObjects.path("odbc_resources").forEach(r -> resources.add(r.path("name").asText()));
            Map<Long, Long> backends = new TreeMap<>();
            root.path("tablet_be_map").properties().forEach(e -> backends.put(Long.parseLong(e.getKey()),
                    e.getValue().asLong()));
            List<String> dropped = new ArrayList<>();
            root.path("dropped_during_backup").forEach(d -> dropped.add(d.asText()));
            return new SnapshotInfo(required(root, "name").asText(), required(root, "database").asText(),
                    required(root, "id").asLong(), required(root, "backup_time").asLong(),
                    Content.valueOf(text(root, "content", "ALL")), tables, named(newObjects.path("views")),
                    named(newObjects.path("odbc_tables")), resources, root.path("meta_version").asInt(0), backends,
                    dropped);
        } catch (RuntimeException e) {
            throw RestoreRequestException.invalid("Failed to create job info from file: " + fileName + ". msg: "
                    + e.getMessage());
        }
    }

    private static Table table(String name, JsonNode node) {
        Map<String, Partition> partitions = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> p : node.path("partitions").properties()) {
            Map<String, Index> indexes = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> i : p.getValue().path("indexes").properties()) {
                indexes.put(i.getKey(), index(i.getKey(), i.getValue()));
            }
            partitions.put(p.getKey(), new Partition(p.getKey(), required(p.getValue(), "id").asLong(),
                    required(p.getValue(), "version").asLong(), indexes));
        }
        return new Table(name, required(node, "id").asLong(), partitions);
    }

    private static Index index(String name, JsonNode node) {
        Map<Long, List<String>> files = new TreeMap<>();
        for (Map.Entry<String, JsonNode> t : node.path("tablets").properties()) {
            List<String> names = new ArrayList<>();
            t.getValue().forEach(f -> names.add(f.asText()));
            files.put(Long.parseLong(t.getKey()), names);
        }
        List<Long> order = new ArrayList<>();
        node.path("tablets_order").forEach(id -> order.add(id.asLong()));
        if (order.isEmpty()) {
            order.addAll(files.keySet()); // ascending ids, as Doris reads a file without an order
        }
        Map<Long, ContentChecksum> checksums = new TreeMap<>();
        node.path(BackupJobInfo.TABLET_CHECKSUMS_KEY).properties().forEach(t -> checksums.put(
                Long.parseLong(t.getKey()), new ContentChecksum(required(t.getValue(), "rows").asLong(),
                        required(t.getValue(), "checksum").asLong())));
        return new Index(name, required(node, "id").asLong(), required(node, "schema_hash").asInt(), order, files,
                checksums);
    }

    private static List<NamedObject> named(JsonNode array) {
        List<NamedObject> out = new ArrayList<>();
        array.forEach(o -> out.add(new NamedObject(o.path("id").asLong(), o.path("name").asText())));
        return out;
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing " + field);
        }
        return value;
    }

    private static String text(JsonNode node, String field, String absent) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? absent : value.asText();
    }
}
