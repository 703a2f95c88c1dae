package io.snapbus.jobs.api;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * Catalog records as JSON for answers: Avro's own JSON rendering (field names as in the schemas), as Jackson 3 trees,
 * the JSON library Spring MVC serialises answers with.
 */
public final class AvroJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AvroJson() {}

    public static JsonNode of(SpecificRecord record) {
        try {
            return MAPPER.readTree(record.toString());
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot render " + record.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public static List<JsonNode> of(List<? extends SpecificRecord> records) {
        return records.stream().map(AvroJson::of).toList();
    }
}
