package io.snapbus.jobs.restore;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapbus.avro.OdbcResourceDef;
import io.snapbus.avro.OdbcTableDef;
import io.snapbus.avro.OlapTableDef;
import io.snapbus.avro.PartitionDef;
import io.snapbus.avro.ViewDef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A snapshot's {@code __meta} file as a restore reads it: the catalog definitions the backup copied (our documented
 * JSON, see BackupMetaFile), typed again. A restore creates tables from these, and checks existing tables against them.
 */
public record SnapshotMeta(int metaVersion, Map<String, OlapTableDef> tables, Map<Long, List<PartitionDef>> partitions,
        List<ViewDef> views, List<OdbcTableDef> odbcTables, List<OdbcResourceDef> resources) {

    /** The meta format this build reads (BackupJobInfo.META_VERSION writes it). */
    public static final int READABLE_META_VERSION = 1;

    public SnapshotMeta {
        tables = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tables));
        partitions = Map.copyOf(partitions);
        views = List.copyOf(views);
        odbcTables = List.copyOf(odbcTables);
        resources = List.copyOf(resources);
    }

    /** The backed-up definition of table {@code name}'s partition {@code partition}. */
    public Optional<PartitionDef> partition(String table, String partition) {
        OlapTableDef def = tables.get(table);
        return def == null ? Optional.empty() : partitions.getOrDefault(def.getId(), List.of()).stream()
                .filter(p -> p.getName().equals(partition)).findFirst();
    }

    /**
     * Parses the file; {@code metaVersion} (-1: the file's own) must be one this build reads, else the restore is
     * refused as Doris refuses a too-old meta version, instead of hanging in PENDING.
     */
    public static SnapshotMeta parse(String fileName, byte[] bytes, int metaVersion) {
        JsonNode root;
        try {
            root = JsonTree.of(bytes);
        } catch (IllegalArgumentException e) {
            throw RestoreRequestException.invalid("Failed to read meta info from file: " + fileName + ". msg: "
                    + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw RestoreRequestException.invalid("Failed to read meta info from file: " + fileName
                    + ". msg: not a JSON object");
        }
        int version = metaVersion >= 0 ? metaVersion : root.path("meta_version").asInt(-1);
        if (version != READABLE_META_VERSION) {
            throw RestoreRequestException.invalid("Could not set meta version to " + version
                    + " since this build reads meta version " + READABLE_META_VERSION + " only");
        }
        Map<String, OlapTableDef> tables = new LinkedHashMap<>();
        Map<Long, List<PartitionDef>> partitions = new LinkedHashMap<>();
        List<ViewDef> views = new ArrayList<>();
        List<OdbcTableDef> odbcTables = new ArrayList<>();
        List<OdbcResourceDef> resources = new ArrayList<>();
        for (JsonNode entry : root.path("objects")) {
            String type = entry.path("type").asText();
            JsonNode value = entry.path("value");
            try {
                switch (type) {
                    case "OlapTableDef" -> {
                        OlapTableDef table = PlainAvroJson.read(OlapTableDef.class, value);
                        tables.put(table.getName(), table);
                    }
                    case "PartitionDef" -> {
                        PartitionDef partition = PlainAvroJson.read(PartitionDef.class, value);
                        partitions.computeIfAbsent(partition.getTableId(), t -> new ArrayList<>()).add(partition);
                    }
                    case "ViewDef" -> views.add(PlainAvroJson.read(ViewDef.class, value));
                    case "OdbcTableDef" -> odbcTables.add(PlainAvroJson.read(OdbcTableDef.class, value));
                    case "OdbcResourceDef" -> resources.add(PlainAvroJson.read(OdbcResourceDef.class, value));
                    default -> throw new IllegalArgumentException("unknown object type '" + type + "'");
                }
            } catch (RuntimeException e) {
                throw RestoreRequestException.invalid("Failed to read meta info from file: " + fileName + ". msg: "
                        + e.getMessage());
            }
        }
        return new SnapshotMeta(version, tables, partitions, views, odbcTables, resources);
    }
}
