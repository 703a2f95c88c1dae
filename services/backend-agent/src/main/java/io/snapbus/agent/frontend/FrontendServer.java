package io.snapbus.agent.frontend;

import io.snapbus.thrift.FrontendService;
import io.snapbus.thrift.rpc.ThriftEndpoint;
import io.snapbus.thrift.rpc.ThriftServer;
import io.snapbus.thrift.rpc.ThriftServerConfig;
import org.apache.thrift.transport.TTransportException;

/** Serves the agent's FrontendService (Thrift, Doris's wire format) on its host and port. */
public final class FrontendServer implements AutoCloseable {
    private final ThriftServer server;

    public FrontendServer(String agentId, String host, int port, FrontendService.Iface handler) {
        this.server = ThriftServer.serving(agentId + " FrontendService",
                ThriftServerConfig.defaults().withBindHost(host).withPort(port),
                new FrontendService.Processor<>(handler));
    }

    public void start() {
        try {
            server.start();
        } catch (TTransportException e) {
            throw new IllegalStateException("the agent cannot serve FrontendService: " + e.getMessage()
                    + "; free the port or set snapbus.agent.frontend-port", e);
        }
    }

    public ThriftEndpoint endpoint() {
        return server.endpoint();
    }

    @Override
    public void close() {
        server.stop();
    }
}
