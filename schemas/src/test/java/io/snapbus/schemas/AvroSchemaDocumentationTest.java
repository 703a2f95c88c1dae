package io.snapbus.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.avro.AgentTaskBatch;
import io.snapbus.avro.BackendStatusRecord;
import io.snapbus.avro.BackupJobRecord;
import io.snapbus.avro.CatalogRecord;
import io.snapbus.avro.JobEvent;
import io.snapbus.avro.RestoreJobRecord;
import io.snapbus.avro.TaskResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.junit.jupiter.api.Test;

/** The Avro contracts document themselves: every record, enum and field of every topic schema has a doc. */
class AvroSchemaDocumentationTest {
    private static final List<Schema> TOPIC_SCHEMAS = List.of(AgentTaskBatch.getClassSchema(),
            TaskResult.getClassSchema(), BackupJobRecord.getClassSchema(), JobEvent.getClassSchema(),
            CatalogRecord.getClassSchema(), BackendStatusRecord.getClassSchema(), RestoreJobRecord.getClassSchema());

    @Test
    void everyNamedTypeAndFieldOfEveryTopicSchemaIsDocumented() {
        List<String> undocumented = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        TOPIC_SCHEMAS.forEach(schema -> collectUndocumented(schema, seen, undocumented));

        assertThat(undocumented).isEmpty();
        assertThat(seen).hasSizeGreaterThan(30);
    }

    @Test
    void everyOptionalFieldHasADefaultSoOldRecordsStayReadable() {
        List<String> missing = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        TOPIC_SCHEMAS.forEach(schema -> collectNullableWithoutDefault(schema, seen, missing));

        assertThat(missing).isEmpty();
    }

    @Test
    void eachTopicSchemaReadsItself() {
        for (Schema schema : TOPIC_SCHEMAS) {
            assertThat(SchemaCompatibility.checkReaderWriterCompatibility(schema, schema).getType())
                    .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
        }
    }

    @Test
    void theRestoreTaskKindsAddedToPendingTaskKindLeaveOldBackupRecordsReadable() {
        String current = BackupJobRecord.getClassSchema().toString();
        String symbols = "\"symbols\":[\"MAKE_SNAPSHOT\",\"UPLOAD\",\"CREATE\",\"DOWNLOAD\",\"MOVE\","
                + "\"CHECK_CONSISTENCY\"],\"default\":\"MAKE_SNAPSHOT\"";
        assertThat(current).contains(symbols);
        Schema before = new Schema.Parser().parse(current.replace(symbols,
                "\"symbols\":[\"MAKE_SNAPSHOT\",\"UPLOAD\"]"));

        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(BackupJobRecord.getClassSchema(), before)
                .getType()).isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
    }

    private static void collectUndocumented(Schema schema, Set<String> seen, List<String> undocumented) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!seen.add(schema.getFullName())) {
                    return;
                }
                if (isBlank(schema.getDoc())) {
                    undocumented.add(schema.getFullName());
                }
                for (Schema.Field field : schema.getFields()) {
                    if (isBlank(field.doc())) {
                        undocumented.add(schema.getFullName() + "." + field.name());
                    }
                    collectUndocumented(field.schema(), seen, undocumented);
                }
            }
            case ENUM -> {
                if (seen.add(schema.getFullName()) && isBlank(schema.getDoc())) {
                    undocumented.add(schema.getFullName());
                }
            }
            case UNION -> schema.getTypes().forEach(t -> collectUndocumented(t, seen, undocumented));
            case ARRAY -> collectUndocumented(schema.getElementType(), seen, undocumented);
            case MAP -> collectUndocumented(schema.getValueType(), seen, undocumented);
            default -> { }
        }
    }

    private static void collectNullableWithoutDefault(Schema schema, Set<String> seen, List<String> missing) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!seen.add(schema.getFullName())) {
                    return;
                }
                for (Schema.Field field : schema.getFields()) {
                    if (field.schema().isNullable() && !field.hasDefaultValue()) {
                        missing.add(schema.getFullName() + "." + field.name());
                    }
                    collectNullableWithoutDefault(field.schema(), seen, missing);
                }
            }
            case UNION -> schema.getTypes().forEach(t -> collectNullableWithoutDefault(t, seen, missing));
            case ARRAY -> collectNullableWithoutDefault(schema.getElementType(), seen, missing);
            case MAP -> collectNullableWithoutDefault(schema.getValueType(), seen, missing);
            default -> { }
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
