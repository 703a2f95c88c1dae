package io.snapbus.jobs.backup.shell;

import static io.snapbus.jobs.backup.BackupJobInfo.DROPPED_KEY;
import static io.snapbus.jobs.backup.BackupJobInfo.META_VERSION;
import static io.snapbus.jobs.backup.BackupJobInfo.RETENTION_POLICY_KEY;
import static io.snapbus.jobs.backup.BackupJobInfo.TABLET_CHECKSUMS_KEY;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapbus.jobs.backup.BackupJob;
import io.snapbus.jobs.backup.BackupPlan;
import io.snapbus.jobs.backup.BackupRequest;
import io.snapbus.jobs.backup.TabletProgress;
import io.snapbus.rows.ContentChecksum;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a finished backup's job info file (the format {@link io.snapbus.jobs.backup.BackupJobInfo} describes) as a
 * stream of JSON tokens, never as one string or a tree of maps: a million-tablet job's is ~300 MB.
 */
public final class JobInfoFile {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** 10^0 .. 10^18. */
    private static final long[] POWERS = new long[19];

    static {
        POWERS[0] = 1;
        for (int i = 1; i < POWERS.length; i++) {
            POWERS[i] = POWERS[i - 1] * 10;
        }
    }

    private JobInfoFile() {}

