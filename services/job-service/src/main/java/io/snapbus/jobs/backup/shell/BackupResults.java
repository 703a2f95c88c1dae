package io.snapbus.jobs.backup.shell;

import io.snapbus.avro.TaskFinished;
import io.snapbus.avro.TaskProgress;
import io.snapbus.avro.TaskResult;
import io.snapbus.jobs.backup.BackupInput;
import io.snapbus.jobs.engine.shell.TaskChecksums;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What a node's task result means to a backup job: the input it becomes. */
final class BackupResults {
    private BackupResults() {}

    static BackupInput toInput(TaskResult result, long now) {
        if (result.getEvent() instanceof TaskProgress progress) {
            return new BackupInput.Progress(result.getSignature(), progress.getFinishedNum(), progress.getTotalNum(),
                    now);
        }
        TaskFinished finished = (TaskFinished) result.getEvent();
        var status = finished.getStatus();
        switch (result.getTaskType()) {
            case MAKE_SNAPSHOT:
                return new BackupInput.SnapshotFinished(result.getSignature(), status.getCode(), status.getCodeName(),
                        status.getErrorMsgs(), finished.getSnapshotPath(), finished.getSnapshotFiles(),
                        TaskChecksums.of(finished), now);
            case UPLOAD:
                Map<Long, List<String>> files = new HashMap<>();
                if (finished.getTabletFiles() != null) {
                    finished.getTabletFiles().forEach((tablet, names) -> files.put(Long.parseLong(tablet), names));
                }
                Map<Long, Long> bytes = new HashMap<>();
                if (finished.getTabletBytes() != null) {
                    finished.getTabletBytes().forEach((tablet, size) -> bytes.put(Long.parseLong(tablet), size));
                }
                return new BackupInput.UploadFinished(result.getSignature(), status.getCode(), status.getCodeName(),
                        status.getErrorMsgs(), files, bytes, now);
            default:
                return null; // RELEASE_SNAPSHOT is fire-and-forget, as in Doris
        }
    }
}
