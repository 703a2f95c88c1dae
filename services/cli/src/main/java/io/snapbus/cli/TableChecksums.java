package io.snapbus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapbus.rows.CanonicalRow;
import io.snapbus.rows.ContentChecksum;
import io.snapbus.rows.LoadFormat;
import io.snapbus.rows.ParsedRow;
import io.snapbus.rows.RowColumn;
import io.snapbus.rows.RowReader;
import io.snapbus.rows.RowSchema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A table's rows and content checksum computed the way the nodes compute theirs (one canonical form per value, an
 * order-independent sum of row hashes), from rows read back over REST, and the ones a backup recorded in its job info.
 */
final class TableChecksums {
    private TableChecksums() {}

    /** The table's columns as loads read them, from {@code GET .../tables/{t}}. */
    static RowSchema schemaOf(JobServiceClient api, String db, String table) {
        List<RowColumn> columns = new ArrayList<>();
        api.get("/api/databases/" + db + "/tables/" + table).get("columns").forEach(c -> columns.add(
                RowColumn.of(c.get("name").asText(), c.get("type").asText(), c.get("nullable").asBoolean(), null)));
        return new RowSchema(columns);
    }

    /** Rows and checksum of NDJSON rows of a table of {@code schema}. */
    static ContentChecksum of(RowSchema schema, String ndjson) {
        return new CanonicalRow(schema).checksum(RowReader.readAll(schema, LoadFormat.NDJSON,
                ndjson.getBytes(StandardCharsets.UTF_8)).stream().map(ParsedRow::values).toList());
    }

    /** Rows and checksum of the table as {@code GET .../rows} reads it back now. */
    static ContentChecksum readBack(JobServiceClient api, String db, String table) {
        return of(schemaOf(api, db, table), api.getText("/api/databases/" + db + "/tables/" + table + "/rows"));
    }

    /** Table name to the sum of its tablets' checksums as a job info recorded them. */
    static Map<String, ContentChecksum> recorded(JsonNode jobInfo) {
        Map<String, ContentChecksum> perTable = new HashMap<>();
        jobInfo.path("backup_objects").properties().forEach(table -> {
            ContentChecksum sum = ContentChecksum.EMPTY;
            for (JsonNode partition : table.getValue().path("partitions")) {
                JsonNode base = partition.path("indexes").path(table.getKey());
                for (JsonNode tablet : base.path("snapbus_tablet_checksums")) {
                    sum = sum.plus(new ContentChecksum(tablet.path("rows").asLong(), tablet.path("checksum").asLong()));
                }
            }
            perTable.put(table.getKey(), sum);
        });
        return perTable;
    }
}
