package io.snapbus.repository;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Just enough JSON for small files such as {@code __repo_info}: writes an object of string values; reads an object of
 * strings, numbers, booleans and nulls in any order and spacing (nested values are refused, not skipped).
 */
final class FlatJson {

    private final String text;
    private int at;

    private FlatJson(String text) {
        this.text = text;
    }

    static String write(Map<String, String> fields) {
        StringBuilder json = new StringBuilder("{");
        fields.forEach((key, value) -> {
            if (json.length() > 1) {
                json.append(',');
            }
            quote(json, key).append(':');
            quote(json, value);
        });
        return json.append('}').toString();
    }

    /** The object's members; numbers and booleans as their text, null as Java null. */
    static Map<String, String> read(String text) {
        FlatJson parser = new FlatJson(text);
        parser.skipSpace();
        Map<String, String> fields = parser.object();
        parser.skipSpace();
        if (parser.at != text.length()) {
            throw parser.error("unexpected text after the object");
        }
        return fields;
    }

    private Map<String, String> object() {
        Map<String, String> fields = new LinkedHashMap<>();
        expect('{');
        skipSpace();
        if (peek() == '}') {
            at++;
            return fields;
        }
        while (true) {
            skipSpace();
            String key = string();
            skipSpace();
            expect(':');
            skipSpace();
            fields.put(key, value());
            skipSpace();
            char c = next();
            if (c == '}') {
                return fields;
            }
            if (c != ',') {
                throw error("expected ',' or '}'");
            }
        }
    }

    private String value() {
        char c = peek();
        if (c == '"') {
            return string();
        }
        int start = at;
        while (at < text.length() && "-+.0123456789eEtruefalsn".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
        String literal = text.substring(start, at);
        if (literal.equals("null")) {
            return null;
        }
        if (literal.equals("true") || literal.equals("false") || literal.matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?")) {
            return literal;
        }
        throw error("expected a string, number, boolean or null");
    }

    private String string() {
        expect('"');
        StringBuilder value = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return value.toString();
            }
            if (c != '\\') {
                value.append(c);
                continue;
            }
            char escaped = next();
            switch (escaped) {
                case '"', '\\', '/' -> value.append(escaped);
                case 'b' -> value.append('\b');
                case 'f' -> value.append('\f');
                case 'n' -> value.append('\n');
                case 'r' -> value.append('\r');
                case 't' -> value.append('\t');
                case 'u' -> {
                    if (at + 4 > text.length()) {
                        throw error("truncated \\u escape");
                    }
                    try {
                        value.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    } catch (NumberFormatException e) {
                        throw error("bad \\u escape");
                    }
                    at += 4;
                }
                default -> throw error("bad escape \\" + escaped);
            }
        }
    }

    private static StringBuilder quote(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"');
    }

    private void skipSpace() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }

    private char peek() {
        if (at >= text.length()) {
            throw error("unexpected end");
        }
        return text.charAt(at);
    }

    private char next() {
        char c = peek();
        at++;
        return c;
    }

    private void expect(char c) {
        if (next() != c) {
            at--;
            throw error("expected '" + c + "'");
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("malformed JSON at offset " + at + ": " + what);
    }
}
