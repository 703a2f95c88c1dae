package io.snapbus.jobs.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The task book keeps its derived indexes (tablet to task, retry queue) in step with the awaited tasks. */
class TaskBookTest {
    private static final long T0 = 1_000_000;

    private static PendingTask upload(long signature, List<Long> tablets) {
        return PendingTask.sent(signature, AgentWork.Kind.UPLOAD, 7, tablets, T0, 10_000);
    }

    @Test
    void aSentTaskIsFoundByItsTabletsAndDueAfterItsBackoff() {
        TaskBook book = TaskBook.empty().sent(upload(11, List.of(1L, 2L)));

        assertThat(book.taskOfTablet()).containsEntry(1L, 11L).containsEntry(2L, 11L);
        assertThat(book.due(T0 + 9_999)).isEmpty();
        assertThat(book.due(T0 + 10_000)).extracting(PendingTask::signature).containsExactly(11L);
    }

    @Test
    void aRemovedTaskLeavesNoTraceInTheIndexesErrorsOrProgress() {
        TaskBook book = TaskBook.empty().sent(upload(11, List.of(1L))).withError(11, "boom").withProgress(11, "1/2")
                .removed(11);

        assertThat(book.pending()).isEmpty();
        assertThat(book.taskOfTablet()).isEmpty();
        assertThat(book.retryQueue()).isEmpty();
        assertThat(book.errors()).isEmpty();
        assertThat(book.progress()).isEmpty();
    }

    @Test
    void aRefreshMovesOnlyTheRetryTime() {
        PendingTask task = upload(11, List.of(1L));
        TaskBook book = TaskBook.empty().sent(task).refreshed(task.alive(T0 + 5_000));

        assertThat(book.retryQueue()).containsExactly(new RetryAt(T0 + 15_000, 11));
        assertThat(book.due(T0 + 10_000)).isEmpty();
    }

    @Test
    void aTaskIsHeldByItsNodeOnlyWhileARecentReportNamesIt() {
        PendingTask task = upload(11, List.of(1L));
        TaskBook book = TaskBook.empty().sent(task).withNodeReport(7, new NodeReport(T0, Set.of(11L)));

        assertThat(book.heldByNode(task, T0 + 40_000, 40_000)).isTrue();
        assertThat(book.heldByNode(task, T0 + 40_001, 40_000)).isFalse();
        assertThat(book.heldByNode(task.failed("x", T0), T0, 40_000)).isFalse();
    }

    @Test
    void onlySendsStillAwaitedGoOutButReleasesAlwaysDo() {
        TaskBook book = TaskBook.empty().sent(upload(11, List.of(1L)));
        AgentWork.Batch uploads = new AgentWork.Batch(7, AgentWork.Kind.UPLOAD, List.of(
                new AgentWork.Upload(11, java.util.Map.of(), List.of(1L)),
                new AgentWork.Upload(12, java.util.Map.of(), List.of(2L))));
        AgentWork.Batch releases = new AgentWork.Batch(7, AgentWork.Kind.RELEASE_SNAPSHOT,
                List.of(new AgentWork.Release(13, 1, "/snap")));

        assertThat(book.stillAwaited(List.of(uploads, releases))).satisfiesExactly(
                batch -> assertThat(batch.tasks()).extracting(AgentWork.Task::signature).containsExactly(11L),
                batch -> assertThat(batch).isSameAs(releases));
    }
}
