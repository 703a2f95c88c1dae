package io.snapbus.jobs.restore.shell;

import io.snapbus.avro.TaskFinished;
import io.snapbus.avro.TaskProgress;
import io.snapbus.avro.TaskResult;
import io.snapbus.avro.TaskType;
import io.snapbus.jobs.engine.shell.TaskChecksums;
import io.snapbus.jobs.restore.RestoreInput;

/** What a node's task result means to a restore job: the input it becomes. */
final class RestoreResults {
    private RestoreResults() {}

    static RestoreInput toInput(TaskResult result, long now) {
        if (result.getEvent() instanceof TaskProgress progress) {
            return new RestoreInput.Progress(result.getSignature(), progress.getFinishedNum(), progress.getTotalNum(),
                    now);
        }
        if (result.getTaskType() == TaskType.RELEASE_SNAPSHOT) {
            return null; // fire-and-forget, as in Doris
        }
        TaskFinished finished = (TaskFinished) result.getEvent();
        var status = finished.getStatus();
        return new RestoreInput.TaskFinished(result.getSignature(), status.getCode(), status.getCodeName(),
                status.getErrorMsgs(), finished.getSnapshotPath(), finished.getDownloadedTabletIds(),
                finished.getBytesTransferred(), TaskChecksums.of(finished), now);
    }
}
