package io.snapbus.node.rpc;

import io.snapbus.node.tablet.RowPage;
import io.snapbus.node.tablet.Snapshot;
import io.snapbus.node.tablet.StoreException;
import io.snapbus.node.tablet.TabletMeta;
import io.snapbus.node.tablet.TabletStore;
import io.snapbus.node.task.TaskDispatcher;
import io.snapbus.node.task.TaskFailures;
import io.snapbus.rows.LoadFormat;
import io.snapbus.rows.NdjsonWriter;
import io.snapbus.thrift.BackendService;
import io.snapbus.thrift.TAgentResult;
import io.snapbus.thrift.TAgentTaskRequest;
import io.snapbus.thrift.TSnapbusLoadAbortRequest;
import io.snapbus.thrift.TSnapbusLoadPublishRequest;
import io.snapbus.thrift.TSnapbusLoadResult;
import io.snapbus.thrift.TSnapbusLoadWriteRequest;
import io.snapbus.thrift.TSnapbusReadRowsRequest;
import io.snapbus.thrift.TSnapbusReadRowsResult;
import io.snapbus.thrift.TSnapshotRequest;
import io.snapbus.thrift.TStatusCode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * The node's BackendService: agent tasks go to the dispatcher; the direct snapshot calls and snapbus's load data
 * path (write a transaction's rows, publish it as a version, abort it) and its read path (a page of rows) go straight
 * to the tablet store. Failures are
 * answered as statuses, never as exceptions on the wire.
 */
public final class BackendServiceHandler implements BackendService.Iface {
    static final int MAX_ROWS_PER_PAGE = 10_000;

    private final String host;
    private final TaskDispatcher dispatcher;
    private final TabletStore store;

    public BackendServiceHandler(String host, TaskDispatcher dispatcher, TabletStore store) {
        this.host = host;
        this.dispatcher = dispatcher;
        this.store = store;
    }

    @Override
    public TAgentResult submit_tasks(List<TAgentTaskRequest> tasks) {
        return new TAgentResult(dispatcher.submit(tasks));
    }

    /**
     * As Doris's BackendService::make_snapshot: the reply carries the snapshot path and allow_incremental_clone on
     * success, and snapshot_version (the request's preferred_snapshot_version, TPREFER_SNAPSHOT_REQ_VERSION when the
     * sender left it out) on success and failure alike.
     */
    @Override
    public TAgentResult make_snapshot(TSnapshotRequest request) {
        TAgentResult result;
        try {
            Snapshot snapshot = store.makeSnapshot(request.getTablet_id(), request.getSchema_hash(),
                    request.isSetVersion() ? request.getVersion() : store.meta(request.getTablet_id()).version(),
                    request.isSetTimeout() ? request.getTimeout() : 0);
            result = new TAgentResult(TaskFailures.ok());
            result.setSnapshot_path(snapshot.root().toString());
            result.setAllow_incremental_clone(false);
        } catch (RuntimeException e) {
            result = new TAgentResult(TaskFailures.of(host, e));
        }
        result.setSnapshot_version(request.getPreferred_snapshot_version());
        return result;
    }

    @Override
    public TAgentResult release_snapshot(String snapshotPath) {
        try {
            store.releaseSnapshot(snapshotPath);
            return new TAgentResult(TaskFailures.ok());
        } catch (RuntimeException e) {
            return new TAgentResult(TaskFailures.of(host, e));
        }
    }

    @Override
    public TSnapbusLoadResult snapbus_load_write(TSnapbusLoadWriteRequest request) {
        return load(() -> {
            LoadFormat format = switch (request.getFormat()) {
                case NDJSON -> LoadFormat.NDJSON;
                case CSV -> LoadFormat.CSV;
                case AVRO_BINARY -> throw new IllegalArgumentException("load format AVRO_BINARY is not supported;"
                        + " send NDJSON or CSV");
            };
            requireSchemaHash(request.getTablet_id(), request.getSchema_hash());
            var written = store.writeRows(request.getTablet_id(), request.getTxn_id(), format, request.getRows());
            if (request.isSetRow_count() && request.getRow_count() != written.rowCount()) {
                store.abort(request.getTablet_id(), request.getTxn_id());
                throw new IllegalArgumentException("the request announced " + request.getRow_count()
                        + " rows but " + written.rowCount() + " were parsed; nothing was kept");
            }
            return store.get(request.getTablet_id()).orElseThrow();
        });
    }

    @Override
    public TSnapbusLoadResult snapbus_load_publish(TSnapbusLoadPublishRequest request) {
        return load(() -> store.publish(request.getTablet_id(), request.getTxn_id(), request.getVersion()));
    }

    @Override
    public TSnapbusLoadResult snapbus_load_abort(TSnapbusLoadAbortRequest request) {
        return load(() -> {
            store.abort(request.getTablet_id(), request.getTxn_id());
            return store.get(request.getTablet_id()).orElseThrow();
        });
    }

    /**
     * A page of a tablet's rows at a version as NDJSON in the load format; at most {@value #MAX_ROWS_PER_PAGE} rows
     * whatever the request asks, so no reply nears the Thrift frame limit.
     */
    @Override
    public TSnapbusReadRowsResult snapbus_read_rows(TSnapbusReadRowsRequest request) {
        try {
            RowPage page = store.readRows(request.getTablet_id(), request.getVersion(), request.getOffset(),
                    Math.min(Math.max(request.getMax_rows(), 0), MAX_ROWS_PER_PAGE));
            StringBuilder ndjson = new StringBuilder();
            for (Object[] row : page.rows()) {
                ndjson.append(NdjsonWriter.line(page.schema(), row)).append('\n');
            }
            TSnapbusReadRowsResult result = new TSnapbusReadRowsResult(TaskFailures.ok());
            result.setRows(ndjson.toString().getBytes(StandardCharsets.UTF_8));
            result.setRow_count(page.rows().size());
            result.setNext_offset(page.nextOffset());
            result.setEof(page.end());
            return result;
        } catch (RuntimeException e) {
            return new TSnapbusReadRowsResult(TaskFailures.of(host, e));
        }
    }

    private TSnapbusLoadResult load(Supplier<TabletMeta> action) {
        try {
            TSnapbusLoadResult result = new TSnapbusLoadResult(TaskFailures.ok());
            result.setTablet_info(NodeReporter.tabletInfo(action.get()));
            return result;
        } catch (RuntimeException e) {
            return new TSnapbusLoadResult(TaskFailures.of(host, e));
        }
    }

    private void requireSchemaHash(long tabletId, int schemaHash) {
        TabletMeta meta = store.meta(tabletId);
        if (meta.schemaHash() != schemaHash) {
            throw new StoreException(TStatusCode.TABLET_MISSING, "tablet " + tabletId
                    + " has schema hash " + meta.schemaHash() + ", not " + schemaHash);
        }
    }
}
