package io.snapbus.rows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a load's rows (NDJSON or CSV, {@link LoadFormat}) against a schema and checks every value with the storage
 * nodes' rules, handing each row on as its texts and typed values. The first bad row stops the read with a
 * {@link BadRowException}: {@code line 17: column amount: not a DECIMAL(18,2): 'abc'}.
 */
public final class RowReader {
    private static final int MAX_SHOWN_VALUE = 64;

    private final RowSchema schema;

    private RowReader(RowSchema schema) {
        this.schema = schema;
    }

    /** Every row of a body, in order. */
    public static List<ParsedRow> readAll(RowSchema schema, LoadFormat format, byte[] body) {
        List<ParsedRow> rows = new ArrayList<>();
        try {
            read(schema, format, body, rows::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // adding to a list throws none
        }
        return rows;
    }

    /** Hands every row of a body to {@code sink}, in order; returns the number of rows. */
    public static long read(RowSchema schema, LoadFormat format, byte[] body, RowSink sink) throws IOException {
        RowReader reader = new RowReader(schema);
        String text = Utf8.decode(body);
        return switch (format) {
            case NDJSON -> reader.readNdjson(text, sink);
            case CSV -> reader.readCsv(text, sink);
        };
    }

    private long readNdjson(String text, RowSink sink) throws IOException {
        NdjsonRecords records = new NdjsonRecords(schema, text);
        long count = 0;
        for (NdjsonRecords.Record record = records.next(); record != null; record = records.next()) {
            sink.accept(typed(record.line(), record.texts()));
            count++;
        }
        return count;
    }

    private long readCsv(String text, RowSink sink) throws IOException {
        CsvRecords records = new CsvRecords(text);
        long count = 0;
        for (CsvRecords.Record record = records.next(); record != null; record = records.next()) {
            if (record.fields().size() != schema.size()) {
                throw new BadRowException(record.line(), "expected " + schema.size() + " fields, got "
                        + record.fields().size());
            }
            String[] texts = new String[schema.size()];
            for (int i = 0; i < texts.length; i++) {
                texts[i] = csvText(record.fields().get(i), schema.column(i));
            }
            sink.accept(typed(record.line(), texts));
            count++;
        }
        return count;
    }

    /** An unquoted {@code \N} is NULL, and so is an empty unquoted field of a nullable non-string column. */
    private static String csvText(CsvRecords.Field field, RowColumn column) {
        boolean nullMarker = !field.quoted() && field.value().equals("\\N");
        boolean emptyAsNull = !field.quoted() && field.value().isEmpty() && !column.type().isString()
                && column.nullable();
        return nullMarker || emptyAsNull ? null : field.value();
    }

    private ParsedRow typed(int line, String[] texts) {
        Object[] values = new Object[texts.length];
        for (int i = 0; i < texts.length; i++) {
            RowColumn column = schema.column(i);
            if (texts[i] == null) {
                if (!column.nullable()) {
                    throw new BadRowException(line, "column " + column.name() + " is NOT NULL but the row has no"
                            + " value");
                }
                continue;
            }
            try {
                values[i] = column.type().value(texts[i]);
            } catch (BadValueException e) {
                throw new BadRowException(line, "column " + column.name() + ": " + e.getMessage() + ": "
                        + shown(texts[i]));
            }
        }
        return new ParsedRow(line, texts, values);
    }

    private static String shown(String value) {
        return value.length() <= MAX_SHOWN_VALUE ? "'" + value + "'" : "'" + value.substring(0, MAX_SHOWN_VALUE) + "…'";
    }
}
