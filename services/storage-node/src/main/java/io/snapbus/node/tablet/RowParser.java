package io.snapbus.node.tablet;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Parses a load's rows ({@link RowFormat}) against a tablet schema into Avro records, one at a time. The first bad
 * row stops the parse with {@code StoreException(INVALID_ARGUMENT, "line 17: column amount: not a DECIMAL(18,2):
 * 'abc'")}.
 */
final class RowParser {
    private static final int MAX_QUOTED_VALUE = 64;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** Receives each parsed row; the record is reused for the next row. */
    interface RowSink {
        void accept(GenericRecord row) throws IOException;
    }

    private final List<Column> columns;
    private final List<ColumnType> types;
    private final Map<String, Integer> exactNames = new HashMap<>();
    private final Map<String, Integer> foldedNames = new HashMap<>();
    private final GenericData.Record record;

    private RowParser(TabletSchema schema, Schema avroSchema) {
        this.columns = schema.columns();
        this.types = schema.columnTypes();
        for (int i = 0; i < columns.size(); i++) {
            exactNames.put(columns.get(i).name(), i);
            foldedNames.put(columns.get(i).name().toLowerCase(Locale.ROOT), i);
        }
        this.record = new GenericData.Record(avroSchema);
    }

    /** Parses every row of {@code rows} into {@code sink}; returns the number of rows. */
    static long parse(TabletSchema schema, Schema avroSchema, RowFormat format, byte[] rows, RowSink sink)
            throws IOException {
        RowParser parser = new RowParser(schema, avroSchema);
        String text = decode(rows);
        return switch (format) {
            case NDJSON -> parser.parseNdjson(text, sink);
            case CSV -> parser.parseCsv(text, sink);
        };
    }

    private long parseNdjson(String text, RowSink sink) throws IOException {
        long count = 0;
        int line = 0;
        int start = 0;
        JsonNode[] values = new JsonNode[columns.size()];
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            line++;
            String content = text.substring(start, end > start && text.charAt(end - 1) == '\r' ? end - 1 : end);
            start = end + 1;
            if (content.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(content);
            } catch (JsonProcessingException e) {
                throw bad(line, "not valid JSON: " + e.getOriginalMessage());
            }
            if (node == null || !node.isObject()) {
                throw bad(line, "not a JSON object");
            }
            Arrays.fill(values, null);
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                Integer index = exactNames.get(field.getKey());
                if (index == null) {
                    index = foldedNames.get(field.getKey().toLowerCase(Locale.ROOT));
                }
                if (index == null) {
                    throw bad(line, "unknown column " + quote(field.getKey()));
                }
                values[index] = field.getValue();
            }
            for (int i = 0; i < columns.size(); i++) {
                JsonNode value = values[i];
                if (value == null || value.isNull()) {
                    record.put(i, nullFor(line, i, value == null ? "missing" : "null"));
                } else if (value.isContainerNode()) {
                    throw bad(line, i, "not a " + types.get(i).sql(), value.toString());
                } else {
                    record.put(i, convert(line, i, textOf(value)));
                }
            }
            sink.accept(record);
            count++;
        }
        return count;
    }

    private long parseCsv(String text, RowSink sink) throws IOException {
        CsvRecords records = new CsvRecords(text);
        long count = 0;
        while (true) {
            CsvRecords.Record row;
            try {
                row = records.next();
            } catch (CsvRecords.SyntaxError e) {
                throw bad(e.line, e.getMessage());
            }
            if (row == null) {
                return count;
            }
            if (row.fields().size() != columns.size()) {
                throw bad(row.line(), "expected " + columns.size() + " fields, got " + row.fields().size());
            }
            for (int i = 0; i < columns.size(); i++) {
                CsvRecords.Field field = row.fields().get(i);
                String value = field.value();
                if (!field.quoted() && value.equals("\\N")) {
                    record.put(i, nullFor(row.line(), i, "\\N"));
                } else if (!field.quoted() && value.isEmpty() && !types.get(i).isString()
                        && columns.get(i).nullable()) {
                    record.put(i, null);
                } else {
                    record.put(i, convert(row.line(), i, value));
                }
            }
            sink.accept(record);
            count++;
        }
    }

    private Object nullFor(int line, int column, String what) {
        if (!columns.get(column).nullable()) {
            throw bad(line, "column " + columns.get(column).name() + ": " + what + ", but the column is NOT NULL");
        }
        return null;
    }

    private Object convert(int line, int column, String text) {
        try {
            return types.get(column).toAvro(text);
        } catch (ColumnType.BadValue e) {
            throw bad(line, column, e.getMessage(), text);
        }
    }

    private static String textOf(JsonNode value) {
        if (value.isIntegralNumber()) {
            return value.bigIntegerValue().toString();
        }
        if (value.isNumber()) {
            return value.decimalValue().toString();
        }
        return value.asText();
    }

    private StoreException bad(int line, int column, String reason, String value) {
        return bad(line, "column " + columns.get(column).name() + ": " + reason + ": " + quote(value));
    }

    private static StoreException bad(int line, String message) {
        return StoreException.invalid("line " + line + ": " + message);
    }

    private static String quote(String value) {
        return value.length() <= MAX_QUOTED_VALUE ? "'" + value + "'"
                : "'" + value.substring(0, MAX_QUOTED_VALUE) + "…'";
    }

    /** Strict UTF-8 (a leading byte-order mark is dropped); a malformed byte is reported with its line. */
    private static String decode(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw bad(line, "not valid UTF-8 (byte " + in.position() + ")");
        }
        decoder.flush(out);
        out.flip();
        String text = out.toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }
}
