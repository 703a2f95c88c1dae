package io.snapbus.node;

import io.snapbus.thrift.FrontendService;
import io.snapbus.thrift.TFinishTaskRequest;
import io.snapbus.thrift.TMasterResult;
import io.snapbus.thrift.TReportRequest;
import io.snapbus.thrift.TSnapshotLoaderReportRequest;
import io.snapbus.thrift.TStatus;
import io.snapbus.thrift.TStatusCode;
import io.snapbus.thrift.TTaskType;
import io.snapbus.thrift.rpc.ThriftEndpoint;
import io.snapbus.thrift.rpc.ThriftServer;
import io.snapbus.thrift.rpc.ThriftServerConfig;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.thrift.transport.TTransportException;
import org.awaitility.Awaitility;

/**
 * A real FrontendService on 127.0.0.1 standing in for a backend-agent: records the finish reports, progress and
 * reports a storage node sends, and can answer progress of chosen jobs with CANCELLED.
 */
final class RecordingAgent implements FrontendService.Iface, AutoCloseable {
    final List<TFinishTaskRequest> finished = new CopyOnWriteArrayList<>();
    final List<TSnapshotLoaderReportRequest> progress = new CopyOnWriteArrayList<>();
    final List<TReportRequest> reports = new CopyOnWriteArrayList<>();
    private final Set<Long> cancelledJobs = ConcurrentHashMap.newKeySet();
    private final Set<Long> cancelledOnceProgressed = ConcurrentHashMap.newKeySet();
    private final ThriftServer server;

    RecordingAgent() throws TTransportException {
        server = new ThriftServer("test-agent", ThriftServerConfig.defaults(), new FrontendService.Processor<>(this))
                .start();
    }

    ThriftEndpoint endpoint() {
        return server.endpoint();
    }

    void cancelJob(long jobId) {
        cancelledJobs.add(jobId);
    }

    /** The job is cancelled when a progress report of it says a file is done (as a user's CANCEL mid-download). */
    void cancelJobOnceProgressed(long jobId) {
        cancelledOnceProgressed.add(jobId);
    }

    @Override
    public TMasterResult finishTask(TFinishTaskRequest request) {
        finished.add(request);
        return new TMasterResult(new TStatus(TStatusCode.OK));
    }

    @Override
    public TMasterResult report(TReportRequest request) {
        reports.add(request);
        return new TMasterResult(new TStatus(TStatusCode.OK));
    }

    @Override
    public TStatus snapshotLoaderReport(TSnapshotLoaderReportRequest request) {
        progress.add(request);
        if (request.getFinished_num() > 0 && cancelledOnceProgressed.contains(request.getJob_id())) {
            cancelledJobs.add(request.getJob_id());
        }
        return new TStatus(cancelledJobs.contains(request.getJob_id()) ? TStatusCode.CANCELLED : TStatusCode.OK);
    }

    /** Waits for the finish report of a task and returns it. */
    TFinishTaskRequest awaitFinish(TTaskType type, long signature) {
        return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> finished.stream()
                        .filter(f -> f.getTask_type() == type && f.getSignature() == signature)
                        .findFirst().orElse(null), f -> f != null);
    }

    long finishCount(TTaskType type, long signature) {
        return finished.stream().filter(f -> f.getTask_type() == type && f.getSignature() == signature).count();
    }

    @Override
    public void close() {
        server.stop();
    }
}
