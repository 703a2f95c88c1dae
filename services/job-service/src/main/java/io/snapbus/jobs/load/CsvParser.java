package io.snapbus.jobs.load;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits CSV text into records (RFC 4180): fields separated by commas, records by LF or CRLF; a quoted field may hold
 * commas, line breaks and doubled quotes. Empty lines are skipped. Errors name the line.
 */
final class CsvParser {
    record Field(String value, boolean quoted) {}

    record Record(int line, List<Field> fields) {}

    private final String text;
    private int pos;
    private int line = 1;

    CsvParser(String text) {
        this.text = text;
    }

    Record next() {
        while (pos < text.length() && (text.charAt(pos) == '\n' || text.charAt(pos) == '\r')) {
            if (text.charAt(pos) == '\n') {
                line++;
            }
            pos++;
        }
        if (pos >= text.length()) {
            return null;
        }
        int startLine = line;
        List<Field> fields = new ArrayList<>();
        while (true) {
            Field field = field(startLine);
            fields.add(field);
            if (pos >= text.length()) {
                return new Record(startLine, fields);
            }
            char c = text.charAt(pos);
            if (c == ',') {
                pos++;
                continue;
            }
            if (c == '\r' && pos + 1 < text.length() && text.charAt(pos + 1) == '\n') {
                pos++;
            }
            pos++;
            line++;
            return new Record(startLine, fields);
        }
    }

    private Field field(int startLine) {
        if (pos < text.length() && text.charAt(pos) == '"') {
            pos++;
            StringBuilder value = new StringBuilder();
            while (true) {
                if (pos >= text.length()) {
                    throw new BadRowException(startLine, "unterminated quoted field");
                }
                char c = text.charAt(pos++);
                if (c == '"') {
                    if (pos < text.length() && text.charAt(pos) == '"') {
                        value.append('"');
                        pos++;
                    } else {
                        break;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    value.append(c);
                }
            }
            if (pos < text.length() && text.charAt(pos) != ',' && text.charAt(pos) != '\n'
                    && text.charAt(pos) != '\r') {
                throw new BadRowException(line, "unexpected character after a quoted field");
            }
            return new Field(value.toString(), true);
        }
        int start = pos;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ',' || c == '\n' || c == '\r') {
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
