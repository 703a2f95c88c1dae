package io.snapbus.jobs.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.contract.TaskSignatures;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The shared retry policy, on a task book alone: no job type needed. */
class TaskRetryTest {
    private static final long JOB = 42;
    private static final long T0 = 1_000_000;
    private static final long BACKOFF = 10_000;
    private final TaskRetry retry = new TaskRetry(new RetryPolicy(BACKOFF, 120_000, 3));
    private final TaskRetry.Rebuild rebuild = t -> new AgentWork.Upload(t.signature(), java.util.Map.of(),
            t.tabletIds());

    private TaskBook bookWith(PendingTask task) {
        return TaskBook.empty().withNextTaskSeq(2).sent(task);
    }

    private PendingTask first() {
        return retry.firstSend(TaskSignatures.of(JOB, 1), AgentWork.Kind.UPLOAD, 7, List.of(1L), T0);
    }

    @Test
    void aTaskWithoutResultGoesOutAgainUnderItsSignatureWithADoubledBackoff() {
        TaskRetry.Round round = retry.dueTasks(bookWith(first()), JOB, T0 + BACKOFF, rebuild);

        TaskRetry.Resent resent = (TaskRetry.Resent) round;
        PendingTask again = resent.tasks().pending().get(first().signature());
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(again.backoffMs()).isEqualTo(2 * BACKOFF);
        assertThat(again.lastError()).isEqualTo("no result 10000 ms after sending it");
        assertThat(resent.batches()).singleElement().satisfies(b -> assertThat(b.tasks())
                .extracting(AgentWork.Task::signature).containsExactly(first().signature()));
        assertThat(resent.event()).startsWith("re-sent 1 task: UPLOAD " + first().signature());
    }

    @Test
    void aFailedTaskGoesOutUnderANewSignature() {
        TaskRetry.FailedOnce failed = (TaskRetry.FailedOnce) retry.failed(bookWith(first()), first(), "IO_ERROR",
                List.of("disk"), T0 + 1);
        assertThat(failed.event()).isEqualTo("task " + first().signature()
                + " failed (attempt 1 of 3), sent again after 10000 ms: IO_ERROR: disk");

        TaskRetry.Resent resent = (TaskRetry.Resent) retry.dueTasks(failed.tasks(), JOB, T0 + 1 + BACKOFF, rebuild);

        long renewed = TaskSignatures.of(JOB, 2);
        assertThat(resent.tasks().pending()).containsOnlyKeys(renewed);
        assertThat(resent.tasks().nextTaskSeq()).isEqualTo(3);
        assertThat(resent.tasks().taskOfTablet()).containsEntry(1L, renewed);
    }

    @Test
    void theLastAttemptEndsInAFailureNamingTaskBackendAndError() {
        PendingTask third = first().resent(first().signature(), T0, BACKOFF).resent(first().signature(), T0, BACKOFF);

        TaskRetry.Round round = retry.failed(bookWith(third), third, "IO_ERROR", List.of(), T0 + 1);

        assertThat(((TaskRetry.GaveUp) round).status()).isEqualTo(Status.of(Status.Code.COMMON_ERROR,
                "UPLOAD task " + first().signature() + " on backend 7 failed 3 times, last error: IO_ERROR"));
    }

    @Test
    void aDueTaskItsNodeReportsHoldingIsAwaitedLongerWithoutAPersist() {
        TaskBook book = bookWith(first()).withNodeReport(7, new NodeReport(T0 + BACKOFF, Set.of(first().signature())));

        TaskRetry.Waited waited = (TaskRetry.Waited) retry.dueTasks(book, JOB, T0 + BACKOFF, rebuild);

        assertThat(waited.tasks().due(T0 + BACKOFF + TaskRetry.QUEUED_RECHECK_BACKOFFS * BACKOFF - 1)).isEmpty();
        assertThat(retry.dueTasks(book, JOB, T0, rebuild)).isEqualTo(new TaskRetry.Waited(book));
    }
}
