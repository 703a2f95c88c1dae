package io.snapbus.client;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code snapbus rows}: a table's rows in partition and bucket order. The job-service answers NDJSON; the JSON
 * output is those rows as one array, the table output a column per key.
 */
@Command(name = "rows", description = "A table's rows (its base index), in partition and bucket order.")
final class RowsCommand extends ApiCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DB")
    String db;

    @Parameters(index = "1", paramLabel = "TABLE")
    String table;

    @Option(names = "--partition", paramLabel = "NAME", description = "Only this partition's rows.")
    String partition;

    @Option(names = "--limit", paramLabel = "N", description = "At most N rows.")
    Integer limit;

    @Override
    public Integer call() {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : api().rows(db, table, partition, limit).split("\n")) {
            if (!line.isBlank()) {
                rows.add(Json.parse(line, "a row of the answer"));
            }
        }
        return print(rows, () -> {
            Set<String> columns = new LinkedHashSet<>();
            rows.forEach(row -> row.propertyNames().forEach(columns::add));
            TextTable text = new TextTable(List.copyOf(columns));
            rows.forEach(row -> text.row(columns.stream().map(c -> Json.text(row.get(c))).toList()));
            return text.render();
        });
    }
}
