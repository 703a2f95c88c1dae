package io.snapbus.node.task;

import io.snapbus.node.rpc.NodeReporter;
import io.snapbus.node.tablet.TabletMeta;
import io.snapbus.node.tablet.TabletStore;
import io.snapbus.thrift.TAgentTaskRequest;
import io.snapbus.thrift.TFinishTaskRequest;
import io.snapbus.thrift.TMoveDirReq;
import java.util.List;
import java.util.Optional;

/**
 * MOVE (restore commit): swaps a downloaded snapshot dir in as the tablet's data, atomically and idempotently. Doris's
 * BE reports only the status; the tablet's new state is added as finish_tablet_infos.
 */
public final class MoveRunner implements TaskRunner {
    private final TabletStore store;

    public MoveRunner(TabletStore store) {
        this.store = store;
    }

    @Override
    public Optional<String> validate(TAgentTaskRequest task) {
        return task.isSetMove_dir_req() ? Optional.empty() : Optional.of("move_dir_req is missing");
    }

    @Override
    public void run(TAgentTaskRequest task, TFinishTaskRequest report) throws InterruptedException {
        TMoveDirReq request = task.getMove_dir_req();
        TabletMeta meta = store.move(request.getTablet_id(), request.getSchema_hash(), request.getSrc(),
                request.getJob_id(), request.isOverwrite());
        report.setFinish_tablet_infos(List.of(NodeReporter.tabletInfo(meta)));
    }
}
