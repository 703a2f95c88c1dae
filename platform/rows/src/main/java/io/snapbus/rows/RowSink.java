package io.snapbus.rows;

import java.io.IOException;

/** Receives each row the {@link RowReader} reads, in order. */
@FunctionalInterface
public interface RowSink {
    void accept(ParsedRow row) throws IOException;
}
