package io.snapbus.client;

import io.snapbus.api.catalog.LoadResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code snapbus load}: rows into a demo table, from a file or stdin, as NDJSON or CSV. */
@Command(name = "load", description = "Load rows into a table: NDJSON (one object per line, keys are columns) or "
        + "CSV (the table's columns in order, no header).")
final class LoadCommand extends ApiCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DB")
    String db;

    @Parameters(index = "1", paramLabel = "TABLE")
    String table;

    @Option(names = "--file", required = true, paramLabel = "FILE",
            description = "rows.ndjson, rows.csv, or - for stdin.")
    String file;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "ndjson or csv (default: from the file's extension; ndjson for stdin).")
    Format format;

    /** The formats a load accepts. */
    enum Format { ndjson, csv }

    /** Where {@code --file -} reads from (tests give their own). */
    InputStream stdin = System.in;

    @Override
    public Integer call() {
        String rows = read();
        Format chosen = format != null ? format : file.toLowerCase(Locale.ROOT).endsWith(".csv")
                ? Format.csv : Format.ndjson;
        LoadResult result = chosen == Format.csv ? api().loadCsv(db, table, rows) : api().loadNdjson(db, table, rows);
        return print(result, () -> Card.of(result, "partitions").render() + System.lineSeparator()
                + TextTable.of(result.partitions(), "name=Partition", "version", "rows", "txnId", "failedReplicaIds")
                        .render());
    }

    private String read() {
        try {
            if (file.equals("-")) {
                return new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
            }
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ClientFailure(ExitCode.USAGE, "no file " + file);
        } catch (IOException e) {
            throw new ClientFailure(ExitCode.FAILED, "cannot read " + file + ": " + e.getMessage());
        }
    }
}
