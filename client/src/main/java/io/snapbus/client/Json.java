package io.snapbus.client;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The one JSON mapper of the command: writes the v1 records as the job-service does, indented. */
final class Json {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Json() {}

    /** The value as one indented JSON document. */
    static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    /** The value as a tree, its properties named as on the wire. */
    static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /** Parses one JSON document; exit 1 when it is not JSON. */
    static JsonNode parse(String text, String what) {
        try {
            return MAPPER.readTree(text);
        } catch (JacksonException e) {
            throw new ClientFailure(ExitCode.FAILED, what + " is not JSON: " + e.getOriginalMessage());
        }
    }

    /** A node as one table cell: text as it is, null as empty, lists and objects as compact JSON. */
    static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "";
        }
        return node.isContainer() ? node.toString() : node.asString();
    }
}
