package io.snapbus.client;

import io.snapbus.api.Dropped;
import io.snapbus.api.catalog.ColumnSpec;
import io.snapbus.api.catalog.CreateTableRequest;
import io.snapbus.api.catalog.DatabaseObjects;
import io.snapbus.api.catalog.PartitionSpec;
import io.snapbus.api.catalog.Table;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/** {@code snapbus table}: the demo catalog's OLAP tables. */
@Command(name = "table", description = "Tables of the demo catalog: create, list, show, drop.")
final class TableCommand extends ApiCommand {

    @Command(name = "create", description = "CREATE TABLE: hash distributed, range partitioned when --partition-by "
            + "is given.")
    int create(@Parameters(paramLabel = "DB") String db, @Parameters(paramLabel = "TABLE") String name,
            @Option(names = "--column", required = true, paramLabel = "NAME:TYPE[:key]", converter = Column.class,
                    description = "A column, in order; ':key' for a key column (repeatable).")
            List<ColumnSpec> columns,
            @Option(names = "--keys-type", paramLabel = "TYPE",
                    description = "DUP_KEYS, AGG_KEYS or UNIQUE_KEYS") String keysType,
            @Option(names = "--partition-by", paramLabel = "COLUMN") String partitionColumn,
            @Option(names = "--partition", paramLabel = "NAME:[LOWER]:[UPPER]", converter = PartitionRange.class,
                    description = "A range partition [LOWER, UPPER); empty bounds are MINVALUE and MAXVALUE "
                            + "(repeatable).") List<PartitionSpec> partitions,
            @Option(names = "--distributed-by", paramLabel = "COLUMN",
                    description = "A hash distribution column (repeatable).") List<String> distribution,
            @Option(names = "--buckets", paramLabel = "N") Integer buckets,
            @Option(names = "--replication-num", paramLabel = "N",
                    description = "Replicas of each tablet (default 3).") Integer replicationNum,
            @Option(names = "--property", paramLabel = "KEY=VALUE",
                    description = "A table property (repeatable).") Map<String, String> properties) {
        Table created = api().createTable(db, new CreateTableRequest(name, null, keysType, columns, partitionColumn,
                partitions, distribution, buckets, replicationNum, null, properties, null));
        return show(created);
    }

    @Command(name = "list", description = "SHOW TABLES: the database's tables, views and ODBC tables.")
    int list(@Parameters(paramLabel = "DB") String db) {
        DatabaseObjects objects = api().tables(db);
        return print(objects, () -> {
            TextTable table = new TextTable(List.of("Table", "Type", "KeysType", "State"));
            objects.tables().forEach(t -> table.row(t.name(), t.tableType(), t.keysType(), t.state()));
            objects.views().forEach(v -> table.row(v.name(), "VIEW", "", ""));
            objects.odbcTables().forEach(o -> table.row(o.name(), "ODBC", "", ""));
            return table.render();
        });
    }

    @Command(name = "show", description = "A table with its columns and partitions.")
    int show(@Parameters(paramLabel = "DB") String db, @Parameters(paramLabel = "TABLE") String name) {
        return show(api().table(db, name));
    }

    @Command(name = "drop", description = "DROP TABLE (into the recycle bin unless --force).")
    int drop(@Parameters(paramLabel = "DB") String db, @Parameters(paramLabel = "TABLE") String name,
            @Option(names = "--force", description = "Skip the recycle bin.") boolean force) {
        Dropped dropped = api().dropTable(db, name, force);
        return print(dropped, () -> Card.of(dropped).render());
    }

    private int show(Table table) {
        return print(table, () -> {
            String text = Card.of(table, "columns", "partitions", "indexes").render() + System.lineSeparator()
                    + TextTable.of(table.columns(), "name=Field", "type", "isKey=Key", "nullable=Null",
                            "aggregation", "defaultValue=Default").render();
            if (table.partitions() == null || table.partitions().isEmpty()) {
                return text;
            }
            return text + System.lineSeparator() + TextTable.of(table.partitions(), "id=PartitionId",
                    "name=PartitionName", "rangeLower", "rangeUpper", "visibleVersion", "buckets").render();
        });
    }

    /** {@code --column name:TYPE[:key]}. */
    static final class Column implements ITypeConverter<ColumnSpec> {
        @Override
        public ColumnSpec convert(String value) {
            String[] parts = value.split(":", -1);
            if (parts.length < 2 || parts.length > 3 || parts[0].isBlank() || parts[1].isBlank()
                    || parts.length == 3 && !parts[2].equals("key")) {
                throw new TypeConversionException("a column is NAME:TYPE or NAME:TYPE:key, got '" + value + "'");
            }
            return parts.length == 3 ? ColumnSpec.key(parts[0], parts[1]) : ColumnSpec.of(parts[0], parts[1]);
        }
    }

    /** {@code name:[lower]:[upper]}: a range partition to create. */
    static final class PartitionRange implements ITypeConverter<PartitionSpec> {
        @Override
        public PartitionSpec convert(String value) {
            String[] parts = value.split(":", -1);
            if (parts.length != 3 || parts[0].isBlank()) {
                throw new TypeConversionException("a partition is NAME:[LOWER]:[UPPER], got '" + value + "'");
            }
            return new PartitionSpec(parts[0], parts[1].isEmpty() ? null : parts[1],
                    parts[2].isEmpty() ? null : parts[2], null, null);
        }
    }
}
