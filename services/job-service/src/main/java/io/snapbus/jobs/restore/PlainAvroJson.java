package io.snapbus.jobs.restore;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.specific.SpecificData;

/**
 * Reads back what a specific record's {@code toString()} wrote: Avro's plain JSON rendering, where a union's value is
 * written bare (not wrapped in its branch's name, as Avro's JSON encoding would). The schema says what each value is.
 */
final class PlainAvroJson {
    private PlainAvroJson() {}

    /** The record of class {@code type} that {@code json} renders. */
    static <T> T read(Class<T> type, JsonNode json) {
        Schema schema = SpecificData.get().getSchema(type);
        Object generic = value(schema, json, schema.getFullName());
        return type.cast(SpecificData.get().deepCopy(schema, generic));
    }

    private static Object value(Schema schema, JsonNode json, String path) {
        switch (schema.getType()) {
            case RECORD -> {
                require(json.isObject(), schema, json, path);
                GenericData.Record record = new GenericData.Record(schema);
                for (Schema.Field field : schema.getFields()) {
                    JsonNode fieldJson = json.get(field.name());
                    if (fieldJson == null) {
                        if (!field.hasDefaultValue()) {
                            throw new AvroTypeException(path + "." + field.name() + " is missing");
                        }
                        record.put(field.name(), GenericData.get().getDefaultValue(field));
                    } else {
                        record.put(field.name(), value(field.schema(), fieldJson, path + "." + field.name()));
                    }
                }
                return record;
            }
            case UNION -> {
                AvroTypeException last = null;
                for (Schema branch : schema.getTypes()) {
                    try {
                        return value(branch, json, path);
                    } catch (AvroTypeException e) {
                        last = e;
                    }
                }
                throw last != null ? last : new AvroTypeException(path + ": empty union");
            }
            case NULL -> {
                require(json.isNull(), schema, json, path);
                return null;
            }
            case ARRAY -> {
                require(json.isArray(), schema, json, path);
                List<Object> items = new ArrayList<>();
                json.forEach(item -> items.add(value(schema.getElementType(), item, path + "[]")));
                return new GenericData.Array<>(schema, items);
            }
            case MAP -> {
                require(json.isObject(), schema, json, path);
                Map<String, Object> map = new LinkedHashMap<>();
                json.properties().forEach(e -> map.put(e.getKey(), value(schema.getValueType(), e.getValue(),
                        path + "{}")));
                return map;
            }
            case ENUM -> {
                require(json.isTextual() && schema.hasEnumSymbol(json.asText()), schema, json, path);
                return new GenericData.EnumSymbol(schema, json.asText());
            }
            case STRING -> {
                require(json.isTextual(), schema, json, path);
                return json.asText();
            }
            case BOOLEAN -> {
                require(json.isBoolean(), schema, json, path);
                return json.asBoolean();
            }
            case INT -> {
                require(json.isIntegralNumber() && json.canConvertToInt(), schema, json, path);
                return json.asInt();
            }
            case LONG -> {
                require(json.isIntegralNumber() && json.canConvertToLong(), schema, json, path);
                return json.asLong();
            }
            case DOUBLE, FLOAT -> {
                require(json.isNumber(), schema, json, path);
                return schema.getType() == Schema.Type.FLOAT ? (Object) json.floatValue() : json.doubleValue();
            }
            default -> throw new AvroTypeException(path + ": " + schema.getType() + " is not read from a meta file");
        }
    }

    private static void require(boolean ok, Schema schema, JsonNode json, String path) {
        if (!ok) {
            throw new AvroTypeException(path + ": expected " + schema.getType() + ", got " + json.getNodeType());
        }
    }
}
