package io.snapbus.jobs.backup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code __meta} file. Doris's is its FE's internal Gson of OlapTable, which a non-Doris writer cannot honestly
 * produce (doris-backup-facts.md §2.5); ours is documented JSON: {@code {"meta_version": 1, "objects": [...]}} where
 * each object is the Avro JSON of a catalog record (OlapTableDef, PartitionDef, ViewDef, OdbcTableDef,
 * OdbcResourceDef) as copied in PENDING, with a {@code "type"} naming the record; a backup that left out tables or
 * partitions dropped while it ran adds {@code "dropped_during_backup": ["table orders (id 123)", ...]}. Written
 * compact by Jackson.
 */
public final class BackupMetaFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BackupMetaFile() {}

    public static byte[] bytes(BackupJob job) {
        ObjectNode meta = JSON.createObjectNode();
        meta.put("meta_version", BackupJobInfo.META_VERSION);
        ArrayNode objects = meta.putArray("objects");
        try {
            for (Object object : job.plan().metaObjects()) {
                ObjectNode entry = objects.addObject();
                entry.put("type", object.getClass().getSimpleName());
                // A catalog record's toString is Avro's JSON rendering, with the schema's field names.
                entry.set("value", JSON.readTree(object.toString()));
            }
            if (!job.droppedObjects().isEmpty()) {
                ArrayNode dropped = meta.putArray(BackupJobInfo.DROPPED_KEY);
                job.droppedObjects().forEach(dropped::add);
            }
            return JSON.writeValueAsBytes(meta);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the meta file of backup job " + job.jobId(), e);
        }
    }
}
