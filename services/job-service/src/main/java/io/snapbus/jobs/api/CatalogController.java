package io.snapbus.jobs.api;

import tools.jackson.databind.JsonNode;
import io.snapbus.jobs.catalog.Catalog;
import io.snapbus.jobs.catalog.CatalogOperations;
import io.snapbus.jobs.catalog.TableRequests.ColumnSpec;
import io.snapbus.jobs.catalog.TableOperations;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Databases, backends, views, ODBC resources and ODBC tables. */
@RestController
@RequestMapping("/api")
public class CatalogController {
    private final Catalog catalog;
    private final CatalogOperations operations;
    private final TableOperations tables;

    public CatalogController(Catalog catalog, CatalogOperations operations, TableOperations tables) {
        this.catalog = catalog;
        this.operations = operations;
        this.tables = tables;
    }

    public record CreateDatabase(String name) {}

    public record AddBackend(String host, Integer bePort, Integer httpPort) {}

    public record CreateView(String name, String sql, List<ColumnSpec> columns) {}

    public record CreateResource(String name, Map<String, String> properties, String credentialRef) {}

    public record CreateOdbcTable(String name, String resourceName, String remoteDatabase, String remoteTable,
                                  List<ColumnSpec> columns) {}

    @PostMapping("/databases")
    @ResponseStatus(HttpStatus.CREATED)
    public JsonNode createDatabase(@RequestBody CreateDatabase request) {
        return AvroJson.of(operations.createDatabase(request.name()));
    }

    @GetMapping("/databases")
    public List<JsonNode> databases() {
        return AvroJson.of(catalog.databases());
    }

    @DeleteMapping("/databases/{db}")
    public Map<String, Object> dropDatabase(@PathVariable("db") String db) {
        operations.dropDatabase(db);
        return Map.of("dropped", db);
    }

    @PostMapping("/backends")
    @ResponseStatus(HttpStatus.CREATED)
    public JsonNode addBackend(@RequestBody AddBackend request) {
        return AvroJson.of(operations.addBackend(request.host(), request.bePort(), request.httpPort()));
    }

    @GetMapping("/backends")
    public List<JsonNode> backends() {
        return AvroJson.of(catalog.backends());
    }

    @PostMapping("/databases/{db}/views")
    @ResponseStatus(HttpStatus.CREATED)
    public JsonNode createView(@PathVariable("db") String db, @RequestBody CreateView request) {
        return AvroJson.of(operations.createView(db, request.name(), request.sql(), request.columns()));
    }

    @PostMapping("/resources")
    @ResponseStatus(HttpStatus.CREATED)
    public JsonNode createResource(@RequestBody CreateResource request) {
        return AvroJson.of(operations.createResource(request.name(), request.properties(), request.credentialRef()));
    }

    @GetMapping("/resources")
    public List<JsonNode> resources() {
        return AvroJson.of(catalog.resources());
    }

    @PostMapping("/databases/{db}/odbc-tables")
    @ResponseStatus(HttpStatus.CREATED)
    public JsonNode createOdbcTable(@PathVariable("db") String db, @RequestBody CreateOdbcTable request) {
        return AvroJson.of(operations.createOdbcTable(db, request.name(), request.resourceName(),
                request.remoteDatabase(), request.remoteTable(), request.columns()));
    }

}
