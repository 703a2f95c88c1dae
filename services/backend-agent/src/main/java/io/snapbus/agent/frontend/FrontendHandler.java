package io.snapbus.agent.frontend;

import io.snapbus.agent.catalog.BackendDirectory;
import io.snapbus.agent.catalog.JobStates;
import io.snapbus.agent.ownership.BackendHeartbeats;
import io.snapbus.agent.report.AvroReports;
import io.snapbus.agent.report.ResultPublisher;
import io.snapbus.agent.task.SubmittedTasks;
import io.snapbus.avro.BackendStatusRecord;
import io.snapbus.avro.TabletChecksum;
import io.snapbus.avro.TabletInfo;
import io.snapbus.avro.TabletReportChunk;
import io.snapbus.avro.TaskFinished;
import io.snapbus.avro.TaskResult;
import io.snapbus.avro.TaskType;
import io.snapbus.contract.TaskSignatures;
import io.snapbus.thrift.FrontendService;
import io.snapbus.thrift.TBackend;
import io.snapbus.thrift.TFinishTaskRequest;
import io.snapbus.thrift.TMasterResult;
import io.snapbus.thrift.TReportRequest;
import io.snapbus.thrift.TSnapshotLoaderReportRequest;
import io.snapbus.thrift.TStatus;
import io.snapbus.thrift.TStatusCode;
import io.snapbus.thrift.TTaskType;
import io.snapbus.thrift.TTablet;
import io.snapbus.thrift.TTabletInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.thrift.TException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FrontendService storage nodes report to: finish reports become TaskResults (acknowledged by Kafka before the
 * node gets its answer), upload progress becomes TaskProgress (answered CANCELLED for a cancelled job), periodic
 * reports become backend status parts.
 */
public final class FrontendHandler implements FrontendService.Iface {
    private static final Logger log = LoggerFactory.getLogger(FrontendHandler.class);
    /** Tablets per tablet-report chunk, so no record nears the broker's size limit. */
    public static final int TABLETS_PER_CHUNK = 5000;

    private final BackendDirectory backends;
    private final JobStates jobs;
    private final ResultPublisher publisher;
    private final BackendHeartbeats heartbeats;
    private final SubmittedTasks submitted;

    public FrontendHandler(BackendDirectory backends, JobStates jobs, ResultPublisher publisher,
            BackendHeartbeats heartbeats, SubmittedTasks submitted) {
        this.backends = backends;
        this.jobs = jobs;
        this.publisher = publisher;
        this.heartbeats = heartbeats;
        this.submitted = submitted;
    }

    /**
     * Publishes the report and answers OK only once Kafka acknowledged it. When Kafka fails the call fails (the node
     * sees an application error) rather than answering a status: the storage node treats any answered status as
     * delivered, but retries a failed call with backoff, so the report is not lost.
     */
    @Override
    public TMasterResult finishTask(TFinishTaskRequest request) throws TException {
        long backendId = backendIdOf(request.getBackend());
        TaskFinished.Builder finished = TaskFinished.newBuilder()
                .setStatus(AvroReports.status(request.getTask_status()));
        if (request.isSetSnapshot_path()) {
            finished.setSnapshotPath(request.getSnapshot_path());
        }
        if (request.isSetSnapshot_files()) {
            finished.setSnapshotFiles(List.copyOf(request.getSnapshot_files()));
        }
        if (request.isSetTablet_files()) {
            Map<String, List<String>> files = new HashMap<>();
            request.getTablet_files().forEach((tablet, names) -> files.put(Long.toString(tablet), List.copyOf(names)));
            finished.setTabletFiles(files);
        }
        if (request.isSetFinish_tablet_infos()) {
            finished.setFinishTabletInfos(request.getFinish_tablet_infos().stream().map(AvroReports::tabletInfo)
                    .toList());
        }
        if (request.isSetDownloaded_tablet_ids()) {
            finished.setDownloadedTabletIds(List.copyOf(request.getDownloaded_tablet_ids()));
        }
        if (request.isSetSnapbus_tablet_bytes()) {
            Map<String, Long> bytes = new HashMap<>();
            request.getSnapbus_tablet_bytes().forEach((tablet, size) -> bytes.put(Long.toString(tablet), size));
            finished.setTabletBytes(bytes);
        }
        if (request.isSetCopy_size()) {
            finished.setBytesTransferred(request.getCopy_size());
        }
        if (request.isSetSnapbus_tablet_checksums()) {
            Map<String, TabletChecksum> checksums = new HashMap<>();
            request.getSnapbus_tablet_checksums().forEach((tablet, checksum) -> checksums.put(Long.toString(tablet),
                    AvroReports.checksum(checksum)));
            finished.setTabletChecksums(checksums);
        }
        if (request.getTask_type() == TTaskType.CHECK_CONSISTENCY && request.isSetRequest_version()) {
            finished.setCheckedVersion(request.getRequest_version());
        }
        if (request.isSetSnapbus_recorded_checksum()) {
            finished.setRecordedChecksum(AvroReports.checksum(request.getSnapbus_recorded_checksum()));
        }
        TaskResult result = publisher.result(backendId, request.getSignature(),
                AvroReports.taskType(request.getTask_type())).setEvent(finished.build()).build();
        try {
            publisher.publishResult(result);
        } catch (ResultPublisher.PublishException e) {
            log.warn("finish report of {} {} from backend {} not published, the node will retry: {}",
                    request.getTask_type(), request.getSignature(), backendId, e.getMessage());
            throw new TException("finish report not recorded: " + e.getMessage());
        }
        log.info("job {}: {} {} finished on backend {} with {}", result.getJobId(), request.getTask_type(),
                request.getSignature(), backendId, request.getTask_status().getStatus_code());
        return new TMasterResult(new TStatus(TStatusCode.OK));
    }

