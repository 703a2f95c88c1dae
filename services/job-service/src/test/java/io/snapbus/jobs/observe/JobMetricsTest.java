package io.snapbus.jobs.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snapbus.avro.TaskFinished;
import io.snapbus.avro.TaskProgress;
import io.snapbus.avro.TaskResult;
import io.snapbus.avro.TaskStatus;
import io.snapbus.avro.TaskType;
import io.snapbus.contract.TaskSignatures;
import io.snapbus.jobs.engine.AgentWork;
import io.snapbus.jobs.engine.PendingTask;
import io.snapbus.jobs.engine.Status;
import io.snapbus.jobs.engine.TaskRetry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobMetricsTest {
    private static final long JOB = 42;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final JobMetrics metrics = new JobMetrics(registry);

    @Test
    void anUploadReportDeliveredTwiceCountsItsTabletsFilesAndBytesOnce() {
        TaskResult upload = upload(TaskSignatures.of(JOB, 7), 0);
        metrics.taskFinished("backup", upload, 1_000L, 1_250L);
        metrics.taskFinished("backup", upload, 1_000L, 1_300L);

        assertThat(moved("snapbus.tablets.moved")).isEqualTo(2);
        assertThat(moved("snapbus.files.moved")).isEqualTo(3);
        assertThat(moved("snapbus.bytes.moved")).isEqualTo(300 + 500);
        assertThat(moved("snapbus.bytes.transferred")).isEqualTo(640);
        assertThat(registry.get("snapbus.task.latency").tags("type", "backup", "kind", "UPLOAD", "outcome", "ok")
                .timer().count()).isEqualTo(2);
    }

    @Test
    void aReportOfATaskTheJobNoLongerAwaitsMovesNothing() {
        metrics.taskFinished("backup", upload(TaskSignatures.of(JOB, 8), 0), null, 1_000L);

        assertThat(registry.find("snapbus.files.moved").counter()).isNull();
        assertThat(registry.find("snapbus.task.latency").timer()).isNull();
    }

    @Test
    void aFailedReportCountsAFailureAndMovesNothing() {
        metrics.taskFinished("backup", upload(TaskSignatures.of(JOB, 9), 5), 1_000L, 2_000L);

        assertThat(registry.get("snapbus.tasks.failed").tags("type", "backup", "kind", "UPLOAD").counter().count())
                .isEqualTo(1);
        assertThat(registry.find("snapbus.files.moved").counter()).isNull();
        assertThat(registry.get("snapbus.task.latency").tags("outcome", "failed").timer().totalTime(
                java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(1_000);
    }

    @Test
    void progressIsNoFinishReport() {
        TaskResult progress = result(TaskSignatures.of(JOB, 10), TaskType.UPLOAD, new TaskProgress(1, 3, 10L));
        metrics.taskFinished("backup", progress, 1_000L, 2_000L);

        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void aDownloadCountsItsTabletsAndFetchedBytes() {
        TaskFinished finished = TaskFinished.newBuilder().setStatus(new TaskStatus(0, "OK", List.of()))
                .setDownloadedTabletIds(List.of(1L, 2L, 3L)).setBytesTransferred(900).build();
        metrics.taskFinished("restore", result(TaskSignatures.of(JOB, 11), TaskType.DOWNLOAD, finished), 5L, 9L);

        assertThat(registry.get("snapbus.tablets.moved").tags("type", "restore", "direction", "download").counter()
                .count()).isEqualTo(3);
        assertThat(registry.get("snapbus.bytes.moved").tags("type", "restore", "direction", "download").counter()
                .count()).isEqualTo(900);
    }

    @Test
    void sendsAndResendsAreCountedApartByKind() {
        metrics.tasksSent("backup", "UPLOAD", 4, 0);
        metrics.tasksSent("backup", "UPLOAD", 1, 2);

        assertThat(registry.get("snapbus.tasks.sent").tags("kind", "UPLOAD").counter().count()).isEqualTo(5);
        assertThat(registry.get("snapbus.tasks.resent").tags("kind", "UPLOAD").counter().count()).isEqualTo(2);
    }

    @Test
    void theStatusAJobGaveUpWithNamesTheTasksKind() {
        PendingTask task = new PendingTask(TaskSignatures.of(JOB, 3), AgentWork.Kind.UPLOAD, 10001, List.of(5L),
                0, 3, 0, 10, 10, PendingTask.Status.FAILED, "IO_ERROR: disk full");
        Status gaveUp = new TaskRetry.GaveUp(task).status();

        assertThat(TaskRetry.gaveUpOn(gaveUp)).contains(AgentWork.Kind.UPLOAD);
        assertThat(TaskRetry.gaveUpOn(Status.of(Status.Code.COMMON_ERROR, "user cancelled"))).isEmpty();
        assertThat(TaskRetry.gaveUpOn(Status.OK)).isEmpty();
    }

    @Test
    void persistLatencyIsTimedByOutcome() {
        metrics.persisted("restore", 2_000_000, true);
        metrics.persisted("restore", 5_000_000, false);

        assertThat(registry.get("snapbus.persist.latency").tags("type", "restore", "outcome", "ok").timer().count())
                .isEqualTo(1);
        assertThat(registry.get("snapbus.persist.latency").tags("outcome", "refused").timer().count()).isEqualTo(1);
    }

    private double moved(String name) {
        return registry.get(name).tags("type", "backup", "direction", "upload").counter().count();
    }

    private static TaskResult upload(long signature, int code) {
        TaskFinished finished = TaskFinished.newBuilder()
                .setStatus(new TaskStatus(code, code == 0 ? "OK" : "IO_ERROR", List.of()))
                .setTabletFiles(Map.of("5", List.of("a.dat.1", "b.dat.2"), "6", List.of("c.dat.3")))
                .setTabletBytes(Map.of("5", 300L, "6", 500L))
                .setBytesTransferred(640).build();
        return result(signature, TaskType.UPLOAD, finished);
    }

    private static TaskResult result(long signature, TaskType type, Object event) {
        return TaskResult.newBuilder().setJobId(JOB).setBackendId(10001).setAgentId("agent-1")
                .setSignature(signature).setTaskType(type).setReportedAtMs(0).setEvent(event).build();
    }
}
