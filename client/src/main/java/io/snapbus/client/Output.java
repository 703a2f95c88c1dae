package io.snapbus.client;

import java.io.PrintWriter;
import java.util.function.Supplier;

/**
 * Where a command's answer goes: the record as JSON or its table on stdout, in the format {@code --output} chose;
 * notes (progress, the next page) on stderr so that stdout stays one document.
 */
record Output(PrintWriter out, PrintWriter err, OutputFormat format) {

    /** Prints {@code answer} as JSON, or the text {@code table} renders of it. */
    void print(Object answer, Supplier<String> table) {
        out.print(format == OutputFormat.json ? Json.write(answer) + System.lineSeparator() : table.get());
        out.flush();
    }

    /** A line for the person at the terminal, never part of the answer. */
    void note(String line) {
        err.println(line);
        err.flush();
    }
}
