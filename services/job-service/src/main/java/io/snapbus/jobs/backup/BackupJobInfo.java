package io.snapbus.jobs.backup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapbus.repository.RepositoryLayout;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The job info file ({@code __info_<yyyy-MM-dd-HH-mm-ss>}) in Doris's BackupJobInfo JSON: the same keys, compact,
 * map keys as strings, so a Doris reader finds what it expects (doris-backup-facts.md §2.4). A backup that left out
 * tables or partitions dropped while it ran lists them under {@code dropped_during_backup} (ours, only then). Each
 * index lists its tablets' rows and content checksum at the backup's version under
 * {@value #TABLET_CHECKSUMS_KEY} (ours: {@code {"<tabletId>": {"rows": n, "checksum": c}}}, a signed 64-bit
 * {@code c}, the tablets whose node reported them), so a repository alone is enough to verify a backup's data.
 */
public final class BackupJobInfo {
    /** The meta format version of our {@code __meta} file (ours, not Doris's internal one). */
    public static final int META_VERSION = 1;
    /** Key of the tables and partitions dropped during the backup, in the job info and the meta file. */
    public static final String DROPPED_KEY = "dropped_during_backup";
    /** Key, in each index, of its tablets' rows and content checksums (see {@link io.snapbus.rows.CanonicalRow}). */
    public static final String TABLET_CHECKSUMS_KEY = "snapbus_tablet_checksums";
    /** Key of the retention policy the snapshot belongs to (see {@code io.snapbus.jobs.retention}). */
    public static final String RETENTION_POLICY_KEY = "snapbus_retention_policy";
    private static final ObjectMapper JSON = new ObjectMapper();

    private BackupJobInfo() {}

    /** The info file's name before its checksum suffix: {@code __info_<createTime>} in {@code zone}. */
    public static String fileName(BackupJob job, ZoneId zone) {
        return RepositoryLayout.jobInfoName(job.createTimeMs(), zone);
    }

    public static String json(BackupJob job) {
        BackupPlan plan = job.plan();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", job.label());
        info.put("database", plan.dbName());
        info.put("id", plan.dbId());
        info.put("backup_time", job.createTimeMs());
        info.put("content", job.request().content().name());
        Map<String, Object> objects = new LinkedHashMap<>();
        for (BackupPlan.PlannedTable table : plan.tables()) {
            Map<String, Object> partitions = new LinkedHashMap<>();
            for (BackupPlan.PlannedPartition partition : table.partitions()) {
                Map<String, Object> indexes = new LinkedHashMap<>();
                for (BackupPlan.PlannedIndex index : partition.indexes()) {
                    Map<String, Object> tablets = new LinkedHashMap<>();
                    Map<String, Object> checksums = new LinkedHashMap<>();
                    for (long tabletId : index.tabletOrder()) {
                        TabletProgress progress = job.tablets().get(tabletId);
                        boolean withFiles = job.request().content() == BackupRequest.Content.ALL && progress != null;
                        tablets.put(Long.toString(tabletId), withFiles ? progress.files() : List.of());
                        if (withFiles && progress.checksum() != null) {
                            Map<String, Object> checksum = new LinkedHashMap<>();
                            checksum.put("rows", progress.checksum().rows());
                            checksum.put("checksum", progress.checksum().checksum());
                            checksums.put(Long.toString(tabletId), checksum);
                        }
                    }
                    Map<String, Object> idx = new LinkedHashMap<>();
                    idx.put("id", index.id());
                    idx.put("schema_hash", index.schemaHash());
                    idx.put("tablets", tablets);
                    idx.put("tablets_order", index.tabletOrder());
                    if (!checksums.isEmpty()) {
                        // snapbus's key (a Doris reader skips it): what each tablet held at the backup's version.
                        idx.put(TABLET_CHECKSUMS_KEY, checksums);
                    }
                    indexes.put(index.name(), idx);
                }
                Map<String, Object> part = new LinkedHashMap<>();
                part.put("id", partition.id());
                part.put("version", partition.version());
                part.put("indexes", indexes);
                partitions.put(partition.name(), part);
            }
            Map<String, Object> tbl = new LinkedHashMap<>();
            tbl.put("id", table.id());
            tbl.put("partitions", partitions);
            objects.put(table.name(), tbl);
        }
        info.put("backup_objects", objects);
        Map<String, Object> newObjects = new LinkedHashMap<>();
        newObjects.put("views", named(plan.views()));
        newObjects.put("odbc_tables", named(plan.odbcTables()));
        newObjects.put("odbc_resources", plan.odbcResources().stream().map(n -> Map.of("name", n)).toList());
        info.put("new_backup_objects", newObjects);
        info.put("backup_result", "succeed");
        info.put("meta_version", META_VERSION);
        info.put("major_version", 0);
        info.put("minor_version", 1);
        info.put("patch_version", 0);
        Map<String, Object> tabletBe = new TreeMap<>();
        Map<String, Object> tabletPath = new TreeMap<>();
        if (job.request().content() == BackupRequest.Content.ALL) {
            job.tablets().values().forEach(t -> {
                tabletBe.put(Long.toString(t.tabletId()), t.tablet().backendId());
                if (t.snapshotPath() != null) {
                    tabletPath.put(Long.toString(t.tabletId()), t.snapshotPath());
                }
            });
        }
        info.put("tablet_be_map", tabletBe);
        info.put("tablet_snapshot_path_map", tabletPath);
        Map<String, Object> commitSeqs = new TreeMap<>();
        plan.tableCommitSeqs().forEach((table, seq) -> commitSeqs.put(Long.toString(table), seq));
        info.put("table_commit_seq_map", commitSeqs);
        String policy = job.request().properties().get(BackupRequest.RETENTION_POLICY);
        if (policy != null) {
            // snapbus's key (a Doris reader skips it): the retention policy whose snapshots this one counts among.
            info.put(RETENTION_POLICY_KEY, policy);
        }
        if (!job.droppedObjects().isEmpty()) {
            // snapbus's key (a Doris reader skips it): what the backup left out because it was dropped meanwhile.
            info.put(DROPPED_KEY, job.droppedObjects());
        }
        try {
            return JSON.writeValueAsString(info);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the job info of job " + job.jobId(), e);
        }
    }

    private static List<Map<String, Object>> named(List<BackupPlan.NamedObject> objects) {
        List<Map<String, Object>> out = new ArrayList<>();
        objects.forEach(o -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", o.id());
            m.put("name", o.name());
            out.add(m);
        });
        return out;
    }
}
