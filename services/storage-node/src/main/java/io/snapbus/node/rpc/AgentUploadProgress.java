package io.snapbus.node.rpc;

import io.snapbus.node.upload.UploadProgress;
import io.snapbus.thrift.FrontendService;
import io.snapbus.thrift.TSnapshotLoaderReportRequest;
import io.snapbus.thrift.TStatus;
import io.snapbus.thrift.TStatusCode;
import io.snapbus.thrift.TTaskType;
import io.snapbus.thrift.rpc.ThriftClientPool;
import org.apache.thrift.TException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends upload progress to the owning agent (snapshotLoaderReport). Only an explicit CANCELLED stops the upload: an
 * agent that cannot be reached is no reason to throw away work.
 */
public final class AgentUploadProgress implements UploadProgress {
    private static final Logger log = LoggerFactory.getLogger(AgentUploadProgress.class);

    private final ReportTarget target;
    private final ThriftClientPool<FrontendService.Client> agents;

    public AgentUploadProgress(ReportTarget target, ThriftClientPool<FrontendService.Client> agents) {
        this.target = target;
        this.agents = agents;
    }

    @Override
    public boolean report(long jobId, long signature, int finishedFiles, int totalFiles) {
        var owner = target.current();
        if (owner.isEmpty()) {
            return true;
        }
        TSnapshotLoaderReportRequest request = new TSnapshotLoaderReportRequest(jobId, signature, TTaskType.UPLOAD);
        request.setFinished_num(finishedFiles);
        request.setTotal_num(totalFiles);
        try {
            TStatus answer = agents.call(owner.get().agent(), c -> c.snapshotLoaderReport(request));
            return answer.getStatus_code() != TStatusCode.CANCELLED;
        } catch (TException e) {
            log.debug("progress of upload {} not delivered: {}", signature, e.getMessage());
            return true;
        }
    }
}
