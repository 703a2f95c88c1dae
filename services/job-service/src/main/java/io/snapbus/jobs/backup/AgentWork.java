package io.snapbus.jobs.backup;

import io.snapbus.avro.TabletRef;
import java.util.List;
import java.util.Map;

/** Agent tasks the job wants sent, as plain values; the shell turns them into AgentTaskBatch records. */
public final class AgentWork {
    private AgentWork() {}

    /** Which task type. */
    public enum Kind { MAKE_SNAPSHOT, UPLOAD, RELEASE_SNAPSHOT }

    /** Tasks of one kind for one backend. */
    public record Batch(long backendId, Kind kind, List<Task> tasks) {
        public Batch {
            tasks = List.copyOf(tasks);
        }
    }

    /** One task. */
    public sealed interface Task permits Snapshot, Upload, Release {
        long signature();
    }

    /** MAKE_SNAPSHOT of one tablet at a version. */
    public record Snapshot(long signature, TabletRef tablet, long version, long timeoutSeconds) implements Task {}

    /** UPLOAD of snapshot tablet dirs: local dir to remote dir (full URI under the repository location). */
    public record Upload(long signature, Map<String, String> srcDest, List<Long> tabletIds) implements Task {
        public Upload {
            srcDest = Map.copyOf(srcDest);
            tabletIds = List.copyOf(tabletIds);
        }
    }

    /** RELEASE_SNAPSHOT of one snapshot root. */
    public record Release(long signature, long tabletId, String snapshotPath) implements Task {}
}
