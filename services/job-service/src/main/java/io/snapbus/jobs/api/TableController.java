package io.snapbus.jobs.api;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import io.snapbus.avro.DatabaseDef;
import io.snapbus.avro.IndexMeta;
import io.snapbus.avro.OlapTableDef;
import io.snapbus.avro.PartitionDef;
import io.snapbus.avro.RowFormat;
import io.snapbus.jobs.catalog.Catalog;
import io.snapbus.jobs.catalog.TableOperations;
import io.snapbus.jobs.catalog.TableRequests.CreateTable;
import io.snapbus.jobs.catalog.TableRequests.PartitionSpec;
import io.snapbus.api.catalog.LoadResult;
import io.snapbus.jobs.load.LoadService;
import jakarta.validation.Valid;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** OLAP tables of a database: create, show (with partitions, tablets and replicas), drop, partitions, loads. */
@RestController
@RequestMapping("/api/databases/{db}/tables")
public class TableController {
    private static final String NDJSON = "application/x-ndjson";
    private static final String CSV = "text/csv";

    private final Catalog catalog;
    private final TableOperations tables;
    private final LoadService loads;

    public TableController(Catalog catalog, TableOperations tables, LoadService loads) {
        this.catalog = catalog;
        this.tables = tables;
        this.loads = loads;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public JsonNode create(@PathVariable("db") String db, @Valid @RequestBody CreateTable request) {
        return describe(tables.createTable(db, request));
    }

    /** OLAP tables (and materialized views), views and ODBC tables of the database. */
    @GetMapping
    public JsonNode list(@PathVariable("db") String db) {
        DatabaseDef database = tables.requireDatabase(db);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("tables", JsonNodeFactory.instance.arrayNode().addAll(AvroJson.of(catalog.tables(database.getId()))));
        out.set("views", JsonNodeFactory.instance.arrayNode().addAll(AvroJson.of(catalog.views(database.getId()))));
        out.set("odbcTables", JsonNodeFactory.instance.arrayNode()
                .addAll(AvroJson.of(catalog.odbcTables(database.getId()))));
        return out;
    }

    @GetMapping("/{table}")
    public JsonNode show(@PathVariable("db") String db, @PathVariable("table") String table) {
        return describe(tables.requireTable(db, table));
    }

    @DeleteMapping("/{table}")
    public Map<String, Object> drop(@PathVariable("db") String db, @PathVariable("table") String table,
            @RequestParam(name = "force", defaultValue = "false") boolean force) {
        tables.dropTable(db, table, force);
        return Map.of("dropped", table);
    }

    @PostMapping("/{table}/partitions")
    @ResponseStatus(HttpStatus.CREATED)
    public JsonNode addPartition(@PathVariable("db") String db, @PathVariable("table") String table,
            @Valid @RequestBody PartitionSpec request) {
        return AvroJson.of(tables.addPartition(db, table, request));
    }

    @DeleteMapping("/{table}/partitions/{partition}")
    public Map<String, Object> dropPartition(@PathVariable("db") String db, @PathVariable("table") String table,
            @PathVariable("partition") String partition,
            @RequestParam(name = "force", defaultValue = "false") boolean force) {
        tables.dropPartition(db, table, partition, force);
        return Map.of("dropped", partition);
    }

    @PostMapping("/{table}/partitions/{partition}/truncate")
    public JsonNode truncate(@PathVariable("db") String db, @PathVariable("table") String table,
            @PathVariable("partition") String partition) {
        return AvroJson.of(tables.truncatePartition(db, table, partition));
    }

    @PostMapping(path = "/{table}/loads", consumes = {NDJSON, CSV})
    public LoadResult load(@PathVariable("db") String db, @PathVariable("table") String table,
            @org.springframework.web.bind.annotation.RequestHeader("Content-Type") String contentType,
            @RequestBody(required = false) byte[] rows) {
        RowFormat format = contentType.toLowerCase(java.util.Locale.ROOT).startsWith(CSV) ? RowFormat.CSV
                : RowFormat.NDJSON;
        return loads.load(db, table, format, rows);
    }

    private JsonNode describe(OlapTableDef table) {
        ObjectNode out = (ObjectNode) AvroJson.of(table);
        out.put("commitSeq", catalog.tableCommitSeq(table.getId()));
        ArrayNode partitions = out.putArray("partitions");
        for (PartitionDef partition : catalog.partitions(table.getId())) {
            ObjectNode p = (ObjectNode) AvroJson.of(partition);
            ObjectNode byIndex = p.putObject("tablets");
            for (IndexMeta index : table.getIndexes()) {
                byIndex.set(index.getName(), JsonNodeFactory.instance.arrayNode()
                        .addAll(AvroJson.of(catalog.tablets(partition.getId(), index.getId()))));
            }
            partitions.add(p);
        }
        return out;
    }
}
