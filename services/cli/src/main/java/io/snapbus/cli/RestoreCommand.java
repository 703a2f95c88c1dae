package io.snapbus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code snapbus restore}, {@code snapbus restores} and {@code snapbus cancel-restore}: RESTORE SNAPSHOT, SHOW RESTORE
 * and CANCEL RESTORE on a job-service (the local stack's unless {@code --url}, found as {@code verify} finds it).
 * {@code restore} starts the job, prints its progress while it runs and then its SHOW RESTORE row; exit 0 when it
 * FINISHED, 1 when it was CANCELLED.
 */
final class RestoreCommand {
    /** The columns {@code snapbus restores} shows of each job, with their widths. */
    private static final Map<String, Integer> LIST_COLUMNS = listColumns();

    private final PrintStream out;

    RestoreCommand(PrintStream out) {
        this.out = out;
    }

    int restore(CliOptions options) throws InterruptedException {
        String repo = options.repo().orElseThrow(() -> new CliOptions.UsageException("restore needs --repo"));
        String label = options.label().orElseThrow(() -> new CliOptions.UsageException("restore needs --label"));
        Map<String, String> properties = new LinkedHashMap<>(options.properties());
        if (options.timestamp().isPresent()) {
            if (properties.containsKey("backup_timestamp")) {
                throw new CliOptions.UsageException("give the backup timestamp once: --timestamp or --property "
                        + "backup_timestamp=...");
            }
            properties.put("backup_timestamp", options.timestamp().get());
        }
        RestoreClient restores = new RestoreClient(new JobServiceClient(VerifyCommand.jobService(options)));
        List<Map<String, Object>> on = options.on().stream().map(CliOptions.RestoreTarget::toBody).toList();
        JsonNode started = restores.start(database(options), repo, label, on, properties);
        long id = started.get("jobId").asLong();
        out.printf("restore %d: snapshot %s (%s) of repository %s into database %s%n", id, label,
                started.path("timestamp").asText(), repo, started.path("dbName").asText());
        JsonNode job = restores.await(id, out, false);
        RestoreClient.printShowRestore(out, job);
        out.printf("%s: %s%n", job.get("state").asText(), job.get("status").asText());
        return job.get("state").asText().equals("FINISHED") ? SnapbusCli.OK : SnapbusCli.FAILED;
    }

    /** SHOW RESTORE FROM db: a line per job, oldest first. */
    int list(CliOptions options) {
        JobServiceClient api = new JobServiceClient(VerifyCommand.jobService(options));
        JsonNode jobs = api.get("/api/databases/" + database(options) + "/restores");
        StringBuilder header = new StringBuilder();
        LIST_COLUMNS.forEach((column, width) -> header.append(cell(Character.toUpperCase(column.charAt(0))
                + column.substring(1), width)));
        out.println(header.toString().stripTrailing());
        for (JsonNode job : jobs) {
            StringBuilder line = new StringBuilder();
            LIST_COLUMNS.forEach((column, width) -> line.append(cell(job.path(column).asText(), width)));
            out.println(line.toString().stripTrailing());
        }
        return SnapbusCli.OK;
    }

    /** CANCEL RESTORE of one job; refused (exit 1, the job-service's message) once it swaps its partitions in. */
    int cancel(CliOptions options) {
        long id = options.id().orElseThrow(() -> new CliOptions.UsageException("cancel-restore needs --id"));
        JobServiceClient api = new JobServiceClient(VerifyCommand.jobService(options));
        api.post("/api/restores/" + id + "/cancel", Map.of());
        JsonNode job = api.get("/api/restores/" + id);
        out.printf("restore %d (%s): %s %s%n", id, job.path("label").asText(), job.path("state").asText(),
                job.path("status").asText());
        return SnapbusCli.OK;
    }

    private static String database(CliOptions options) {
        return options.db().orElse(QuickstartFlow.DB);
    }

    /** The value padded to {@code width} (0: as it is, the last column). */
    private static String cell(String value, int width) {
        return width == 0 ? value : String.format(Locale.ROOT, "%-" + width + "s ", value);
    }

    private static Map<String, Integer> listColumns() {
        Map<String, Integer> columns = new LinkedHashMap<>();
        columns.put("jobId", 14);
        columns.put("label", 20);
        columns.put("timestamp", 19);
        columns.put("state", 11);
        columns.put("restoreObjs", 30);
        columns.put("createTime", 19);
        columns.put("finishedTime", 19);
        columns.put("status", 0);
        return columns;
    }
}
