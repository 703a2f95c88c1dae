package io.snapbus.client;

import io.snapbus.api.event.JobEvent;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code snapbus history}: what deletions, retention runs, schedules and jobs did, from the job-events topic. */
@Command(name = "history", description = "The newest events of job-events, newest first: snapshot deletions "
        + "(DELETE), retention runs (RETENTION), schedules (SCHEDULE), verifications (VERIFY) and jobs (BACKUP, "
        + "RESTORE); as far back as the topic keeps them.")
final class HistoryCommand extends ApiCommand implements Callable<Integer> {

    @Option(names = "--type", paramLabel = "TYPE", description = "only this job type (repeatable)")
    List<String> types;

    @Option(names = "--label", paramLabel = "LABEL", description = "only this label, policy or schedule name")
    String label;

    @Option(names = "--limit", paramLabel = "N", description = "at most this many (default 50, at most 1000)")
    int limit = 50;

    @Override
    public Integer call() {
        List<JobEvent> events = api().events(types == null ? List.of() : types, label, limit);
        return print(events, () -> {
            TextTable table = new TextTable(List.of("Time", "Type", "Label", "State", "Message"));
            events.forEach(e -> table.row(Instant.ofEpochMilli(e.timestampMs()).toString(), e.jobType(), e.label(),
                    e.state(), e.message()));
            return table.render();
        });
    }
}
