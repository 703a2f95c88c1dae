package io.snapbus.jobs.load;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapbus.avro.Column;
import io.snapbus.avro.RowFormat;
import io.snapbus.jobs.catalog.ColumnType;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a load's rows (NDJSON objects keyed by column name, or CSV fields in column order) and checks every value
 * against the table's schema with the storage nodes' rules; the first bad row throws a {@link BadRowException} naming
 * its line, so a load is refused before anything is sent.
 */
final class RowReader {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final List<Column> columns;
    private final List<ColumnType> types = new ArrayList<>();
    private final Map<String, Integer> names = new HashMap<>();

    RowReader(List<Column> columns) {
        this.columns = columns;
        for (int i = 0; i < columns.size(); i++) {
            types.add(ColumnType.parse(columns.get(i).getType()));
            names.put(columns.get(i).getName().toLowerCase(Locale.ROOT), i);
        }
    }

    List<ColumnType> types() {
        return types;
    }

    List<ParsedRow> read(RowFormat format, byte[] body) {
        String text = decode(body);
        return format == RowFormat.NDJSON ? readNdjson(text) : readCsv(text);
    }

    private List<ParsedRow> readNdjson(String text) {
        List<ParsedRow> rows = new ArrayList<>();
        int line = 0;
        int start = 0;
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
                throw new BadRowException(line, "not valid JSON: " + e.getOriginalMessage());
            }
            if (node == null || !node.isObject()) {
                throw new BadRowException(line, "not a JSON object");
            }
            String[] values = new String[columns.size()];
            boolean[] present = new boolean[columns.size()];
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                Integer index = names.get(field.getKey().toLowerCase(Locale.ROOT));
                if (index == null) {
                    throw new BadRowException(line, "unknown column '" + field.getKey() + "'");
                }
                JsonNode value = field.getValue();
                present[index] = true;
                if (value.isContainerNode()) {
                    throw new BadRowException(line, "column " + columns.get(index).getName() + ": not a "
                            + types.get(index).sql() + ": " + value);
                }
                values[index] = value.isNull() ? null : textOf(value);
            }
            for (int i = 0; i < values.length; i++) {
                if (!present[i] && columns.get(i).getDefaultValue() != null) {
                    values[i] = columns.get(i).getDefaultValue();
                }
            }
            rows.add(check(line, values));
        }
        return rows;
    }

    private List<ParsedRow> readCsv(String text) {
        List<ParsedRow> rows = new ArrayList<>();
        CsvParser parser = new CsvParser(text);
        while (true) {
            CsvParser.Record record = parser.next();
            if (record == null) {
                return rows;
            }
            if (record.fields().size() != columns.size()) {
                throw new BadRowException(record.line(), "expected " + columns.size() + " fields, got "
                        + record.fields().size());
            }
            String[] values = new String[columns.size()];
            for (int i = 0; i < values.length; i++) {
                CsvParser.Field field = record.fields().get(i);
                boolean nullMarker = !field.quoted() && field.value().equals("\\N");
                boolean emptyAsNull = !field.quoted() && field.value().isEmpty() && !types.get(i).isString()
                        && columns.get(i).getNullable();
                values[i] = nullMarker || emptyAsNull ? null : field.value();
            }
            rows.add(check(record.line(), values));
        }
    }

    private ParsedRow check(int line, String[] values) {
        for (int i = 0; i < values.length; i++) {
            Column column = columns.get(i);
            if (values[i] == null) {
                if (!column.getNullable()) {
                    throw new BadRowException(line, "column " + column.getName() + " is NOT NULL but the row has no"
                            + " value");
                }
                continue;
            }
            try {
                types.get(i).comparable(values[i]);
            } catch (IllegalArgumentException e) {
                String shown = values[i].length() <= 64 ? values[i] : values[i].substring(0, 64) + "…";
                throw new BadRowException(line, "column " + column.getName() + ": " + e.getMessage() + ": '" + shown
                        + "'");
            }
        }
        return new ParsedRow(line, values);
    }

    private static String textOf(JsonNode value) {
        if (value.isIntegralNumber()) {
            return value.bigIntegerValue().toString();
        }
        if (value.isNumber()) {
            return value.decimalValue().toPlainString();
        }
        return value.asText();
    }

    private static String decode(byte[] bytes) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw new BadRowException(1, "the body is not valid UTF-8");
        }
    }
}
