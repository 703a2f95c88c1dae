package io.snapbus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * RESTORE through the job-service's REST API, as the quickstart and {@code snapbus restore} use it: the newest backup
 * timestamp of a snapshot, starting a restore, watching it to its end, and SHOW RESTORE's columns.
 */
final class RestoreClient {
    /** SHOW RESTORE's columns in Doris's order, as the job-service names them. */
    static final List<String> SHOW_RESTORE_COLUMNS = List.of("jobId", "label", "timestamp", "dbName", "state",
            "allowLoad", "replicationNum", "replicaAllocation", "reserveReplica", "reserveDynamicPartitionEnable",
            "restoreObjs", "createTime", "metaPreparedTime", "snapshotFinishedTime", "downloadFinishedTime",
            "finishedTime", "unfinishedTasks", "progress", "taskErrMsg", "status", "timeout");
    private static final long POLL_MS = 200;

    private final JobServiceClient api;

    RestoreClient(JobServiceClient api) {
        this.api = api;
    }

    /** The newest backup timestamp ({@code yyyy-MM-dd-HH-mm-ss}) of snapshot {@code label} in the repository. */
    String newestTimestamp(String repository, String label) {
        for (JsonNode snapshot : api.get("/api/repositories/" + repository + "/snapshots")) {
            if (snapshot.get("label").asText().equals(label) && !snapshot.get("timestamps").isEmpty()) {
                // yyyy-MM-dd-HH-mm-ss: the greatest text is the newest time, whatever order the listing has
                String newest = "";
                for (JsonNode timestamp : snapshot.get("timestamps")) {
                    newest = timestamp.asText().compareTo(newest) > 0 ? timestamp.asText() : newest;
                }
                return newest;
            }
        }
        throw new IllegalStateException("snapshot " + label + " is not in repository " + repository);
    }

    /**
     * Starts RESTORE SNAPSHOT {@code label} into database {@code db}; {@code on}: the tables (name, and optionally
     * partitions and alias), empty for every object; without {@code backup_timestamp} in {@code properties} the
     * label's newest. Returns the job's first SHOW RESTORE row.
     */
    JsonNode start(String db, String repository, String label, List<Map<String, Object>> on,
            Map<String, String> properties) {
        Map<String, String> all = new LinkedHashMap<>(properties);
        if (!all.containsKey("backup_timestamp")) {
            all.put("backup_timestamp", newestTimestamp(repository, label));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("label", label);
        body.put("repository", repository);
        body.put("properties", all);
        if (!on.isEmpty()) {
            body.put("on", on);
        }
        return api.post("/api/databases/" + db + "/restores", body);
    }

    /**
     * Polls restore {@code jobId} until it is FINISHED or CANCELLED, printing its progress line whenever it changes
     * ({@code inPlace}: over the last one, else one line each); returns the final SHOW RESTORE row.
     */
    JsonNode await(long jobId, PrintStream out, boolean inPlace) throws InterruptedException {
        String last = "";
        while (true) {
            JsonNode job = api.get("/api/restores/" + jobId);
            String shown = progress(job);
            if (!shown.equals(last)) {
                if (inPlace) {
                    out.print("\r" + shown);
                    out.flush();
                } else {
                    out.println(shown);
                }
                last = shown;
            }
            String state = job.get("state").asText();
            if (state.equals("FINISHED") || state.equals("CANCELLED")) {
                if (inPlace) {
                    out.println();
                }
                return job;
            }
            Thread.sleep(POLL_MS);
        }
    }

    /** {@code restore <label>: <state> replicas N: created c, downloaded d, moved m, checked k}. */
    static String progress(JsonNode job) {
        return String.format(Locale.ROOT, "restore %s: %-12s replicas %d: created %d, downloaded %d, moved %d,"
                        + " checked %d", job.get("label").asText(), job.get("state").asText(),
                job.get("replicas").asInt(), job.get("replicasCreated").asInt(), job.get("replicasDownloaded").asInt(),
                job.get("replicasMoved").asInt(), job.get("replicasChecked").asInt());
    }

    /** SHOW RESTORE of one job: a column a line. */
    static void printShowRestore(PrintStream out, JsonNode job) {
        out.println("SHOW RESTORE:");
        for (String column : SHOW_RESTORE_COLUMNS) {
            out.printf(Locale.ROOT, "  %-29s %s%n", column, job.path(column).asText());
        }
    }
}
