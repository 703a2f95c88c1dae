package io.snapbus.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapbus.cli.JobServiceClient;
import java.util.function.Consumer;
import java.util.function.Function;

/** Waits for a backup or restore job through REST, reporting its progress line whenever it changes. */
final class JobPoller {
    private JobPoller() {
    }

    /** Polls {@code path} until the job is FINISHED or CANCELLED; returns its last row. */
    static JsonNode await(JobServiceClient api, String path, Function<JsonNode, String> line,
            Consumer<String> progress) throws InterruptedException {
        String lastLine = "";
        while (true) {
            Thread.sleep(500);
            JsonNode job = api.get(path);
            String shown = line.apply(job);
            if (!shown.equals(lastLine)) {
                progress.accept(shown);
                lastLine = shown;
            }
            String state = job.get("state").asText();
            if (state.equals("FINISHED") || state.equals("CANCELLED")) {
                return job;
            }
        }
    }
}