    @Override
    public TStatus snapshotLoaderReport(TSnapshotLoaderReportRequest request) {
        long signature = request.getTask_id();
        long backendId = submitted.backendOf(signature).orElse(-1L);
        TaskType type = AvroReports.taskType(request.getTask_type());
        publisher.publishResultAsync(publisher.progress(backendId, signature, type,
                request.isSetFinished_num() ? request.getFinished_num() : 0,
                request.isSetTotal_num() ? request.getTotal_num() : 0));
        long jobId = request.getJob_id();
        if (jobs.isCancelled(jobId) || jobs.isCancelled(TaskSignatures.owner(signature))) {
            TStatus cancelled = new TStatus(TStatusCode.CANCELLED);
            cancelled.setError_msgs(List.of("job " + jobId + " was cancelled"));
            return cancelled;
        }
        return new TStatus(TStatusCode.OK);
    }

    @Override
    public TMasterResult report(TReportRequest request) {
        long backendId = backendIdOf(request.getBackend());
        if (backendId < 0) {
            TStatus unknown = new TStatus(TStatusCode.NOT_FOUND);
            unknown.setError_msgs(List.of("backend " + request.getBackend() + " is not in the catalog"));
            return new TMasterResult(unknown);
        }
        if (request.isSetTasks()) {
            Map<String, List<Long>> running = new HashMap<>();
            request.getTasks().forEach((type, signatures) -> running.put(type.name(), List.copyOf(signatures)));
            heartbeats.runningTasks(backendId, running);
        }
        if (request.isSetTablets()) {
            try {
                publishTablets(backendId, request);
            } catch (ResultPublisher.PublishException e) {
                TStatus failed = new TStatus(TStatusCode.INTERNAL_ERROR);
                failed.setError_msgs(List.of("tablet report not recorded: " + e.getMessage()));
                return new TMasterResult(failed);
            }
        }
        return new TMasterResult(new TStatus(TStatusCode.OK));
    }

    private void publishTablets(long backendId, TReportRequest request) throws ResultPublisher.PublishException {
        List<TabletInfo> tablets = new ArrayList<>();
        for (TTablet tablet : request.getTablets().values()) {
            for (TTabletInfo info : tablet.getTablet_infos()) {
                tablets.add(AvroReports.tabletInfo(info));
            }
        }
        long reportVersion = request.isSetReport_version() ? request.getReport_version() : System.currentTimeMillis();
        int chunkCount = Math.max(1, (tablets.size() + TABLETS_PER_CHUNK - 1) / TABLETS_PER_CHUNK);
        List<BackendStatusRecord> parts = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (int n = 0; n < chunkCount; n++) {
            List<TabletInfo> slice = tablets.subList(n * TABLETS_PER_CHUNK,
                    Math.min(tablets.size(), (n + 1) * TABLETS_PER_CHUNK));
            parts.add(BackendStatusRecord.newBuilder()
                    .setBackendId(backendId)
                    .setAgentId(publisher.agentId())
                    .setReportedAtMs(now)
                    .setPart(TabletReportChunk.newBuilder()
                            .setReportVersion(reportVersion)
                            .setChunkIndex(n)
                            .setChunkCount(chunkCount)
                            .setTablets(new ArrayList<>(slice))
                            .build())
                    .build());
            keys.add(backendId + "/tablets/" + n);
        }
        publisher.publishBackendStatus(parts, keys);
    }

    /** The backend id a node names itself by: its id when the heartbeat gave it one, else host and port. */
    private long backendIdOf(TBackend backend) {
        if (backend == null) {
            return -1;
        }
        if (backend.isSetId() && backend.getId() >= 0) {
            return backend.getId();
        }
        return backends.byAddress(backend.getHost(), backend.getBe_port()).map(b -> b.getId()).orElse(-1L);
    }
}
