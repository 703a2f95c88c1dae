package io.snapbus.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The one place that knows which Avro serde writes snapbus topics. Both flavors write the Confluent wire format
 * (magic byte 0, 4-byte schema id, Avro binary) against a registry, so any Confluent or Apicurio client can read
 * the topics; a deployment with Confluent's jars switches by setting {@code snapbus.kafka.registry.serde=CONFLUENT}.
 */
public final class AvroSerdes {
    private static final String APICURIO_SERIALIZER = "io.apicurio.registry.serde.avro.AvroKafkaSerializer";
    private static final String APICURIO_DESERIALIZER = "io.apicurio.registry.serde.avro.AvroKafkaDeserializer";
    private static final String CONFLUENT_SERIALIZER = "io.confluent.kafka.serializers.KafkaAvroSerializer";
    private static final String CONFLUENT_DESERIALIZER = "io.confluent.kafka.serializers.KafkaAvroDeserializer";
    private static final String SNAPBUS_RECORDS_PACKAGE = "io.snapbus.avro.";

    private static volatile boolean trusted;

    private final SnapbusKafkaProperties.Registry registry;
    private final Map<String, Object> passThrough;

    public AvroSerdes(SnapbusKafkaProperties.Registry registry) {
        this(registry, Map.of());
    }

    /**
     * @param passThrough client settings given to the serdes too ({@code spring.kafka.properties.*}), so a serde
     *                    setting such as Confluent's {@code basic.auth.user.info} can be passed through as well
     */
    public AvroSerdes(SnapbusKafkaProperties.Registry registry, Map<String, ?> passThrough) {
        this.registry = registry;
        this.passThrough = Map.copyOf(passThrough);
        trustSnapbusRecords();
    }

    /**
     * Avro 1.12.2 refuses to instantiate generated classes of packages it does not trust; ours are trusted here so
     * no service has to remember a system property.
     */
    public static synchronized void trustSnapbusRecords() {
        if (trusted) {
            return;
        }
        ClassSecurityValidator.ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(previous,
                type -> type.getName().startsWith(SNAPBUS_RECORDS_PACKAGE)));
        trusted = true;
    }

    public String serializerClassName() {
        return registry.serde() == SnapbusKafkaProperties.SerdeFlavor.CONFLUENT ? CONFLUENT_SERIALIZER
                : APICURIO_SERIALIZER;
    }

    public String deserializerClassName() {
        return registry.serde() == SnapbusKafkaProperties.SerdeFlavor.CONFLUENT ? CONFLUENT_DESERIALIZER
                : APICURIO_DESERIALIZER;
    }

    /** Client configs the serializer and deserializer read (they ignore each other's keys). */
    public Map<String, Object> configs() {
        Map<String, Object> configs = new HashMap<>(passThrough);
        if (registry.serde() == SnapbusKafkaProperties.SerdeFlavor.CONFLUENT) {
            configs.put("schema.registry.url", registry.confluentApiUrl());
            configs.put("auto.register.schemas", true);
            configs.put("specific.avro.reader", true);
            if (registry.authenticated()) {
                configs.put("basic.auth.credentials.source", "USER_INFO");
                configs.put("basic.auth.user.info", registry.username() + ":" + nullToEmpty(registry.password()));
            }
        } else {
            configs.put("apicurio.registry.url", registry.apicurioV2Url());
            configs.put("apicurio.registry.auto-register", true);
            // Confluent wire format: schema id in the payload (not in headers), 4-byte id = the content id that the
            // registry's Confluent API serves under /schemas/ids/{id}.
            configs.put("apicurio.registry.headers.enabled", false);
            configs.put("apicurio.registry.id-handler", "io.apicurio.registry.serde.Legacy4ByteIdHandler");
            configs.put("apicurio.registry.use-id", "contentId");
            configs.put("apicurio.registry.use-specific-avro-reader", true);
            // Apicurio's default resolver renders the schema as JSON for every record to look its id up; this one
            // remembers the id per topic and schema object (Confluent's serializer caches on its own).
            configs.put("apicurio.registry.schema-resolver", CachingSchemaResolver.class.getName());
            if (registry.authenticated()) {
                configs.put("apicurio.auth.username", registry.username());
                configs.put("apicurio.auth.password", nullToEmpty(registry.password()));
            }
        }
        return configs;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    @SuppressWarnings("unchecked")
    public <T> Serializer<T> newSerializer() {
        Serializer<T> serializer = (Serializer<T>) instantiate(serializerClassName());
        serializer.configure(configs(), false);
        return serializer;
    }

    @SuppressWarnings("unchecked")
    public <T> Deserializer<T> newDeserializer() {
        Deserializer<T> deserializer = (Deserializer<T>) instantiate(deserializerClassName());
        deserializer.configure(configs(), false);
        return deserializer;
    }

    private Object instantiate(String className) {
        try {
            return Class.forName(className).getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("snapbus.kafka.registry.serde=" + registry.serde() + " needs " + className
                    + " on the classpath; add its jar or use serde " + SnapbusKafkaProperties.SerdeFlavor.APICURIO, e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + className, e);
        }
    }
}
