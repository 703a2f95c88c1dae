package io.snapbus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.net.URI;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code snapbus demo}: the quickstart's data and backup on a stack the CLI did not start (e.g. the docker compose
 * stack): adds the given storage nodes as backends, creates database {@code demo} with the two tables, loads them,
 * creates repository {@code local_repo} at {@code --location} and backs both tables up, printing the SHOW BACKUP row
 * and the label to restore; exit 0 when the backup FINISHED.
 */
final class DemoCommand {
    private static final int ORDERS = 40_000;

    private final PrintStream out;

    DemoCommand(PrintStream out) {
        this.out = out;
    }

    int run(CliOptions options) throws InterruptedException {
        URI url = URI.create(options.url().orElseThrow(() -> new CliOptions.UsageException(
                "demo needs --url (the job-service, e.g. http://127.0.0.1:28080)")));
        if (options.backends().isEmpty()) {
            throw new CliOptions.UsageException("demo needs --backend host:port for each storage node");
        }
        String location = options.location().orElseThrow(() -> new CliOptions.UsageException(
                "demo needs --location (the repository's folder as the job-service and the nodes see it, e.g."
                        + " file:///var/lib/snapbus/repository)"));
        String label = options.label().orElseGet(() -> "demo_"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss")));
        QuickstartFlow flow = new QuickstartFlow(new JobServiceClient(url), out);
        flow.prepareOn(options.backends(), ORDERS);
        new JobServiceClient(url).post("/api/repositories", Map.of("name", QuickstartFlow.REPOSITORY,
                "location", location));
        JsonNode job = flow.backup(QuickstartFlow.REPOSITORY, label);
        for (String column : List.of("jobId", "snapshotName", "dbName", "state", "backupObjs", "finishedTime",
                "status")) {
            out.printf(Locale.ROOT, "  %-13s %s%n", column, job.path(column).asText());
        }
        boolean finished = job.get("state").asText().equals("FINISHED");
        if (finished) {
            out.printf(Locale.ROOT, "backed up %s to repository %s as label %s%n", QuickstartFlow.TABLES,
                    QuickstartFlow.REPOSITORY, label);
        }
        return finished ? SnapbusCli.OK : SnapbusCli.FAILED;
    }
}
