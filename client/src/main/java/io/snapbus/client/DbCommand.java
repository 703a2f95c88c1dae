package io.snapbus.client;

import io.snapbus.api.Dropped;
import io.snapbus.api.catalog.CreateDatabaseRequest;
import io.snapbus.api.catalog.Database;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code snapbus db}: the demo catalog's databases. */
@Command(name = "db", description = "Databases of the demo catalog: create, list, drop.")
final class DbCommand extends ApiCommand {

    @Command(name = "create", description = "CREATE DATABASE.")
    int create(@Parameters(paramLabel = "NAME") String name) {
        Database created = api().createDatabase(new CreateDatabaseRequest(name));
        return print(created, () -> Card.of(created).render());
    }

    @Command(name = "list", description = "SHOW DATABASES.")
    int list() {
        List<Database> databases = api().databases();
        return print(databases, () -> TextTable.of(databases, "id", "name=Database").render());
    }

    @Command(name = "drop", description = "DROP DATABASE (into the recycle bin unless --force).")
    int drop(@Parameters(paramLabel = "NAME") String name,
            @Option(names = "--force", description = "Skip the recycle bin.") boolean force) {
        Dropped dropped = api().dropDatabase(name, force);
        return print(dropped, () -> Card.of(dropped).render());
    }
}
