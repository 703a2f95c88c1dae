package io.snapbus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapbus.local.StackServices;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code snapbus verify}: starts a verification of a snapshot on a job-service, prints its progress while it runs and
 * then every problem it found; exit 0 when it PASSED, 1 when it FAILED. Without {@code --url} it talks to the
 * job-service of the local stack: the one in {@code --data}, else in {@code up}'s folder, else in
 * {@code quickstart --keep}'s (the port their launch records hold).
 */
final class VerifyCommand {
    private static final long POLL_MS = 500;

    private final PrintStream out;

    VerifyCommand(PrintStream out) {
        this.out = out;
    }

    int run(CliOptions options) throws InterruptedException {
        String repo = options.repo().orElseThrow(() -> new CliOptions.UsageException("verify needs --repo"));
        String label = options.label().orElseThrow(() -> new CliOptions.UsageException("verify needs --label"));
        JobServiceClient api = new JobServiceClient(jobService(options));
        JsonNode report = verify(api, repo, label, options.timestamp(), options.level().orElse("files"));
        return report.get("state").asText().equals("PASSED") ? SnapbusCli.OK : SnapbusCli.FAILED;
    }

    /**
     * Runs a verification of {@code level} ("files" or "data") to its end, printing its progress, each problem and
     * its outcome; returns the final report.
     */
    JsonNode verify(JobServiceClient api, String repo, String label, Optional<String> timestamp, String level)
            throws InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        timestamp.ifPresent(t -> body.put("timestamp", t));
        body.put("level", level);
        JsonNode started = api.post("/api/repositories/" + repo + "/snapshots/" + label + "/verify", body);
        long id = started.get("id").asLong();
        out.printf("verification %d: %s of snapshot %s (%s) in repository %s%n", id,
                started.path("level").asText().toLowerCase(Locale.ROOT), label, started.path("timestamp").asText(),
                repo);
        JsonNode report = api.get("/api/verifications/" + id);
        String lastLine = "";
        while (report.get("state").asText().equals("RUNNING")) {
            String line = progress(report);
            if (!line.equals(lastLine)) {
                out.println(line);
                lastLine = line;
            }
            Thread.sleep(POLL_MS);
            report = api.get("/api/verifications/" + id);
        }
        out.println(progress(report));
        for (JsonNode problem : report.get("problems")) {
            out.println(problem(problem));
        }
        long shown = report.get("problems").size();
        long total = report.get("problemsTotal").asLong();
        if (total > shown) {
            out.printf("... and %d more problems (the report keeps the first %d)%n", total - shown, shown);
        }
        out.printf("%s: %s%n", report.get("state").asText(), report.path("message").asText());
        return report;
    }

    private static String progress(JsonNode report) {
        JsonNode counts = report.get("counts");
        String line = String.format(Locale.ROOT, "%5.1f%%  %d/%d files, %s read", report.at("/progress/percent")
                .asDouble(), counts.get("filesChecked").asLong(), counts.get("filesTotal").asLong(),
                bytes(counts.get("bytesRead").asLong()));
        if (report.get("level").asText().equals("DATA")) {
            line += String.format(Locale.ROOT, ", %d/%d tablets, %d rows", counts.get("tabletsChecked").asLong(),
                    counts.get("tabletsTotal").asLong(), counts.get("rowsRead").asLong());
        }
        long problems = report.get("problemsTotal").asLong();
        return problems == 0 ? line : line + ", " + problems + (problems == 1 ? " problem" : " problems");
    }

    /** {@code MD5_MISMATCH  <path>  tablet 101  expected <x>  actual <y>}. */
    private static String problem(JsonNode problem) {
        StringBuilder line = new StringBuilder(String.format("%-17s %s", problem.get("kind").asText(),
                problem.get("path").asText()));
        if (!problem.path("tabletId").isNull() && !problem.path("tabletId").isMissingNode()) {
            line.append("  tablet ").append(problem.get("tabletId").asLong());
        }
        for (String field : List.of("expected", "actual")) {
            JsonNode value = problem.path(field);
            if (!value.isNull() && !value.isMissingNode()) {
                line.append("  ").append(field).append(' ').append(value.asText());
            }
        }
        return line.toString();
    }

    private static String bytes(long bytes) {
        return bytes < 1024 * 1024 ? String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0)
                : String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }

    /** --url, else the job-service port recorded by the local stack in --data, up's folder or quickstart's. */
    static URI jobService(CliOptions options) {
        if (options.url().isPresent()) {
            String url = options.url().get();
            return URI.create(url.endsWith("/") ? url : url + "/");
        }
        List<Path> candidates = options.dataDir().isPresent() ? List.of(options.dataDir().get())
                : List.of(options.dataDirOr(StackCommands.STACK_NAME), options.dataDirOr(QuickstartCommand.STACK_NAME));
        for (Path dir : candidates) {
            Optional<Integer> port = Optional.ofNullable(StackServices.ports(dir).get("job-service"));
            if (port.isPresent()) {
                return URI.create("http://127.0.0.1:" + port.get() + "/");
            }
        }
        throw new IllegalStateException("no job-service of a local stack in " + candidates
                + "; start one (snapbus quickstart --keep) or give --url http://host:port");
    }
}
