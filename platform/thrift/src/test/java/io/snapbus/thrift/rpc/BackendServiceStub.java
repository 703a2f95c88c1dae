package io.snapbus.thrift.rpc;

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
import io.snapbus.thrift.TStatus;
import io.snapbus.thrift.TStatusCode;
import java.util.List;
import org.apache.thrift.TException;

/** A BackendService that answers OK to everything; tests override the one method they script. */
class BackendServiceStub implements BackendService.Iface {

    static TAgentResult ok() {
        return new TAgentResult(new TStatus(TStatusCode.OK));
    }

    @Override
    public TAgentResult submit_tasks(List<TAgentTaskRequest> tasks) throws TException {
        return ok();
    }

    @Override
    public TAgentResult make_snapshot(TSnapshotRequest request) throws TException {
        return ok();
    }

    @Override
    public TAgentResult release_snapshot(String snapshotPath) throws TException {
        return ok();
    }

    @Override
    public TSnapbusLoadResult snapbus_load_write(TSnapbusLoadWriteRequest request) throws TException {
        return new TSnapbusLoadResult(new TStatus(TStatusCode.OK));
    }

    @Override
    public TSnapbusLoadResult snapbus_load_publish(TSnapbusLoadPublishRequest request) throws TException {
        return new TSnapbusLoadResult(new TStatus(TStatusCode.OK));
    }

    @Override
    public TSnapbusLoadResult snapbus_load_abort(TSnapbusLoadAbortRequest request) throws TException {
        return new TSnapbusLoadResult(new TStatus(TStatusCode.OK));
    }

    @Override
    public TSnapbusReadRowsResult snapbus_read_rows(TSnapbusReadRowsRequest request)
            throws TException {
        return new TSnapbusReadRowsResult(new TStatus(TStatusCode.NOT_IMPLEMENTED_ERROR));
    }
}
