package io.snapbus.kafka;

import io.apicurio.registry.resolver.DefaultSchemaResolver;
import io.apicurio.registry.resolver.SchemaLookupResult;
import io.apicurio.registry.resolver.SchemaParser;
import io.apicurio.registry.resolver.data.Record;
import io.apicurio.registry.serde.avro.AvroKafkaSerdeConfig;
import io.apicurio.registry.serde.avro.DefaultAvroDatumProvider;
import io.apicurio.registry.serde.data.KafkaSerdeMetadata;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;

/**
 * Apicurio's schema resolver with the id lookup remembered per topic and schema object.
 *
 * <p>Why: Apicurio 2.6's {@link DefaultSchemaResolver} renders the record's schema as JSON ({@code Schema.toString})
 * on every record only to find its id in a cache keyed by that text, which was 40 % of the job service's
 * serialization CPU. Generated records all return one static {@code SCHEMA$}, so a map keyed by the schema
 * <em>object</em> (identity, not {@code equals}: Avro's equality ignores docs, which are part of the registered
 * content and so of the id) answers with no rendering and no registry call. A miss asks the default resolver, so the
 * ids and the bytes written stay exactly Apicurio's.
 *
 * <p>Records that are not Avro containers, or a custom datum provider (whose schema need not be the record's own),
 * go to the default resolver every time. The map holds at most {@link #MAX_ENTRIES} entries and starts over when
 * full, so a producer of ever new generic schemas cannot grow it without bound.
 */
public class CachingSchemaResolver<T> extends DefaultSchemaResolver<Schema, T> {
    static final int MAX_ENTRIES = 256;

    private final Map<Key, SchemaLookupResult<Schema>> resolved = new ConcurrentHashMap<>();
    private final LongAdder delegations = new LongAdder();
    private boolean cacheable = true;

    /** Topic, key or value side, and the schema object; the three things that decide the artifact and its content. */
    private record Key(String topic, boolean isKey, Schema schema) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Key that && schema == that.schema && isKey == that.isKey
                    && topic.equals(that.topic);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * topic.hashCode() + Boolean.hashCode(isKey)) + System.identityHashCode(schema);
        }
    }

    @Override
    public void configure(Map<String, ?> configs, SchemaParser<Schema, T> schemaParser) {
        super.configure(configs, schemaParser);
        Object provider = configs.get(AvroKafkaSerdeConfig.AVRO_DATUM_PROVIDER);
        cacheable = provider == null || provider == DefaultAvroDatumProvider.class
                || DefaultAvroDatumProvider.class.getName().equals(provider);
        resolved.clear();
    }

    @Override
    public SchemaLookupResult<Schema> resolveSchema(Record<T> record) {
        Key key = keyOf(record);
        if (key == null) {
            return delegate(record);
        }
        SchemaLookupResult<Schema> known = resolved.get(key);
        if (known != null) {
            return known;
        }
        if (resolved.size() >= MAX_ENTRIES) {
            resolved.clear();
        }
        return resolved.computeIfAbsent(key, k -> delegate(record));
    }

    @Override
    public void reset() {
        resolved.clear();
        super.reset();
    }

    /** How many records were handed to the default resolver (which renders the schema and may ask the registry). */
    public long delegations() {
        return delegations.sum();
    }

    private Key keyOf(Record<T> record) {
        if (cacheable && record.payload() instanceof GenericContainer container && container.getSchema() != null
                && record.metadata() instanceof KafkaSerdeMetadata metadata && metadata.getTopic() != null) {
            return new Key(metadata.getTopic(), metadata.isKey(), container.getSchema());
        }
        return null;
    }

    private SchemaLookupResult<Schema> delegate(Record<T> record) {
        delegations.increment();
        return super.resolveSchema(record);
    }
}
