package io.snapbus.jobs.backup;

import java.nio.charset.StandardCharsets;

/**
 * The {@code __meta} file. Doris's is its FE's internal Gson of OlapTable, which a non-Doris writer cannot honestly
 * produce (doris-backup-facts.md §2.5); ours is documented JSON: {@code {"meta_version": 1, "objects": [...]}} where
 * each object is the Avro JSON of a catalog record (OlapTableDef, PartitionDef, ViewDef, OdbcTableDef,
 * OdbcResourceDef) as copied in PENDING, with a {@code "type"} naming the record; a backup that left out tables or
 * partitions dropped while it ran adds {@code "dropped_during_backup": ["table orders (id 123)", ...]}.
 */
public final class BackupMetaFile {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private BackupMetaFile() {}

    private static String jsonString(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] bytes(BackupJob job) {
        StringBuilder out = new StringBuilder();
        out.append("{\"meta_version\":").append(BackupJobInfo.META_VERSION).append(",\"objects\":[");
        boolean first = true;
        for (Object object : job.plan().metaObjects()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append("{\"type\":\"").append(object.getClass().getSimpleName()).append("\",\"value\":")
                    .append(object).append('}');
        }
        out.append(']');
        if (!job.droppedObjects().isEmpty()) {
            out.append(",\"").append(BackupJobInfo.DROPPED_KEY).append("\":[");
            for (int i = 0; i < job.droppedObjects().size(); i++) {
                out.append(i == 0 ? "" : ",").append(jsonString(job.droppedObjects().get(i)));
            }
            out.append(']');
        }
        out.append('}');
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
