package io.snapbus.client;

import io.snapbus.api.Page;
import picocli.CommandLine.Option;

/** {@code --offset} and {@code --limit} of a paged list, and how a page is printed. */
final class PageOptions {
    @Option(names = "--offset", paramLabel = "N", defaultValue = "0",
            description = "Skip the N newest entries (default ${DEFAULT-VALUE}).")
    int offset;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "" + Page.DEFAULT_LIMIT,
            description = "At most N entries, up to " + Page.MAX_LIMIT + " (default ${DEFAULT-VALUE}).")
    int limit;

    /** Prints the page (JSON: the page as sent; table: its items), and on stderr where the next page starts. */
    static int print(Output output, Page<?> page, String... columns) {
        output.print(page, () -> TextTable.of(page.items(), columns).render());
        if (output.format() == OutputFormat.table && page.nextOffset() != null) {
            output.note(page.items().size() + " of " + page.total() + " shown; next page: --offset "
                    + page.nextOffset());
        }
        return ExitCode.OK;
    }
}
