package io.snapbus.jobs.api;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.http.converter.HttpMessageNotReadableException;

/**
 * Says what is wrong with a request body Jackson could not read, in the user's terms: a missing body, malformed JSON
 * at a line and column, a number out of its field's range, a value of the wrong type; naming the field by its JSON
 * path and never a Java class or method. Jackson's own limits (names of at most 50 000 characters, numbers of at most
 * 1000 digits) are answered with their message.
 */
final class RequestBodyProblem {
    private RequestBodyProblem() {}

    static String describe(HttpMessageNotReadableException e) {
        JacksonException jackson = find(e, JacksonException.class);
        if (jackson == null) {
            return "request body is required: send a JSON object (Content-Type: application/json)";
        }
        String field = fieldOf(e);
        InputCoercionException range = find(e, InputCoercionException.class);
        if (range != null) {
            return where(field) + "number " + UserInput.clip(numberText(range)) + " is out of range; allowed: "
                    + rangeOf(range.getTargetType());
        }
        StreamConstraintsException limit = find(e, StreamConstraintsException.class);
        if (limit != null) {
            return where(field) + firstLine(limit.getOriginalMessage());
        }
        MismatchedInputException mismatch = find(e, MismatchedInputException.class);
        if (mismatch != null && mismatch.getPath().isEmpty() && isEndOfInput(mismatch)) {
            return "request body is required: send a JSON object (Content-Type: application/json)";
        }
        StreamReadException malformed = find(e, StreamReadException.class);
        if (malformed != null) {
            TokenStreamLocation at = malformed.getLocation();
            return "malformed JSON" + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
                    + ": " + clipQuoted(firstLine(malformed.getOriginalMessage()));
        }
        if (mismatch instanceof InvalidFormatException format) {
            return where(field) + "expected " + kind(format.getTargetType()) + ", got "
                    + UserInput.clip(format.getValue());
        }
        if (mismatch != null && mismatch.getTargetType() != null) {
            return where(field) + "expected " + kind(mismatch.getTargetType());
        }
        return where(field) + "invalid value";
    }

    private static String where(String field) {
        return field.isEmpty() ? "request body: " : "field '" + field + "': ";
    }

    /** The JSON path of the value Jackson failed on, such as {@code tables[0].name}; empty for the whole body. */
    private static String fieldOf(Throwable e) {
        // Jackson 3 keeps a path on any of its exceptions (a size limit hit in a property name included).
        JacksonException mapping = null;
        for (Throwable t = e; t != null && mapping == null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
                mapping = jackson;
            }
        }
        StringBuilder path = new StringBuilder();
        if (mapping != null) {
            for (JacksonException.Reference ref : mapping.getPath()) {
                if (ref.getPropertyName() != null) {
                    path.append(path.isEmpty() ? "" : ".").append(ref.getPropertyName());
                } else if (ref.getIndex() >= 0) {
                    path.append('[').append(ref.getIndex()).append(']');
                }
            }
            return path.toString();
        }
        JacksonException any = find(e, JacksonException.class);
        if (any != null && any.processor() instanceof JsonParser parser && parser.streamReadContext() != null) {
            String pointer = parser.streamReadContext().pathAsPointer().toString();
            return pointer.isEmpty() ? "" : pointer.substring(1).replace('/', '.');
        }
        return "";
    }

    private static boolean isEndOfInput(MismatchedInputException e) {
        String message = e.getOriginalMessage();
        return message != null && message.contains("end-of-input");
    }

    private static String numberText(InputCoercionException e) {
        String message = e.getOriginalMessage();
        int open = message == null ? -1 : message.indexOf('(');
        int close = message == null ? -1 : message.indexOf(')', open + 1);
        return open >= 0 && close > open ? message.substring(open + 1, close) : "value";
    }

    private static String rangeOf(Class<?> type) {
        if (type == Integer.class || type == Integer.TYPE) {
            return Integer.MIN_VALUE + ".." + Integer.MAX_VALUE;
        }
        if (type == Long.class || type == Long.TYPE) {
            return Long.MIN_VALUE + ".." + Long.MAX_VALUE;
        }
        if (type == Short.class || type == Short.TYPE) {
            return Short.MIN_VALUE + ".." + Short.MAX_VALUE;
        }
        return "a smaller number";
    }

    private static String kind(Class<?> type) {
        if (type == null) {
            return "another value";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Integer.class || type == Integer.TYPE || type == Long.class || type == Long.TYPE
                || type == Short.class || type == Short.TYPE) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == Double.TYPE || type == Float.TYPE) {
            return "a number";
        }
        if (type == Boolean.class || type == Boolean.TYPE) {
            return "true or false";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray() || type == List.class) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object";
        }
        return "another value";
    }

    /** Jackson quotes the offending token (up to 256 characters); keep only its first 64. */
    private static String clipQuoted(String message) {
        return message.replaceAll("'([^']{" + UserInput.ECHOED_CHARS + "})[^']+'", "'$1...'");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
