package io.snapbus.node.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.thrift.TFinishTaskRequest;
import io.snapbus.thrift.TTaskType;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the node tells a re-sent task, and which tasks its task report names. */
class TaskRegistryTest {
    private static final TTaskType SNAPSHOT = TTaskType.MAKE_SNAPSHOT;
    private final TaskRegistry registry = new TaskRegistry(2);

    @Test
    void aTaskCountsAsRunningUntilItsFinishReportIsDelivered() {
        assertThat(registry.admit(SNAPSHOT, 1)).isEqualTo(TaskRegistry.Admission.RUN);
        assertThat(registry.running()).isEqualTo(Map.of(SNAPSHOT, Set.of(1L)));

        registry.finish(SNAPSHOT, 1, report(1));
        assertThat(registry.running()).as("finished, report still queued").isEqualTo(Map.of(SNAPSHOT, Set.of(1L)));
        assertThat(registry.admit(SNAPSHOT, 1)).as("a duplicate now queues nothing")
                .isEqualTo(TaskRegistry.Admission.ALREADY_RUNNING);

        registry.delivered(SNAPSHOT, 1);
        assertThat(registry.running()).isEmpty();
        assertThat(registry.admit(SNAPSHOT, 1)).as("the sender evidently missed it: the report again")
                .isEqualTo(TaskRegistry.Admission.ALREADY_FINISHED);
        assertThat(registry.finishedReport(SNAPSHOT, 1)).contains(report(1));
        assertThat(registry.running()).as("while that copy is on its way").isEqualTo(Map.of(SNAPSHOT, Set.of(1L)));
        assertThat(registry.admit(SNAPSHOT, 1)).isEqualTo(TaskRegistry.Admission.ALREADY_RUNNING);
    }

    @Test
    void onlyTheNewestFinishedReportsAreRemembered() {
        for (long signature = 1; signature <= 3; signature++) {
            registry.admit(SNAPSHOT, signature);
            registry.finish(SNAPSHOT, signature, report(signature));
            registry.delivered(SNAPSHOT, signature);
        }
        assertThat(registry.finishedReport(SNAPSHOT, 1)).isEmpty();
        assertThat(registry.admit(SNAPSHOT, 1)).as("forgotten: it runs again").isEqualTo(TaskRegistry.Admission.RUN);
        assertThat(registry.finishedReport(SNAPSHOT, 3)).contains(report(3));
    }

    private static TFinishTaskRequest report(long signature) {
        TFinishTaskRequest report = new TFinishTaskRequest();
        report.setTask_type(SNAPSHOT);
        report.setSignature(signature);
        return report;
    }
}
