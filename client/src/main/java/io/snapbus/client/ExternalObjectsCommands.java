package io.snapbus.client;

import io.snapbus.api.catalog.ColumnSpec;
import io.snapbus.api.catalog.CreateOdbcTableRequest;
import io.snapbus.api.catalog.CreateResourceRequest;
import io.snapbus.api.catalog.CreateViewRequest;
import io.snapbus.api.catalog.OdbcTable;
import io.snapbus.api.catalog.Resource;
import io.snapbus.api.catalog.View;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The demo catalog's objects besides OLAP tables that a backup carries in its meta and a restore brings back: views,
 * ODBC resources and ODBC tables.
 */
final class ExternalObjectsCommands {
    private ExternalObjectsCommands() {}

    /** {@code snapbus view}: CREATE VIEW. */
    @Command(name = "view", description = "Views of the demo catalog: create.")
    static final class ViewCommand extends ApiCommand {
        @Command(name = "create", description = "CREATE VIEW db.name [(columns)] AS sql.")
        int create(@Parameters(paramLabel = "DB") String db, @Parameters(paramLabel = "NAME") String name,
                @Option(names = "--sql", required = true, paramLabel = "SQL", description = "The view's query.")
                String sql,
                @Option(names = "--column", paramLabel = "NAME:TYPE", converter = TableCommand.Column.class,
                        description = "A column of the view (repeatable; default: none named).")
                List<ColumnSpec> columns) {
            View view = api().createView(db, new CreateViewRequest(name, sql, columns));
            return print(view, () -> Card.of(view).render());
        }
    }

    /** {@code snapbus resource}: CREATE RESOURCE and SHOW RESOURCES (ODBC catalogs). */
    @Command(name = "resource", description = "Resources (ODBC catalogs) of the demo catalog: create, list.")
    static final class ResourceCommand extends ApiCommand {
        @Command(name = "create", description = "CREATE RESOURCE name PROPERTIES (type=odbc_catalog, host, port, "
                + "driver, odbc_type, user; a password only by --credential-ref).")
        int create(@Parameters(paramLabel = "NAME") String name,
                @Option(names = "--property", required = true, paramLabel = "KEY=VALUE",
                        description = "A property of the resource (repeatable).") Map<String, String> properties,
                @Option(names = "--credential-ref", paramLabel = "REF",
                        description = "An entry of the job-service's credentials file.") String credentialRef) {
            Resource resource = api().createResource(new CreateResourceRequest(name, properties, credentialRef));
            return print(resource, () -> Card.of(resource).render());
        }

        @Command(name = "list", description = "SHOW RESOURCES.")
        int list() {
            List<Resource> resources = api().resources();
            return print(resources, () -> TextTable.of(resources, "name", "properties", "credentialRef").render());
        }
    }

    /** {@code snapbus odbc-table}: CREATE EXTERNAL TABLE ... ENGINE=ODBC. */
    @Command(name = "odbc-table", description = "ODBC tables of the demo catalog: create.")
    static final class OdbcTableCommand extends ApiCommand {
        @Command(name = "create", description = "CREATE EXTERNAL TABLE db.name (columns) ENGINE=ODBC on a resource.")
        int create(@Parameters(paramLabel = "DB") String db, @Parameters(paramLabel = "NAME") String name,
                @Option(names = "--resource", required = true, paramLabel = "RESOURCE") String resource,
                @Option(names = "--remote-database", paramLabel = "DB") String remoteDatabase,
                @Option(names = "--remote-table", paramLabel = "TABLE") String remoteTable,
                @Option(names = "--column", required = true, paramLabel = "NAME:TYPE[:key]",
                        converter = TableCommand.Column.class, description = "A column (repeatable).")
                List<ColumnSpec> columns) {
            OdbcTable table = api().createOdbcTable(db, new CreateOdbcTableRequest(name, resource, remoteDatabase,
                    remoteTable, columns));
            return print(table, () -> Card.of(table).render());
        }
    }
}
