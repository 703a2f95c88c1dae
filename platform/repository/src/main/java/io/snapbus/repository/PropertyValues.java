package io.snapbus.repository;

import java.util.Locale;

/** Strict parsing of boolean and size properties: a typo must fail loudly, not silently turn a safety off. */
final class PropertyValues {

    private PropertyValues() {
    }

    static boolean parseBoolean(String key, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("repository property " + key + " must be true or false, got: " + value);
        };
    }

    static long parseLong(String key, String value, long min) {
        long parsed;
        try {
            parsed = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("repository property " + key + " must be a whole number, got: " + value, e);
        }
        if (parsed < min) {
            throw new IllegalArgumentException("repository property " + key + " must be at least " + min + ", got: " + value);
        }
        return parsed;
    }
}
