package io.snapbus.jobs.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A repository file's bytes as a JSON tree; bytes that are no JSON are an IllegalArgumentException with the reason. */
final class JsonTree {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonTree() {}

    static JsonNode of(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (Exception e) { // Jackson declares IOException for reading bytes it already holds: only bad JSON
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
