package io.snapbus.jobs.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/** Catalog records as JSON for answers: Avro's own JSON rendering (field names as in the schemas). */
public final class AvroJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AvroJson() {}

    public static JsonNode of(SpecificRecord record) {
        try {
            return MAPPER.readTree(record.toString());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render " + record.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public static List<JsonNode> of(List<? extends SpecificRecord> records) {
        return records.stream().map(AvroJson::of).toList();
    }
}
