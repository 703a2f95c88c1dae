package io.snapbus.jobs.catalog;

import io.snapbus.avro.BackendDef;
import io.snapbus.avro.Column;
import io.snapbus.avro.DatabaseDef;
import io.snapbus.avro.OdbcResourceDef;
import io.snapbus.avro.OdbcTableDef;
import io.snapbus.avro.ViewDef;
import io.snapbus.jobs.api.ApiException;
import io.snapbus.jobs.catalog.TableRequests.ColumnSpec;
import io.snapbus.rows.ColumnType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** DDL that touches no storage node: databases, backends, views, ODBC resources and ODBC tables. */
@Component
public class CatalogOperations {
    private static final Logger log = LoggerFactory.getLogger(CatalogOperations.class);

    private final Catalog catalog;
    private final TableOperations tables;

    public CatalogOperations(Catalog catalog, TableOperations tables) {
        this.catalog = catalog;
        this.tables = tables;
    }

    public DatabaseDef createDatabase(String name) {
        Names.check("database", name);
        if (catalog.database(name).isPresent()) {
            throw ApiException.conflict("Can't create database '" + name + "'; database exists");
        }
        long id = catalog.nextId();
        DatabaseDef db = new DatabaseDef(id, name);
        catalog.update(change -> {
            if (catalog.database(name).isPresent()) {
                throw ApiException.conflict("Can't create database '" + name + "'; database exists");
            }
            return change.put(CatalogKeys.database(id), db);
        });
        log.info("created database {} (id {})", name, id);
        return db;
    }

    /**
     * DROP DATABASE [FORCE]: the database and everything in it go to the recycle bin (RECOVER DATABASE brings them
     * back); with FORCE they are erased at once, the replicas of its tables dropped on the nodes.
     */
    public void dropDatabase(String name, boolean force) {
        RecycleBin.DropTime at = tables.dropTime(force);
        catalog.update(change -> RecycleBin.dropDatabase(change, tables.requireDatabase(name), at));
        log.info("dropped database {}{}", name, force ? " with FORCE" : " into the recycle bin");
        tables.afterDrop(force);
    }

    /** RECOVER DATABASE name [AS newName]. */
    public DatabaseDef recoverDatabase(String name, String newName) {
        DatabaseDef db = catalog.update(change -> RecycleBin.recoverDatabase(change, name, newName,
                System.currentTimeMillis()));
        log.info("recovered database {} (id {}) as {}", name, db.getId(), db.getName());
        return db;
    }

    /** ALTER SYSTEM ADD BACKEND: a storage node replicas may be placed on. */
    public BackendDef addBackend(String host, Integer bePort, Integer httpPort) {
        if (host == null || host.isBlank()) {
            throw ApiException.badRequest("A backend needs a host");
        }
        if (bePort == null || bePort < 1 || bePort > 65535) {
            throw ApiException.badRequest("A backend needs a be_port 1..65535, got " + bePort);
        }
        String trimmed = host.trim();
        if (catalog.backends().stream().anyMatch(b -> b.getHost().equals(trimmed) && b.getBePort() == bePort)) {
            throw ApiException.conflict("Same backend already exists[" + trimmed + ":" + bePort + "]");
        }
        long id = catalog.nextId();
        BackendDef backend = new BackendDef(id, trimmed, bePort, httpPort == null ? 0 : httpPort, false);
        catalog.update(change -> change.put(CatalogKeys.backend(id), backend));
        log.info("added backend {} at {}:{}", id, trimmed, bePort);
        return backend;
    }