    /** The job info as a string (for tests and small jobs; {@link #write} streams it). */
    public static String json(BackupJob job) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(job, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render the job info of job " + job.jobId(), e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Writes the job info to {@code out} as it goes: a million-tablet job's is ~300 MB, which must never sit in the
     * job-service's heap as one string or as a tree of maps.
     */
    public static void write(BackupJob job, OutputStream out) throws IOException {
        BackupPlan plan = job.plan();
        boolean withFiles = job.request().content() == BackupRequest.Content.ALL;
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("name", job.label());
            g.writeStringField("database", plan.dbName());
            g.writeNumberField("id", plan.dbId());
            g.writeNumberField("backup_time", job.createTimeMs());
            g.writeStringField("content", job.request().content().name());
            g.writeObjectFieldStart("backup_objects");
            for (BackupPlan.PlannedTable table : plan.tables()) {
                g.writeObjectFieldStart(table.name());
                g.writeNumberField("id", table.id());
                g.writeObjectFieldStart("partitions");
                for (BackupPlan.PlannedPartition partition : table.partitions()) {
                    g.writeObjectFieldStart(partition.name());
                    g.writeNumberField("id", partition.id());
                    g.writeNumberField("version", partition.version());
                    g.writeObjectFieldStart("indexes");
                    for (BackupPlan.PlannedIndex index : partition.indexes()) {
                        writeIndex(g, job, index, withFiles);
                    }
                    g.writeEndObject();
                    g.writeEndObject();
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeObjectFieldStart("new_backup_objects");
            g.writeFieldName("views");
            writeNamed(g, plan.views());
            g.writeFieldName("odbc_tables");
            writeNamed(g, plan.odbcTables());
            g.writeArrayFieldStart("odbc_resources");
            for (String resource : plan.odbcResources()) {
                g.writeStartObject();
                g.writeStringField("name", resource);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeStringField("backup_result", "succeed");
            g.writeNumberField("meta_version", META_VERSION);
            g.writeNumberField("major_version", 0);
            g.writeNumberField("minor_version", 1);
            g.writeNumberField("patch_version", 0);
            // Doris's maps, keyed by the tablet id as a string and in that (string) order.
            List<TabletProgress> tablets = withFiles ? inIdStringOrder(job) : List.of();
            g.writeObjectFieldStart("tablet_be_map");
            for (TabletProgress t : tablets) {
                g.writeNumberField(Long.toString(t.tabletId()), t.tablet().backendId());
            }
            g.writeEndObject();
            g.writeObjectFieldStart("tablet_snapshot_path_map");
            for (TabletProgress t : tablets) {
                String path = t.snapshotPath();
                if (path != null) {
                    g.writeStringField(Long.toString(t.tabletId()), path);
                }
            }
            g.writeEndObject();
            g.writeObjectFieldStart("table_commit_seq_map");
            for (Map.Entry<String, Long> seq : new TreeMap<>(commitSeqs(plan)).entrySet()) {
                g.writeNumberField(seq.getKey(), seq.getValue());
            }
            g.writeEndObject();
            String policy = job.request().properties().get(BackupRequest.RETENTION_POLICY);
            if (policy != null) {
                // snapbus's key (a Doris reader skips it): the retention policy whose snapshots this one counts among.
                g.writeStringField(RETENTION_POLICY_KEY, policy);
            }
            if (!job.droppedObjects().isEmpty()) {
                // snapbus's key (a Doris reader skips it): what the backup left out because it was dropped meanwhile.
                g.writeArrayFieldStart(DROPPED_KEY);
                for (String dropped : job.droppedObjects()) {
                    g.writeString(dropped);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
    }

    private static void writeIndex(JsonGenerator g, BackupJob job, BackupPlan.PlannedIndex index, boolean withFiles)
            throws IOException {
        g.writeObjectFieldStart(index.name());
        g.writeNumberField("id", index.id());
        g.writeNumberField("schema_hash", index.schemaHash());
        g.writeObjectFieldStart("tablets");
        boolean anyChecksum = false;
        for (long tabletId : index.tabletOrder()) {
            TabletProgress progress = withFiles ? job.tablets().get(tabletId) : null;
            g.writeArrayFieldStart(Long.toString(tabletId));
            if (progress != null) {
                for (String file : progress.files()) {
                    g.writeString(file);
                }
                anyChecksum |= progress.checksum() != null;
            }
            g.writeEndArray();
        }
        g.writeEndObject();
        g.writeArrayFieldStart("tablets_order");
        for (long tabletId : index.tabletOrder()) {
            g.writeNumber(tabletId);
        }
        g.writeEndArray();
        if (anyChecksum) {
            // snapbus's key (a Doris reader skips it): what each tablet held at the backup's version.
            g.writeObjectFieldStart(TABLET_CHECKSUMS_KEY);
            for (long tabletId : index.tabletOrder()) {
                TabletProgress progress = job.tablets().get(tabletId);
                ContentChecksum checksum = progress == null ? null : progress.checksum();
                if (checksum != null) {
                    g.writeObjectFieldStart(Long.toString(tabletId));
                    g.writeNumberField("rows", checksum.rows());
                    g.writeNumberField("checksum", checksum.checksum());
                    g.writeEndObject();
                }
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void writeNamed(JsonGenerator g, List<BackupPlan.NamedObject> objects) throws IOException {
        g.writeStartArray();
        for (BackupPlan.NamedObject o : objects) {
            g.writeStartObject();
            g.writeNumberField("id", o.id());
            g.writeStringField("name", o.name());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static Map<String, Long> commitSeqs(BackupPlan plan) {
        Map<String, Long> seqs = new LinkedHashMap<>();
        plan.tableCommitSeqs().forEach((table, seq) -> seqs.put(Long.toString(table), seq));
        return seqs;
    }

    /** The job's tablets ordered by their ids as strings ("10" before "9"), the order of Doris's string-keyed maps. */
    private static List<TabletProgress> inIdStringOrder(BackupJob job) {
        List<TabletProgress> tablets = new ArrayList<>(job.tablets().values());
        tablets.sort((a, b) -> compareDecimal(a.tabletId(), b.tabletId()));
        return tablets;
    }

    /** Compares two ids as their decimal strings would compare, without making the strings. */
    static int compareDecimal(long a, long b) {
        if (a < 0 || b < 0) {
            return Long.toString(a).compareTo(Long.toString(b));
        }
        int da = digits(a);
        int db = digits(b);
        if (da == db) {
            return Long.compare(a, b);
        }
        // Compare the longer one's leading digits with the shorter one; on a tie the shorter (a prefix) goes first.
        int c = da < db ? Long.compare(a, b / POWERS[db - da]) : Long.compare(a / POWERS[da - db], b);
        return c != 0 ? c : Integer.compare(da, db);
    }

    private static int digits(long v) {
        int n = 1;
        while (n < 19 && v >= POWERS[n]) {
            n++;
        }
        return n;
    }
}
