package io.snapbus.node.task;

import io.snapbus.node.tablet.TabletStore;
import io.snapbus.thrift.TAgentTaskRequest;
import io.snapbus.thrift.TDropTabletReq;
import io.snapbus.thrift.TFinishTaskRequest;
import java.util.Optional;

/**
 * DROP (Doris's TDropTabletReq): removes a tablet replica from the data dir, durably; dropping a tablet the node does
 * not have succeeds, as in Doris, so a re-sent drop is harmless. Snapshot dirs already made of it stay.
 */
public final class DropTabletRunner implements TaskRunner {
    private final TabletStore store;

    public DropTabletRunner(TabletStore store) {
        this.store = store;
    }

    @Override
    public Optional<String> validate(TAgentTaskRequest task) {
        if (!task.isSetDrop_tablet_req()) {
            return Optional.of("drop_tablet_req is missing");
        }
        return task.getDrop_tablet_req().getTablet_id() <= 0
                ? Optional.of("tablet_id must be positive, got " + task.getDrop_tablet_req().getTablet_id())
                : Optional.empty();
    }

    @Override
    public void run(TAgentTaskRequest task, TFinishTaskRequest report) {
        TDropTabletReq request = task.getDrop_tablet_req();
        store.drop(request.getTablet_id(), request.isSetSchema_hash() ? request.getSchema_hash() : 0,
                request.isSetReplica_id() ? request.getReplica_id() : 0);
    }
}
