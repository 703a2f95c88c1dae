package io.snapbus.node.task;

import io.snapbus.node.tablet.ConsistencyCheck;
import io.snapbus.node.tablet.TabletStore;
import io.snapbus.thrift.TAgentTaskRequest;
import io.snapbus.thrift.TCheckConsistencyReq;
import io.snapbus.thrift.TFinishTaskRequest;
import java.util.Map;
import java.util.Optional;

/**
 * CHECK_CONSISTENCY: reads every row of a tablet at a version back and answers their checksum as Doris's BE does
 * ({@code tablet_checksum}, {@code request_version}), with the row count and, when known, what the rowsets recorded
 * when they were written. A difference between the two is reported (and logged by the store), not repaired: the task
 * still succeeds, as Doris's does, and the receiver compares.
 */
public final class CheckConsistencyRunner implements TaskRunner {
    private final TabletStore store;

    public CheckConsistencyRunner(TabletStore store) {
        this.store = store;
    }

    @Override
    public Optional<String> validate(TAgentTaskRequest task) {
        return task.isSetCheck_consistency_req() ? Optional.empty() : Optional.of("check_consistency_req is missing");
    }

    @Override
    public void run(TAgentTaskRequest task, TFinishTaskRequest report) {
        TCheckConsistencyReq request = task.getCheck_consistency_req();
        report.setRequest_version(request.getVersion());
        report.setRequest_version_hash(request.getVersion_hash());
        ConsistencyCheck check = store.checkConsistency(request.getTablet_id(), request.getSchema_hash(),
                request.getVersion());
        report.setTablet_checksum(check.recomputed().checksum());
        report.setSnapbus_row_count(check.recomputed().rows());
        report.setSnapbus_tablet_checksums(Map.of(request.getTablet_id(), SnapshotRunner.thrift(check.recomputed())));
        check.recorded().ifPresent(recorded -> report.setSnapbus_recorded_checksum(SnapshotRunner.thrift(recorded)));
    }
}
