package io.snapbus.jobs.api;

import io.snapbus.avro.RecycledKind;
import io.snapbus.avro.RecycledObject;
import io.snapbus.jobs.catalog.Catalog;
import io.snapbus.jobs.catalog.CatalogOperations;
import io.snapbus.jobs.catalog.RecycleBin;
import io.snapbus.jobs.catalog.TableOperations;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** The recycle bin: SHOW CATALOG RECYCLE BIN and RECOVER DATABASE / TABLE / PARTITION. */
@RestController
@RequestMapping("/api")
public class RecycleBinController {
    private final Catalog catalog;
    private final CatalogOperations operations;
    private final TableOperations tables;

    public RecycleBinController(Catalog catalog, CatalogOperations operations, TableOperations tables) {
        this.catalog = catalog;
        this.operations = operations;
        this.tables = tables;
    }

    /**
     * What to recover from database {@code db}: nothing named recovers the database itself, a table alone the table, a
     * table and a partition the partition; {@code newName} recovers it under another name (Doris's AS).
     */
    public record Recover(String table, String partition, String newName) {}

    /** One row of SHOW CATALOG RECYCLE BIN (Doris's columns, plus when it is erased and whether RECOVER may). */
    public record RecycleBinRow(String type, String name, long dbId, long tableId, long partitionId, long dropTimeMs,
            long expireTimeMs, boolean force, boolean recoverable) {
        static RecycleBinRow of(RecycledObject entry, long nowMs) {
            String type = switch (entry.getKind()) {
                case DATABASE -> "Database";
                case TABLE -> "Table";
                case PARTITION -> "Partition";
                case UNKNOWN -> "Unknown";
            };
            long partitionId = entry.getKind() == RecycledKind.PARTITION ? entry.getId() : -1;
            return new RecycleBinRow(type, entry.getName(), entry.getDbId(), entry.getTableId(), partitionId,
                    entry.getDropTimeMs(), entry.getExpireTimeMs(), entry.getForce(),
                    RecycleBin.recoverable(entry, nowMs));
        }
    }

    @GetMapping("/recycle-bin")
    public List<RecycleBinRow> show() {
        long now = System.currentTimeMillis();
        return catalog.recycleBin().stream().map(e -> RecycleBinRow.of(e, now)).toList();
    }

    @PostMapping("/databases/{db}/recover")
    public JsonNode recover(@PathVariable("db") String db, @RequestBody(required = false) Recover request) {
        Recover what = request == null ? new Recover(null, null, null) : request;
        if (blank(what.table())) {
            if (!blank(what.partition())) {
                throw ApiException.badRequest("A partition is recovered from a table: name the table");
            }
            return AvroJson.of(operations.recoverDatabase(db, what.newName()));
        }
        if (blank(what.partition())) {
            return AvroJson.of(tables.recoverTable(db, what.table(), what.newName()));
        }
        return AvroJson.of(tables.recoverPartition(db, what.table(), what.partition(), what.newName()));
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
