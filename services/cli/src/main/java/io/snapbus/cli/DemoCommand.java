package io.snapbus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.net.URI;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code snapbus demo}: the quickstart's data and backup on a stack the CLI did not start (e.g. the docker compose
 * stack): adds the given storage nodes as backends, creates database {@code demo} with the two tables, loads them,
 * creates repository {@code local_repo} at {@code --location} and backs both tables up, printing the SHOW BACKUP row
 * and the label to restore; exit 0 when the backup FINISHED.
 */
@Command(name = "demo", description = "On a stack the CLI did not start (e.g. docker compose): add the storage nodes "
        + "as backends, create and load quickstart's tables in database demo, create repository local_repo at "
        + "--location, back both tables up; exit 0 when the backup FINISHED.")
final class DemoCommand implements LocalCommand {
    private static final int ORDERS = 40_000;

    private final PrintStream out;

    @Spec
    CommandSpec spec;

    @Option(names = "--url", required = true, paramLabel = "URL",
            description = "The job-service, e.g. http://127.0.0.1:28080.")
    URI url;

    @Option(names = "--backend", required = true, paramLabel = "HOST:PORT",
            description = "A storage node to add as a backend (repeatable).")
    List<String> backends;

    @Option(names = "--location", required = true, paramLabel = "URI", description = "Where the repository keeps its "
            + "files, as the job-service and the nodes see it, e.g. file:///var/lib/snapbus/repository.")
    String location;

    @Option(names = "--label", paramLabel = "LABEL", description = "The backup's label (default: demo_<time>).")
    String label;

    DemoCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws InterruptedException {
        for (String backend : backends) {
            int colon = backend.lastIndexOf(':');
            if (colon <= 0 || !backend.substring(colon + 1).matches("\\d{1,5}")) {
                throw new ParameterException(spec.commandLine(), "--backend takes host:port, got '" + backend + "'");
            }
        }
        String snapshot = label != null ? label
                : "demo_" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss"));
        JobServiceClient api = new JobServiceClient(url);
        QuickstartFlow flow = new QuickstartFlow(api, out);
        flow.prepareOn(backends, ORDERS);
        api.post("/api/repositories", Map.of("name", QuickstartFlow.REPOSITORY, "location", location));
        JsonNode job = flow.backup(QuickstartFlow.REPOSITORY, snapshot);
        for (String column : List.of("jobId", "snapshotName", "dbName", "state", "backupObjs", "finishedTime",
                "status")) {
            out.printf(Locale.ROOT, "  %-13s %s%n", column, job.path(column).asText());
        }
        boolean finished = job.get("state").asText().equals("FINISHED");
        if (finished) {
            out.printf(Locale.ROOT, "backed up %s to repository %s as label %s%n", QuickstartFlow.TABLES,
                    QuickstartFlow.REPOSITORY, snapshot);
        }
        return finished ? SnapbusCli.OK : SnapbusCli.FAILED;
    }
}
