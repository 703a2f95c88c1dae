package io.snapbus.node.task;

import io.snapbus.node.tablet.TabletStore;
import io.snapbus.thrift.TAgentTaskRequest;
import io.snapbus.thrift.TFinishTaskRequest;
import java.util.Optional;

/** RELEASE_SNAPSHOT: deletes a snapshot root, refusing any path outside the node's snapshot dir. */
public final class ReleaseSnapshotRunner implements TaskRunner {
    private final TabletStore store;

    public ReleaseSnapshotRunner(TabletStore store) {
        this.store = store;
    }

    @Override
    public Optional<String> validate(TAgentTaskRequest task) {
        return task.isSetRelease_snapshot_req() ? Optional.empty() : Optional.of("release_snapshot_req is missing");
    }

    @Override
    public void run(TAgentTaskRequest task, TFinishTaskRequest report) {
        store.releaseSnapshot(task.getRelease_snapshot_req().getSnapshot_path());
    }
}
