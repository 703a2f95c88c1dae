package io.snapbus.jobs.api;

import io.snapbus.api.Limits;
import io.snapbus.jobs.catalog.Catalog;
import io.snapbus.jobs.catalog.CatalogOperations;
import io.snapbus.jobs.catalog.TableOperations;
import io.snapbus.jobs.catalog.TableRequests.ColumnSpec;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
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
import tools.jackson.databind.JsonNode;

/** Databases, backends, views, ODBC resources and ODBC tables. */
@RestController
@RequestMapping("/api")
public class CatalogController {
    private static final int NAME = Limits.NAME;
    private static final int VALUE = Limits.VALUE;
    private static final String NAME_MESSAGE = Limits.NAME_MESSAGE;
    private static final String VALUE_MESSAGE = Limits.VALUE_MESSAGE;
    private static final String PORT = "a port is 0..65535";

    private final Catalog catalog;
    private final CatalogOperations operations;
    private final TableOperations tables;

    public CatalogController(Catalog catalog, CatalogOperations operations, TableOperations tables) {
        this.catalog = catalog;
        this.operations = operations;
        this.tables = tables;
    }

    public record CreateDatabase(@Size(max = NAME, message = NAME_MESSAGE) String name) {}

    public record AddBackend(@Size(max = 255, message = "a host has at most 255 characters") String host,
                             Integer bePort,
                             @Min(value = 0, message = PORT) @Max(value = 65535, message = PORT) Integer httpPort) {}

    public record CreateView(@Size(max = NAME, message = NAME_MESSAGE) String name,
                             @Size(max = 1 << 20, message = "a view's SQL has at most 1048576 characters") String sql,
                             List<@NotNull(message = "A column must not be null") @Valid ColumnSpec> columns) {}

    public record CreateResource(@Size(max = NAME, message = NAME_MESSAGE) String name,
                                 Map<@NotBlank(message = "a property needs a name")
                                     @Size(max = NAME, message = NAME_MESSAGE) String,
                                     @NotNull(message = "a property needs a value")
                                     @Size(max = VALUE, message = VALUE_MESSAGE) String> properties,
                                 @Size(max = NAME, message = NAME_MESSAGE) String credentialRef) {}

    public record CreateOdbcTable(@Size(max = NAME, message = NAME_MESSAGE) String name,
                                  @NotNull(message = "An ODBC table needs resourceName")
                                  @Size(max = NAME, message = NAME_MESSAGE) String resourceName,
                                  @Size(max = VALUE, message = VALUE_MESSAGE) String remoteDatabase,
                                  @Size(max = VALUE, message = VALUE_MESSAGE) String remoteTable,
                                  List<@NotNull(message = "A column must not be null") @Valid ColumnSpec> columns) {}

    @PostMapping("/databases")
    @ResponseStatus(HttpStatus.CREATED)
    public JsonNode createDatabase(@Valid @RequestBody CreateDatabase request) {
        return AvroJson.of(operations.createDatabase(request.name()));
    }

    @GetMapping("/databases")
    public List<JsonNode> databases() {
        return AvroJson.of(catalog.databases());
    }

    @DeleteMapping("/databases/{db}")
    public Map<String, Object> dropDatabase(@PathVariable("db") String db,
            @RequestParam(name = "force", defaultValue = "false") boolean force) {
        operations.dropDatabase(db, force);
        return Map.of("dropped", db);
    }

    @PostMapping("/backends")
    @ResponseStatus(HttpStatus.CREATED)
    public JsonNode addBackend(@Valid @RequestBody AddBackend request) {
        return AvroJson.of(operations.addBackend(request.host(), request.bePort(), request.httpPort()));
    }

    @GetMapping("/backends")
    public List<JsonNode> backends() {
        return AvroJson.of(catalog.backends());
    }

    @PostMapping("/databases/{db}/views")
    @ResponseStatus(HttpStatus.CREATED)
    public JsonNode createView(@PathVariable("db") String db, @Valid @RequestBody CreateView request) {
        return AvroJson.of(operations.createView(db, request.name(), request.sql(), request.columns()));
    }

    @PostMapping("/resources")
    @ResponseStatus(HttpStatus.CREATED)
    public JsonNode createResource(@Valid @RequestBody CreateResource request) {
        return AvroJson.of(operations.createResource(request.name(), request.properties(), request.credentialRef()));
    }

    @GetMapping("/resources")
    public List<JsonNode> resources() {
        return AvroJson.of(catalog.resources());
    }

    @PostMapping("/databases/{db}/odbc-tables")
    @ResponseStatus(HttpStatus.CREATED)
    public JsonNode createOdbcTable(@PathVariable("db") String db, @Valid @RequestBody CreateOdbcTable request) {
        return AvroJson.of(operations.createOdbcTable(db, request.name(), request.resourceName(),
                request.remoteDatabase(), request.remoteTable(), request.columns()));
    }

}
