package io.snapbus.client;

import io.snapbus.api.backup.CancelResult;
import java.io.UncheckedIOException;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * What backup and restore jobs share: list (SHOW BACKUP / SHOW RESTORE), show, cancel, and waiting for a job to
 * end, by reading it every second ({@code --wait}) or by following its events ({@code --watch}, the job-service's
 * server-sent events). A subclass gives its {@link JobEndpoints} and adds {@code start}.
 *
 * @param <J> the job record, with Doris's SHOW columns as its first properties and a {@code state}
 */
abstract class JobCommand<J extends Record> extends ApiCommand {
    /** How often a waiting command reads the job. */
    static final Duration POLL = Duration.ofSeconds(1);
    /** How often a watch whose event stream broke (the job-service restarted, say) opens it again. */
    static final int RECONNECTS = 30;

    private final JobEndpoints<J> endpoints;

    JobCommand(JobEndpoints<J> endpoints) {
        this.endpoints = endpoints;
    }

    @Command(name = "list", description = "SHOW ${PARENT-COMMAND-NAME}: the database's jobs, newest first.")
    public int list(@Parameters(paramLabel = "DB") String db, @Mixin PageOptions page) {
        return PageOptions.print(output(), endpoints.page().read(api(), db, page.offset, page.limit),
                endpoints.columns());
    }

    @Command(name = "show", description = "One ${PARENT-COMMAND-NAME} job, every column of SHOW "
            + "${PARENT-COMMAND-NAME} then snapbus's counts.")
    public int show(@Parameters(paramLabel = "JOB_ID") long id, @Mixin WaitOptions waiting)
            throws InterruptedException {
        return waiting.watches() ? watchEnd(id) : waiting.waits() ? awaitEnd(id) : show(job(id));
    }

    @Command(name = "cancel", description = "CANCEL ${PARENT-COMMAND-NAME} of one job.")
    public int cancel(@Parameters(paramLabel = "JOB_ID") long id) {
        CancelResult result = endpoints.cancel().apply(api(), id);
        return print(result, () -> Card.of(result).render());
    }

    /** Prints a job that just started, or waits for its end when asked. */
    int started(J job, WaitOptions waiting) throws InterruptedException {
        long id = Json.tree(job).get("jobId").asLong();
        return waiting.watches() ? watchEnd(id) : waiting.waits() ? awaitEnd(id) : show(job);
    }

    /**
     * Follows the job's events until it ends (a bar on a terminal, else a line per event, on stderr), then prints
     * the job; exit 5 when it was CANCELLED. A broken stream is opened again: its first event says where the job is.
     */
    int watchEnd(long id) throws InterruptedException {
        ProgressLine progress = new ProgressLine(output().err(), System.console() != null);
        for (int attempt = 1; ; attempt++) {
            try {
                endpoints.events().follow(api(), id, progress::accept);
                break;
            } catch (UncheckedIOException e) {
                if (attempt == RECONNECTS) {
                    throw e;
                }
                Thread.sleep(POLL.toMillis());
            }
        }
        return shownAtItsEnd(job(id));
    }

    /** Prints a job that ended; exit 5 when it was CANCELLED. */
    private int shownAtItsEnd(J job) {
        show(job);
        return state(job).equals("CANCELLED") ? ExitCode.CANCELLED : ExitCode.OK;
    }

    /** Reads the job until it ends, a note per change of state or progress; exit 5 when it was CANCELLED. */
    int awaitEnd(long id) throws InterruptedException {
        String noun = getClass().getAnnotation(Command.class).name();
        J job = job(id);
        String last = "";
        while (!ended(job)) {
            JsonNode node = Json.tree(job);
            String line = noun + " " + id + ": " + Json.text(node.get("state")) + " "
                    + Json.text(node.get("progress"));
            if (!line.equals(last)) {
                output().note(line.strip());
                last = line;
            }
            Thread.sleep(POLL.toMillis());
            job = job(id);
        }
        return shownAtItsEnd(job);
    }

    private J job(long id) {
        return endpoints.job().apply(api(), id);
    }

    private int show(J job) {
        return print(job, () -> Card.of(job).render());
    }

    private static boolean ended(Record job) {
        String state = state(job);
        return state.equals("FINISHED") || state.equals("CANCELLED");
    }

    private static String state(Record job) {
        return Json.text(Json.tree(job).get("state"));
    }
}
