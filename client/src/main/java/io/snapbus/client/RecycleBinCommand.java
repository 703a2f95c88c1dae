package io.snapbus.client;

import io.snapbus.api.catalog.RecoverRequest;
import io.snapbus.api.catalog.Recovered;
import io.snapbus.api.catalog.RecycleBinEntry;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code snapbus recycle-bin}: SHOW CATALOG RECYCLE BIN and RECOVER. */
@Command(name = "recycle-bin", description = "Dropped databases, tables and partitions: list, recover.")
final class RecycleBinCommand extends ApiCommand {

    @Command(name = "list", description = "SHOW CATALOG RECYCLE BIN.")
    int list() {
        List<RecycleBinEntry> entries = api().recycleBin();
        return print(entries, () -> TextTable.of(entries, "type", "name", "dbId", "tableId", "partitionId",
                "dropTimeMs", "expireTimeMs", "recoverable").render());
    }

    @Command(name = "recover", description = "RECOVER DATABASE db, or TABLE (--table), or PARTITION (--table and "
            + "--partition), optionally AS --new-name.")
    int recover(@Parameters(paramLabel = "DB") String db,
            @Option(names = "--table", paramLabel = "TABLE") String table,
            @Option(names = "--partition", paramLabel = "PARTITION") String partition,
            @Option(names = "--new-name", paramLabel = "NAME") String newName) {
        Recovered recovered = api().recover(db, new RecoverRequest(table, partition, newName));
        return print(recovered, () -> new Card().field("Recovered", recovered.kind().name())
                .field("Name", recovered.partition() != null ? recovered.partition().name()
                        : recovered.table() != null ? recovered.table().name() : recovered.database().name())
                .render());
    }
}
