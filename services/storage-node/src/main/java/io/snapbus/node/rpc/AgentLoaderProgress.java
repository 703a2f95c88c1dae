package io.snapbus.node.rpc;

import io.snapbus.node.restore.DownloadProgress;
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
 * Sends upload or download progress to the owning agent (snapshotLoaderReport, with the task type). Only an explicit
 * CANCELLED stops the task: an agent that cannot be reached is no reason to throw away work.
 */
public final class AgentLoaderProgress implements UploadProgress, DownloadProgress {
    private static final Logger log = LoggerFactory.getLogger(AgentLoaderProgress.class);

    private final ReportTarget target;
    private final ThriftClientPool<FrontendService.Client> agents;
    private final TTaskType type;

    private AgentLoaderProgress(ReportTarget target, ThriftClientPool<FrontendService.Client> agents, TTaskType type) {
        this.target = target;
        this.agents = agents;
        this.type = type;
    }

    public static AgentLoaderProgress ofUploads(ReportTarget target, ThriftClientPool<FrontendService.Client> agents) {
        return new AgentLoaderProgress(target, agents, TTaskType.UPLOAD);
    }

    public static AgentLoaderProgress ofDownloads(ReportTarget target,
            ThriftClientPool<FrontendService.Client> agents) {
        return new AgentLoaderProgress(target, agents, TTaskType.DOWNLOAD);
    }

    @Override
    public boolean report(long jobId, long signature, int finishedFiles, int totalFiles) {
        var owner = target.current();
        if (owner.isEmpty()) {
            return true;
        }
        TSnapshotLoaderReportRequest request = new TSnapshotLoaderReportRequest(jobId, signature, type);
        request.setFinished_num(finishedFiles);
        request.setTotal_num(totalFiles);
        try {
            TStatus answer = agents.call(owner.get().agent(), c -> c.snapshotLoaderReport(request));
            return answer.getStatus_code() != TStatusCode.CANCELLED;
        } catch (TException e) {
            log.debug("progress of {} {} not delivered: {}", type, signature, e.getMessage());
            return true;
        }
    }
}
