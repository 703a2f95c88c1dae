package io.snapbus.rows;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Splits NDJSON text into rows of value texts in column order: one JSON object a line, keyed by column name (case
 * ignored), blank lines skipped. A number is kept as its plain decimal text, a JSON {@code null} is NULL, a left-out
 * key takes the column's default. Errors are {@link BadRowException}s naming the line.
 */
final class NdjsonRecords {
    /** Longer plain texts than Jackson's longest number ({@code 1e999999999}) are kept in scientific notation. */
    private static final int MAX_PLAIN_SCALE = 1_000;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** One row's value texts and the line it is on. */
    record Record(int line, String[] texts) {}

    private final RowSchema schema;
    private final Map<String, Integer> positions;
    private final String text;
    private int start;
    private int line;

    NdjsonRecords(RowSchema schema, String text) {
        this.schema = schema;
        this.positions = schema.positionsByFoldedName();
        this.text = text;
    }

    /** The next row, or {@code null} at the end. */
    Record next() {
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            line++;
            String content = text.substring(start, end > start && text.charAt(end - 1) == '\r' ? end - 1 : end);
            start = end + 1;
            if (!content.isBlank()) {
                return new Record(line, texts(content));
            }
        }
        return null;
    }

    private String[] texts(String content) {
        JsonNode node;
        try {
            node = JSON.readTree(content);
        } catch (JsonProcessingException e) {
            throw new BadRowException(line, "not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new BadRowException(line, "not a JSON object");
        }
        String[] texts = new String[schema.size()];
        boolean[] present = new boolean[schema.size()];
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            Integer index = positions.get(RowSchema.fold(field.getKey()));
            if (index == null) {
                throw new BadRowException(line, "unknown column '" + field.getKey() + "'");
            }
            JsonNode value = field.getValue();
            present[index] = true;
            if (value.isContainerNode()) {
                RowColumn column = schema.column(index);
                throw new BadRowException(line, "column " + column.name() + ": not a " + column.type().sql() + ": "
                        + value);
            }
            texts[index] = value.isNull() ? null : textOf(value);
        }
        for (int i = 0; i < texts.length; i++) {
            if (!present[i]) {
                texts[i] = schema.column(i).defaultValue();
            }
        }
        return texts;
    }

    private static String textOf(JsonNode value) {
        if (value.isIntegralNumber()) {
            return value.bigIntegerValue().toString();
        }
        if (value.isNumber()) {
            BigDecimal number = value.decimalValue();
            return Math.abs((long) number.scale()) <= MAX_PLAIN_SCALE ? number.toPlainString() : number.toString();
        }
        return value.asText();
    }
}
