package io.snapbus.thrift.rpc;

import io.snapbus.thrift.FrontendService;
import io.snapbus.thrift.TFinishTaskRequest;
import io.snapbus.thrift.TMasterResult;
import io.snapbus.thrift.TReportRequest;
import io.snapbus.thrift.TSnapshotLoaderReportRequest;
import io.snapbus.thrift.TStatus;
import io.snapbus.thrift.TStatusCode;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Test double of an agent's FrontendService endpoint: acknowledges and records every report. */
final class RecordingAgent implements FrontendService.Iface {

    private final BlockingQueue<TFinishTaskRequest> finished = new LinkedBlockingQueue<>();
    private final BlockingQueue<TSnapshotLoaderReportRequest> progress = new LinkedBlockingQueue<>();

    @Override
    public TMasterResult finishTask(TFinishTaskRequest request) {
        finished.add(request);
        return new TMasterResult(new TStatus(TStatusCode.OK));
    }

    @Override
    public TMasterResult report(TReportRequest request) {
        return new TMasterResult(new TStatus(TStatusCode.OK));
    }

    @Override
    public TStatus snapshotLoaderReport(TSnapshotLoaderReportRequest request) {
        progress.add(request);
        return new TStatus(TStatusCode.OK);
    }

    /** The next finish report, or fails the test when none arrives in time. */
    TFinishTaskRequest nextFinished(Duration timeout) throws InterruptedException {
        TFinishTaskRequest request = finished.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (request == null) {
            throw new AssertionError("no finishTask call within " + timeout);
        }
        return request;
    }

    int pendingFinished() {
        return finished.size();
    }
}
