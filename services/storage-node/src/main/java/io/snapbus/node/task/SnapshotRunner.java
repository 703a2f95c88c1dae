package io.snapbus.node.task;

import io.snapbus.node.tablet.Snapshot;
import io.snapbus.rows.ContentChecksum;
import io.snapbus.node.tablet.TabletStore;
import io.snapbus.thrift.TAgentTaskRequest;
import io.snapbus.thrift.TFinishTaskRequest;
import io.snapbus.thrift.TSnapbusTabletChecksum;
import io.snapbus.thrift.TSnapshotRequest;
import java.util.Map;
import java.util.Optional;

/**
 * MAKE_SNAPSHOT: hard-links the rowsets of a tablet at a version into a snapshot dir and lists its files; the report
 * also carries the tablet's rows and content checksum at that version (snapbus_tablet_checksums).
 */
public final class SnapshotRunner implements TaskRunner {
    private final TabletStore store;

    public SnapshotRunner(TabletStore store) {
        this.store = store;
    }

    @Override
    public Optional<String> validate(TAgentTaskRequest task) {
        return task.isSetSnapshot_req() ? Optional.empty() : Optional.of("snapshot_req is missing");
    }

    @Override
    public void run(TAgentTaskRequest task, TFinishTaskRequest report) {
        TSnapshotRequest request = task.getSnapshot_req();
        // Doris answers with an empty list on failure, and the job-service may rely on the field being set.
        report.setSnapshot_files(java.util.List.of());
        long version = request.isSetVersion() ? request.getVersion() : store.meta(request.getTablet_id()).version();
        long timeout = request.isSetTimeout() ? request.getTimeout() : 0;
        Snapshot snapshot = store.makeSnapshot(request.getTablet_id(), request.getSchema_hash(), version, timeout);
        report.setSnapshot_path(snapshot.root().toString());
        report.setSnapshot_files(snapshot.files());
        report.setSnapbus_tablet_checksums(Map.of(request.getTablet_id(), thrift(snapshot.checksum())));
    }

    static TSnapbusTabletChecksum thrift(ContentChecksum checksum) {
        return new TSnapbusTabletChecksum(checksum.rows(), checksum.checksum());
    }
}
