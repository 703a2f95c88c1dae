package io.snapbus.jobs.restore.shell;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.snapbus.jobs.backup.BackupJobInfo;
import io.snapbus.jobs.restore.RestoreRequestException;
import io.snapbus.jobs.restore.SnapshotInfo;
import io.snapbus.jobs.restore.SnapshotInfo.Content;
import io.snapbus.jobs.restore.SnapshotInfo.Index;
import io.snapbus.jobs.restore.SnapshotInfo.NamedObject;
import io.snapbus.jobs.restore.SnapshotInfo.Partition;
import io.snapbus.jobs.restore.SnapshotInfo.Table;
import io.snapbus.rows.ContentChecksum;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a job info file ({@code __info_<ts>}, Doris's BackupJobInfo JSON, doris-backup-facts.md §2.4) into a
 * {@link SnapshotInfo} as it streams, without a tree of the whole file: a million tablets make ~300 MB of it.
 */
public final class SnapshotInfoFile {
    /** Leaves the stream open: its reader drains the rest for the file's md5. */
    private static final ObjectMapper JSON = JsonMapper.builder().disable(StreamReadFeature.AUTO_CLOSE_SOURCE).build();
    /** Top-level maps nothing here reads (two of them list every tablet): skipped, not built. */
    private static final Set<String> SKIPPED = Set.of("tablet_be_map", "tablet_snapshot_path_map",
            "table_commit_seq_map");

    private SnapshotInfoFile() {}

    /**
     * Parses the file named {@code fileName}, every tablet's files included; a file that is no job info, or the info
     * of a failed backup, is refused with Doris's message.
     */
    public static SnapshotInfo parse(String fileName, byte[] bytes) {
        return parse(fileName, new ByteArrayInputStream(bytes), true);
    }

    /**
     * Parses the file named {@code fileName} as it streams from {@code in}, without a tree of the whole file (a
     * million tablets make ~300 MB of JSON). Without {@code withFiles}, each index's {@link Index#tabletFiles()} keeps
     * only the tablets missing from its order, with no file names: what a restore needs. The maps a restore does not
     * read ({@code tablet_be_map}, {@code tablet_snapshot_path_map}, {@code table_commit_seq_map}) are skipped. Leaves
     * {@code in} open.
     */
    public static SnapshotInfo parse(String fileName, InputStream in, boolean withFiles) {
        try (JsonParser p = JSON.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            Map<String, Table> tables = new LinkedHashMap<>();
            ObjectNode root = JSON.createObjectNode();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (field.equals("backup_objects")) {
                    forEachField(p, name -> tables.put(name, table(name, p, withFiles)));
                } else if (SKIPPED.contains(field)) {
                    p.skipChildren();
                } else {
                    root.set(field, p.readValueAsTree());
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            String result = text(root, "backup_result", "succeed");
            if (!result.equals("succeed")) {
                throw new IllegalArgumentException("backup_result is " + result + ", not succeed");
            }
            JsonNode newObjects = root.path("new_backup_objects");
            List<String> resources = new ArrayList<>();
            newObjects.path("odbc_resources").forEach(r -> resources.add(r.path("name").asText()));
            List<String> dropped = new ArrayList<>();
            root.path("dropped_during_backup").forEach(d -> dropped.add(d.asText()));
            return new SnapshotInfo(required(root, "name").asText(), required(root, "database").asText(),
                    required(root, "id").asLong(), required(root, "backup_time").asLong(),
                    Content.valueOf(text(root, "content", "ALL")), tables, named(newObjects.path("views")),
                    named(newObjects.path("odbc_tables")), resources, root.path("meta_version").asInt(0), dropped);
        } catch (IOException | RuntimeException e) {
            throw RestoreRequestException.invalid("Failed to create job info from file: " + fileName + ". msg: "
                    + e.getMessage());
        }
    }

    /** Reads an object's fields; the parser is on the object's first token, then on each field's value. */
    private interface FieldReader {
        void read(String field) throws IOException;
    }

    /** Each field of the object the parser is on; a value that is no object has none, as the tree reader's path saw. */
    private static void forEachField(JsonParser p, FieldReader reader) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            reader.read(field);
        }
    }

    /** Each element of the array the parser is on; a value that is no array has none. */
    private static void forEachElement(JsonParser p, FieldReader reader) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            reader.read(null);
            p.skipChildren();
        }
    }

    /**
     * The numbers of the object the parser is on; its field {@code nested}, an object, is read field by field by
     * {@code child} instead.
     */
    private static Map<String, Long> numbersBeside(JsonParser p, String nested, FieldReader child) throws IOException {
        Map<String, Long> numbers = new HashMap<>();
        forEachField(p, field -> {
            if (field.equals(nested)) {
                forEachField(p, child);
            } else {
                numbers.put(field, number(p));
            }
        });
        return numbers;
    }

    private static Table table(String name, JsonParser p, boolean withFiles) throws IOException {
        Map<String, Partition> partitions = new LinkedHashMap<>();
        Map<String, Long> numbers = numbersBeside(p, "partitions",
                partition -> partitions.put(partition, partition(partition, p, withFiles)));
        return new Table(name, required(numbers, "id"), partitions);
    }

    private static Partition partition(String name, JsonParser p, boolean withFiles) throws IOException {
        Map<String, Index> indexes = new LinkedHashMap<>();
        Map<String, Long> numbers = numbersBeside(p, "indexes", index -> indexes.put(index, index(index, p, withFiles)));
        return new Partition(name, required(numbers, "id"), required(numbers, "version"), indexes);
    }

    private static Index index(String name, JsonParser p, boolean withFiles) throws IOException {
        Map<String, Long> numbers = new HashMap<>();
        Map<Long, List<String>> files = new TreeMap<>();
        List<Long> order = new ArrayList<>();
        Map<Long, ContentChecksum> checksums = new HashMap<>();
        forEachField(p, field -> {
            switch (field) {
                case "tablets" -> forEachField(p, tablet -> {
                    List<String> names = withFiles ? new ArrayList<>() : List.of();
                    if (withFiles) {
                        forEachElement(p, file -> names.add(p.getValueAsString()));
                    } else {
                        p.skipChildren();
                    }
                    files.put(Long.parseLong(tablet), names);
                });
                case "tablets_order" -> forEachElement(p, element -> order.add(p.getValueAsLong()));
                case BackupJobInfo.TABLET_CHECKSUMS_KEY -> forEachField(p, tablet -> {
                    Map<String, Long> sum = new HashMap<>();
                    forEachField(p, f -> sum.put(f, number(p)));
                    checksums.put(Long.parseLong(tablet), new ContentChecksum(required(sum, "rows"),
                            required(sum, "checksum")));
                });
                default -> numbers.put(field, number(p));
            }
        });
        if (order.isEmpty()) {
            order.addAll(files.keySet()); // ascending ids, as Doris reads a file without an order
        }
        if (!withFiles) {
            order.forEach(files::remove);
        }
        return new Index(name, required(numbers, "id"), (int) required(numbers, "schema_hash"), order, files,
                checksums);
    }

    /** A scalar as a number, numeric strings included (0 for any other value, as the tree reader's asLong); null for null. */
    private static Long number(JsonParser p) throws IOException {
        Long value = p.currentToken() == JsonToken.VALUE_NULL ? null : p.getValueAsLong();
        p.skipChildren();
        return value;
    }

    private static long required(Map<String, Long> numbers, String field) {
        Long value = numbers.get(field);
        if (value == null) {
            throw new IllegalArgumentException("missing " + field);
        }
        return value;
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