    public ViewDef createView(String dbName, String name, String sql, List<ColumnSpec> columns) {
        DatabaseDef db = tables.requireDatabase(dbName);
        Names.check("view", name);
        if (sql == null || sql.isBlank()) {
            throw ApiException.badRequest("A view needs its SELECT statement (sql)");
        }
        List<Column> defs = columns == null || columns.isEmpty() ? List.of() : plainColumns(columns);
        requireFreeName(db, name);
        long id = catalog.nextId();
        ViewDef view = new ViewDef(id, db.getId(), name, sql, new ArrayList<>(defs));
        catalog.update(change -> {
            requireFreeName(tables.requireDatabase(dbName), name);
            return change.put(CatalogKeys.view(id), view);
        });
        log.info("created view {}.{}", dbName, name);
        return view;
    }

    public OdbcResourceDef createResource(String name, Map<String, String> properties, String credentialRef) {
        Names.check("resource", name);
        Map<String, String> props = properties == null ? Map.of() : properties;
        for (String key : props.keySet()) {
            String lower = key.toLowerCase(Locale.ROOT);
            if (lower.contains("password") || lower.contains("secret") || lower.contains("passwd")) {
                throw ApiException.badRequest("Property '" + key + "' is a secret: name it by credentialRef instead");
            }
        }
        if (catalog.resource(name).isPresent()) {
            throw ApiException.conflict("Resource(" + name + ") already exist");
        }
        OdbcResourceDef resource = new OdbcResourceDef(name, new HashMap<>(props), credentialRef);
        catalog.update(change -> {
            if (catalog.resource(name).isPresent()) {
                throw ApiException.conflict("Resource(" + name + ") already exist");
            }
            return change.put(CatalogKeys.resource(name), resource);
        });
        log.info("created ODBC resource {}", name);
        return resource;
    }

    public OdbcTableDef createOdbcTable(String dbName, String name, String resourceName, String remoteDatabase,
            String remoteTable, List<ColumnSpec> columns) {
        DatabaseDef db = tables.requireDatabase(dbName);
        Names.check("table", name);
        if (resourceName == null || catalog.resource(resourceName).isEmpty()) {
            throw ApiException.notFound("UNKNOWN_RESOURCE", "Resource(" + resourceName + ") does not exist");
        }
        if (remoteTable == null || remoteTable.isBlank()) {
            throw ApiException.badRequest("An ODBC table needs remoteTable");
        }
        List<Column> defs = plainColumns(columns);
        requireFreeName(db, name);
        long id = catalog.nextId();
        OdbcTableDef table = new OdbcTableDef(id, db.getId(), name, resourceName,
                remoteDatabase == null ? "" : remoteDatabase, remoteTable, new ArrayList<>(defs));
        catalog.update(change -> {
            requireFreeName(tables.requireDatabase(dbName), name);
            return change.put(CatalogKeys.odbcTable(id), table);
        });
        log.info("created ODBC table {}.{} on resource {}", dbName, name, resourceName);
        return table;
    }

    private void requireFreeName(DatabaseDef db, String name) {
        if (catalog.nameTaken(db.getId(), name)) {
            throw ApiException.conflict("Table '" + name + "' already exists");
        }
    }

    /** Columns of a view or ODBC table: checked names and types, no key rules. */
    private static List<Column> plainColumns(List<ColumnSpec> columns) {
        if (columns == null || columns.isEmpty()) {
            throw ApiException.badRequest("At least one column is required");
        }
        List<Column> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (ColumnSpec spec : columns) {
            if (spec == null) {
                throw ApiException.badRequest("A column must not be null");
            }
            Names.checkColumn(spec.name());
            if (!seen.add(spec.name().toLowerCase(Locale.ROOT))) {
                throw ApiException.badRequest("Duplicate column name '" + spec.name() + "'");
            }
            try {
                ColumnType type = ColumnType.parse(spec.type());
                out.add(new Column(spec.name(), type.sql(), Boolean.TRUE.equals(spec.isKey()),
                        spec.nullable() == null || spec.nullable(), null, spec.defaultValue(),
                        spec.comment() == null ? "" : spec.comment()));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("Column " + spec.name() + ": " + e.getMessage());
            }
        }
        return out;
    }
}
