package io.snapbus.node.rpc;

import io.snapbus.thrift.TBackend;
import java.util.function.IntSupplier;

/**
 * How this node names itself in reports: its host and BackendService port (known once the server listens), plus the
 * id the coordinator gave it.
 */
public record NodeIdentity(String host, IntSupplier bePort, ReportTarget target) {
    public TBackend backend() {
        TBackend backend = new TBackend(host, bePort.getAsInt(), 0);
        long id = target.backendId();
        if (id >= 0) {
            backend.setId(id);
        }
        return backend;
    }
}
