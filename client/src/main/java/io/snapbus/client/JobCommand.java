package io.snapbus.client;

import io.snapbus.api.backup.CancelResult;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * What backup and restore jobs share: list (SHOW BACKUP / SHOW RESTORE), show, cancel, and waiting for a job to
 * end. A subclass gives its {@link JobEndpoints} and adds {@code start}. Waiting polls the job; a live
 * {@code --watch} fed by the job's events would replace {@link #awaitEnd} once the job-service streams them.
 *
 * @param <J> the job record, with Doris's SHOW columns as its first properties and a {@code state}
 */
abstract class JobCommand<J extends Record> extends ApiCommand {
    /** How often a waiting command reads the job. */
    static final Duration POLL = Duration.ofSeconds(1);
    /** The help of {@code --wait}. */
    static final String WAIT_HELP = "Wait until the job is FINISHED, or CANCELLED (exit 5); a line on stderr per "
            + "change.";

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
    public int show(@Parameters(paramLabel = "JOB_ID") long id,
            @Option(names = "--wait", description = WAIT_HELP) boolean wait) throws InterruptedException {
        return wait ? awaitEnd(id) : show(job(id));
    }

    @Command(name = "cancel", description = "CANCEL ${PARENT-COMMAND-NAME} of one job.")
    public int cancel(@Parameters(paramLabel = "JOB_ID") long id) {
        CancelResult result = endpoints.cancel().apply(api(), id);
        return print(result, () -> Card.of(result).render());
    }

    /** Prints a job that just started, or waits for its end when asked. */
    int started(J job, boolean wait) throws InterruptedException {
        return wait ? awaitEnd(Json.tree(job).get("jobId").asLong()) : show(job);
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
        show(job);
        return state(job).equals("CANCELLED") ? ExitCode.CANCELLED : ExitCode.OK;
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
