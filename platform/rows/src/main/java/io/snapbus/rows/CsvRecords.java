package io.snapbus.rows;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits CSV text into records (RFC 4180): fields separated by commas, records by LF or CRLF; a field in double
 * quotes may hold commas, line breaks and doubled quotes. Empty lines are skipped. A CR not followed by LF is data,
 * as in Doris, whose line delimiter is LF. Errors are {@link BadRowException}s naming the line.
 */
final class CsvRecords {

    /** One field; {@code quoted} tells {@code ""} (an empty string) from an empty unquoted field. */
    record Field(String value, boolean quoted) {}

    /** One record and the line it starts on (1-based). */
    record Record(int line, List<Field> fields) {}

    private final String text;
    private int pos;
    private int line = 1;

    CsvRecords(String text) {
        this.text = text;
    }

    /** The next record, or {@code null} at the end. */
    Record next() {
        skipEmptyLines();
        if (pos >= text.length()) {
            return null;
        }
        int start = line;
        List<Field> fields = new ArrayList<>();
        while (true) {
            fields.add(text.charAt(pos) == '"' ? quoted(start) : unquoted());
            if (pos >= text.length()) {
                return new Record(start, fields);
            }
            if (text.charAt(pos) == ',') {
                pos++;
                if (pos >= text.length() || atLineEnd()) {
                    fields.add(new Field("", false));
                    consumeLineEnd();
                    return new Record(start, fields);
                }
            } else {
                consumeLineEnd();
                return new Record(start, fields);
            }
        }
    }

    private void skipEmptyLines() {
        while (pos < text.length() && atLineEnd()) {
            consumeLineEnd();
        }
    }

    /** At LF, CRLF, or a CR that ends the text. */
    private boolean atLineEnd() {
        char c = text.charAt(pos);
        return c == '\n' || (c == '\r' && pos + 1 < text.length() && text.charAt(pos + 1) == '\n')
                || (c == '\r' && pos + 1 == text.length());
    }

    private void consumeLineEnd() {
        if (pos < text.length() && text.charAt(pos) == '\r') {
            pos++;
        }
        if (pos < text.length() && text.charAt(pos) == '\n') {
            pos++;
            line++;
        }
    }

    /** An unterminated field is reported at the line its record starts on. */
    private Field quoted(int recordLine) {
        pos++; // opening quote
        StringBuilder value = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw new BadRowException(recordLine, "unterminated quoted field");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                if (pos + 1 < text.length() && text.charAt(pos + 1) == '"') {
                    value.append('"');
                    pos += 2;
                    continue;
                }
                pos++;
                break;
            }
            if (c == '\n') {
                line++;
            }
            value.append(c);
            pos++;
        }
        if (pos < text.length() && text.charAt(pos) != ',' && !atLineEnd()) {
            throw new BadRowException(line, "unexpected character after a quoted field");
        }
        return new Field(value.toString(), true);
    }

    private Field unquoted() {
        int start = pos;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ',' || atLineEnd()) {
                break;
            }
            if (c == '"') {
                throw new BadRowException(line, "a quote inside an unquoted field");
            }
            pos++;
        }
        return new Field(text.substring(start, pos), false);
    }
}
