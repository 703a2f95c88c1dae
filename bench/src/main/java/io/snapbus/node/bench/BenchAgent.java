package io.snapbus.node.bench;

import io.snapbus.thrift.FrontendService;
import io.snapbus.thrift.TFinishTaskRequest;
import io.snapbus.thrift.TMasterResult;
import io.snapbus.thrift.TReportRequest;
import io.snapbus.thrift.TSnapshotLoaderReportRequest;
import io.snapbus.thrift.TStatus;
import io.snapbus.thrift.TStatusCode;
import io.snapbus.thrift.rpc.ThriftEndpoint;
import io.snapbus.thrift.rpc.ThriftServer;
import io.snapbus.thrift.rpc.ThriftServerConfig;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.thrift.transport.TTransportException;

/** The smallest FrontendService a benchmark needs: it keeps finish reports by signature and waits for them. */
final class BenchAgent implements FrontendService.Iface, AutoCloseable {
    private final Map<Long, TFinishTaskRequest> finished = new ConcurrentHashMap<>();
    private final ThriftServer server;

    BenchAgent() throws TTransportException {
        server = new ThriftServer("bench-agent", ThriftServerConfig.defaults(), new FrontendService.Processor<>(this))
                .start();
    }

    ThriftEndpoint endpoint() {
        return server.endpoint();
    }

    TFinishTaskRequest await(long signature, long timeoutSeconds) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            TFinishTaskRequest report = finished.get(signature);
            if (report != null) {
                return report;
            }
            Thread.sleep(5);
        }
        throw new TimeoutException("no finish report for task " + signature + " within " + timeoutSeconds + " s");
    }

    @Override
    public TMasterResult finishTask(TFinishTaskRequest request) {
        finished.put(request.getSignature(), request);
        return new TMasterResult(new TStatus(TStatusCode.OK));
    }

    @Override
    public TMasterResult report(TReportRequest request) {
        return new TMasterResult(new TStatus(TStatusCode.OK));
    }

    @Override
    public TStatus snapshotLoaderReport(TSnapshotLoaderReportRequest request) {
        return new TStatus(TStatusCode.OK);
    }

    @Override
    public void close() {
        server.stop();
    }
}
