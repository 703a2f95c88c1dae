package io.snapbus.node.task;

import io.snapbus.node.rpc.NodeReporter;
import io.snapbus.node.tablet.CreateTabletSpec;
import io.snapbus.tabletformat.TabletColumn;
import io.snapbus.tabletformat.TabletKeysType;
import io.snapbus.node.tablet.TabletMeta;
import io.snapbus.tabletformat.TabletSchema;
import io.snapbus.node.tablet.TabletStore;
import io.snapbus.thrift.TAgentTaskRequest;
import io.snapbus.thrift.TFinishTaskRequest;
import io.snapbus.thrift.TKeysType;
import io.snapbus.thrift.TSnapbusCreateTabletReq;
import java.util.List;
import java.util.Optional;

/** CREATE (with snapbus's create-tablet request): makes an empty replica at the partition's version. */
public final class CreateTabletRunner implements TaskRunner {
    private final TabletStore store;

    public CreateTabletRunner(TabletStore store) {
        this.store = store;
    }

    @Override
    public Optional<String> validate(TAgentTaskRequest task) {
        if (!task.isSetSnapbus_create_tablet_req()) {
            return Optional.of("snapbus_create_tablet_req is missing (Doris's own create_tablet_req is not supported)");
        }
        TSnapbusCreateTabletReq request = task.getSnapbus_create_tablet_req();
        if (request.getVersion() < 1) {
            return Optional.of("version must be at least 1, got " + request.getVersion());
        }
        if (request.isSetKeys_type() && request.getKeys_type() == TKeysType.PRIMARY_KEYS) {
            return Optional.of("keys type PRIMARY_KEYS is not supported; use DUP_KEYS, UNIQUE_KEYS or AGG_KEYS");
        }
        if (request.getColumns() == null || request.getColumns().isEmpty()) {
            return Optional.of("a tablet needs at least one column");
        }
        return Optional.empty();
    }

    @Override
    public void run(TAgentTaskRequest task, TFinishTaskRequest report) {
        TSnapbusCreateTabletReq request = task.getSnapbus_create_tablet_req();
        List<TabletColumn> columns = request.getColumns().stream()
                .map(c -> new TabletColumn(c.getName(), c.getType(), c.isIs_key(), c.isNullable()))
                .toList();
        TabletKeysType keys = request.isSetKeys_type() ? TabletKeysType.valueOf(request.getKeys_type().name()) : TabletKeysType.DUP_KEYS;
        TabletMeta meta = store.create(new CreateTabletSpec(request.getTablet_id(), request.getSchema_hash(),
                request.getTable_id(), request.getPartition_id(), request.getIndex_id(),
                request.isSetReplica_id() ? request.getReplica_id() : -1L, request.getVersion(),
                new TabletSchema(columns, keys),
                request.isSetStorage_medium() ? request.getStorage_medium().name() : "HDD"));
        report.setFinish_tablet_infos(List.of(NodeReporter.tabletInfo(meta)));
    }
}
