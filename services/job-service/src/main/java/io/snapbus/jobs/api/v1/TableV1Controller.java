package io.snapbus.jobs.api.v1;

import io.snapbus.api.Dropped;
import io.snapbus.api.catalog.CreateTableRequest;
import io.snapbus.api.catalog.DatabaseObjects;
import io.snapbus.api.catalog.LoadResult;
import io.snapbus.api.catalog.Partition;
import io.snapbus.api.catalog.PartitionSpec;
import io.snapbus.api.catalog.Table;
import io.snapbus.avro.DatabaseDef;
import io.snapbus.avro.OlapTableDef;
import io.snapbus.avro.PartitionDef;
import io.snapbus.avro.RowFormat;
import io.snapbus.jobs.catalog.Catalog;
import io.snapbus.jobs.catalog.TableOperations;
import io.snapbus.jobs.load.LoadService;
import io.snapbus.jobs.rows.TableRowsReader;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/** v1 of a database's OLAP tables: create, show (partitions, tablets, replicas), drop, partitions, loads, rows. */
@RestController
@RequestMapping("/api/v1/databases/{db}/tables")
@Tag(name = "tables", description = "OLAP tables, their partitions, loads and rows")
public class TableV1Controller {
    private static final String NDJSON = "application/x-ndjson";
    private static final String CSV = "text/csv";

    private final Catalog catalog;
    private final TableOperations tables;
    private final LoadService loads;
    private final TableRowsReader rows;

    public TableV1Controller(Catalog catalog, TableOperations tables, LoadService loads, TableRowsReader rows) {
        this.catalog = catalog;
        this.tables = tables;
        this.loads = loads;
        this.rows = rows;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public Table create(@PathVariable("db") String db, @Valid @RequestBody CreateTableRequest request) {
        return CatalogDtos.table(tables.createTable(db, CatalogDtos.createTable(request)), catalog);
    }

    /** OLAP tables (and materialized views, without partitions), views and ODBC tables of the database. */
    @GetMapping
    public DatabaseObjects list(@PathVariable("db") String db) {
        DatabaseDef database = tables.requireDatabase(db);
        return new DatabaseObjects(
                catalog.tables(database.getId()).stream().map(CatalogDtos::tableSummary).toList(),
                catalog.views(database.getId()).stream().map(CatalogDtos::view).toList(),
                catalog.odbcTables(database.getId()).stream().map(CatalogDtos::odbcTable).toList());
    }

    @GetMapping("/{table}")
    public Table show(@PathVariable("db") String db, @PathVariable("table") String table) {
        return CatalogDtos.table(tables.requireTable(db, table), catalog);
    }

    @DeleteMapping("/{table}")
    public Dropped drop(@PathVariable("db") String db, @PathVariable("table") String table,
            @RequestParam(name = "force", defaultValue = "false") boolean force) {
        tables.dropTable(db, table, force);
        return new Dropped(table);
    }

    @PostMapping("/{table}/partitions")
    @ResponseStatus(HttpStatus.CREATED)
    public Partition addPartition(@PathVariable("db") String db, @PathVariable("table") String table,
            @Valid @RequestBody PartitionSpec request) {
        return partition(tables.addPartition(db, table, CatalogDtos.partitionSpec(request)));
    }

    @DeleteMapping("/{table}/partitions/{partition}")
    public Dropped dropPartition(@PathVariable("db") String db, @PathVariable("table") String table,
            @PathVariable("partition") String partition,
            @RequestParam(name = "force", defaultValue = "false") boolean force) {
        tables.dropPartition(db, table, partition, force);
        return new Dropped(partition);
    }

    /** TRUNCATE TABLE ... PARTITION: the empty partition that replaced it. */
    @PostMapping("/{table}/partitions/{partition}/truncate")
    public Partition truncate(@PathVariable("db") String db, @PathVariable("table") String table,
            @PathVariable("partition") String partition) {
        return partition(tables.truncatePartition(db, table, partition));
    }

    /** Rows as NDJSON (one object per line) or CSV (the table's columns in order, no header). */
    @PostMapping(path = "/{table}/loads", consumes = {NDJSON, CSV})
    public LoadResult load(@PathVariable("db") String db, @PathVariable("table") String table,
            @RequestHeader("Content-Type") String contentType, @RequestBody(required = false) byte[] body) {
        RowFormat format = contentType.toLowerCase(Locale.ROOT).startsWith(CSV) ? RowFormat.CSV : RowFormat.NDJSON;
        return loads.load(db, table, format, body);
    }

    @GetMapping("/{table}/rows")
    @Operation(summary = "The table's rows as NDJSON in the load format, in partition and bucket order",
            description = "Unknown names are 404 and a bad limit 400, before any row is sent; a node failing"
                    + " mid-stream cuts the answer short.")
    @ApiResponse(responseCode = "200", description = "One JSON object per line",
            content = @Content(mediaType = NDJSON, schema = @Schema(type = "string")))
    public ResponseEntity<StreamingResponseBody> rows(@PathVariable("db") String db,
            @PathVariable("table") String table,
            @RequestParam(name = "partition", required = false) String partition,
            @RequestParam(name = "limit", required = false) String limit) {
        TableRowsReader.ReadPlan plan = rows.plan(db, table, partition, limit);
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(NDJSON)).body(out -> rows.write(plan, out));
    }

    private Partition partition(PartitionDef partition) {
        OlapTableDef table = catalog.table(partition.getTableId()).orElseThrow();
        return CatalogDtos.partition(partition, table, catalog);
    }
}
