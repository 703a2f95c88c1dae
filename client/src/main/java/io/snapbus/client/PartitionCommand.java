package io.snapbus.client;

import io.snapbus.api.Dropped;
import io.snapbus.api.catalog.Partition;
import io.snapbus.api.catalog.PartitionSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code snapbus partition}: ADD, DROP and TRUNCATE of a demo table's range partitions. */
@Command(name = "partition", description = "Partitions of a demo table: add, drop, truncate.")
final class PartitionCommand extends ApiCommand {

    @Command(name = "add", description = "ALTER TABLE ADD [TEMPORARY] PARTITION [LOWER, UPPER).")
    int add(@Parameters(paramLabel = "DB") String db, @Parameters(paramLabel = "TABLE") String table,
            @Parameters(paramLabel = "NAME:[LOWER]:[UPPER]", converter = TableCommand.PartitionRange.class,
                    description = "Empty bounds are MINVALUE and MAXVALUE.") PartitionSpec range,
            @Option(names = "--temporary", description = "A temporary partition.") boolean temporary,
            @Option(names = "--buckets", paramLabel = "N", description = "Default: the table's.") Integer buckets) {
        Partition added = api().addPartition(db, table, new PartitionSpec(range.name(), range.lower(), range.upper(),
                temporary ? Boolean.TRUE : null, buckets));
        return print(added, () -> Card.of(added, "tablets").render());
    }

    @Command(name = "drop", description = "ALTER TABLE DROP PARTITION (into the recycle bin unless --force).")
    int drop(@Parameters(paramLabel = "DB") String db, @Parameters(paramLabel = "TABLE") String table,
            @Parameters(paramLabel = "PARTITION") String partition,
            @Option(names = "--force", description = "Skip the recycle bin.") boolean force) {
        Dropped dropped = api().dropPartition(db, table, partition, force);
        return print(dropped, () -> Card.of(dropped).render());
    }

    @Command(name = "truncate", description = "TRUNCATE TABLE ... PARTITION: an empty partition replaces it (not "
            + "recoverable).")
    int truncate(@Parameters(paramLabel = "DB") String db, @Parameters(paramLabel = "TABLE") String table,
            @Parameters(paramLabel = "PARTITION") String partition) {
        Partition replaced = api().truncatePartition(db, table, partition);
        return print(replaced, () -> Card.of(replaced, "tablets").render());
    }
}
