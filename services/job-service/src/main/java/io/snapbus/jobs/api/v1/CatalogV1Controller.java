package io.snapbus.jobs.api.v1;

import io.snapbus.api.Dropped;
import io.snapbus.api.catalog.AddBackendRequest;
import io.snapbus.api.catalog.Backend;
import io.snapbus.api.catalog.CreateDatabaseRequest;
import io.snapbus.api.catalog.CreateOdbcTableRequest;
import io.snapbus.api.catalog.CreateResourceRequest;
import io.snapbus.api.catalog.CreateViewRequest;
import io.snapbus.api.catalog.Database;
import io.snapbus.api.catalog.OdbcTable;
import io.snapbus.api.catalog.RecoverRequest;
import io.snapbus.api.catalog.Recovered;
import io.snapbus.api.catalog.RecycleBinEntry;
import io.snapbus.api.catalog.Resource;
import io.snapbus.api.catalog.View;
import io.snapbus.jobs.api.ApiException;
import io.snapbus.jobs.catalog.Catalog;
import io.snapbus.jobs.catalog.CatalogOperations;
import io.snapbus.jobs.catalog.TableOperations;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.List;
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

/** v1 of databases, backends, views, ODBC resources and tables, and the recycle bin. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "catalog", description = "Databases, backends, views, ODBC resources and tables, the recycle bin")
public class CatalogV1Controller {
    private final Catalog catalog;
    private final CatalogOperations operations;
    private final TableOperations tables;

    public CatalogV1Controller(Catalog catalog, CatalogOperations operations, TableOperations tables) {
        this.catalog = catalog;
        this.operations = operations;
        this.tables = tables;
    }

    @PostMapping("/databases")
    @ResponseStatus(HttpStatus.CREATED)
    public Database createDatabase(@Valid @RequestBody CreateDatabaseRequest request) {
        return CatalogDtos.database(operations.createDatabase(request.name()));
    }

    @GetMapping("/databases")
    public List<Database> databases() {
        return catalog.databases().stream().map(CatalogDtos::database).toList();
    }

    /** DROP DATABASE [FORCE]: into the recycle bin, or erased at once with {@code force}. */
    @DeleteMapping("/databases/{db}")
    public Dropped dropDatabase(@PathVariable("db") String db,
            @RequestParam(name = "force", defaultValue = "false") boolean force) {
        operations.dropDatabase(db, force);
        return new Dropped(db);
    }

    @PostMapping("/backends")
    @ResponseStatus(HttpStatus.CREATED)
    public Backend addBackend(@Valid @RequestBody AddBackendRequest request) {
        return CatalogDtos.backend(operations.addBackend(request.host(), request.bePort(), request.httpPort()));
    }

    @GetMapping("/backends")
    public List<Backend> backends() {
        return catalog.backends().stream().map(CatalogDtos::backend).toList();
    }

    @PostMapping("/databases/{db}/views")
    @ResponseStatus(HttpStatus.CREATED)
    public View createView(@PathVariable("db") String db, @Valid @RequestBody CreateViewRequest request) {
        return CatalogDtos.view(operations.createView(db, request.name(), request.sql(),
                CatalogDtos.columnSpecs(request.columns())));
    }

    @PostMapping("/resources")
    @ResponseStatus(HttpStatus.CREATED)
    public Resource createResource(@Valid @RequestBody CreateResourceRequest request) {
        return CatalogDtos.resource(operations.createResource(request.name(), request.properties(),
                request.credentialRef()));
    }

    @GetMapping("/resources")
    public List<Resource> resources() {
        return catalog.resources().stream().map(CatalogDtos::resource).toList();
    }

    @PostMapping("/databases/{db}/odbc-tables")
    @ResponseStatus(HttpStatus.CREATED)
    public OdbcTable createOdbcTable(@PathVariable("db") String db,
            @Valid @RequestBody CreateOdbcTableRequest request) {
        return CatalogDtos.odbcTable(operations.createOdbcTable(db, request.name(), request.resourceName(),
                request.remoteDatabase(), request.remoteTable(), CatalogDtos.columnSpecs(request.columns())));
    }

    /** SHOW CATALOG RECYCLE BIN. */
    @GetMapping("/recycle-bin")
    public List<RecycleBinEntry> recycleBin() {
        long now = System.currentTimeMillis();
        return catalog.recycleBin().stream().map(e -> CatalogDtos.recycleBinEntry(e, now)).toList();
    }

    /** RECOVER DATABASE, TABLE or PARTITION (see {@link RecoverRequest}). */
    @PostMapping("/databases/{db}/recover")
    public Recovered recover(@PathVariable("db") String db,
            @Valid @RequestBody(required = false) RecoverRequest request) {
        RecoverRequest what = request == null ? new RecoverRequest(null, null, null) : request;
        if (blank(what.table())) {
            if (!blank(what.partition())) {
                throw ApiException.badRequest("A partition is recovered from a table: name the table");
            }
            return new Recovered(Recovered.Kind.DATABASE,
                    CatalogDtos.database(operations.recoverDatabase(db, what.newName())), null, null);
        }
        if (blank(what.partition())) {
            return new Recovered(Recovered.Kind.TABLE, null,
                    CatalogDtos.tableSummary(tables.recoverTable(db, what.table(), what.newName())), null);
        }
        var partition = tables.recoverPartition(db, what.table(), what.partition(), what.newName());
        return new Recovered(Recovered.Kind.PARTITION, null, null, CatalogDtos.partition(partition,
                catalog.table(partition.getTableId()).orElseThrow(), catalog));
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
