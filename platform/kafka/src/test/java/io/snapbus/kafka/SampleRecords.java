package io.snapbus.kafka;

import io.snapbus.avro.AgentTask;
import io.snapbus.avro.AgentTaskBatch;
import io.snapbus.avro.BackendDef;
import io.snapbus.avro.BackendHeartbeat;
import io.snapbus.avro.BackendStatusRecord;
import io.snapbus.avro.BackupContent;
import io.snapbus.avro.BackupJobHeader;
import io.snapbus.avro.BackupJobRecord;
import io.snapbus.avro.BackupJobState;
import io.snapbus.avro.BackupMetaChunk;
import io.snapbus.avro.BackupTabletChunk;
import io.snapbus.avro.CatalogRecord;
import io.snapbus.avro.Column;
import io.snapbus.avro.CreateTabletRequest;
import io.snapbus.avro.DatabaseDef;
import io.snapbus.avro.IdAllocation;
import io.snapbus.avro.IndexMeta;
import io.snapbus.avro.JobErrorCode;
import io.snapbus.avro.JobEvent;
import io.snapbus.avro.JobEventKind;
import io.snapbus.avro.JobProgress;
import io.snapbus.avro.JobStatus;
import io.snapbus.avro.KeysType;
import io.snapbus.avro.LoadWriteRequest;
import io.snapbus.avro.OdbcResourceDef;
import io.snapbus.avro.OdbcTableDef;
import io.snapbus.avro.OlapTableDef;
import io.snapbus.avro.OlapTableType;
import io.snapbus.avro.PartitionDef;
import io.snapbus.avro.PendingTaskKind;
import io.snapbus.avro.PendingTaskState;
import io.snapbus.avro.PendingTaskStatus;
import io.snapbus.avro.PublishVersionRequest;
import io.snapbus.avro.ReleaseSnapshotRequest;
import io.snapbus.avro.Replica;
import io.snapbus.avro.ReplicaRestorePhase;
import io.snapbus.avro.ReplicaRestoreState;
import io.snapbus.avro.RepositoryDef;
import io.snapbus.avro.RepositoryRef;
import io.snapbus.avro.RestoreJobHeader;
import io.snapbus.avro.RestoreJobRecord;
import io.snapbus.avro.RestoreJobState;
import io.snapbus.avro.RestorePartitionPlan;
import io.snapbus.avro.RestorePlanChunk;
import io.snapbus.avro.RestoreReplicaChunk;
import io.snapbus.avro.RestoreSelection;
import io.snapbus.avro.RestoreSourceIndex;
import io.snapbus.avro.RestoreSourceTablet;
import io.snapbus.avro.RestoreSourceTablets;
import io.snapbus.avro.RestoreTableKind;
import io.snapbus.avro.RestoreTablePlan;
import io.snapbus.avro.RestoreTableRequest;
import io.snapbus.avro.RowFormat;
import io.snapbus.avro.SnapshotRequest;
import io.snapbus.avro.StorageType;
import io.snapbus.avro.TableRef;
import io.snapbus.avro.TabletBackupState;
import io.snapbus.avro.TabletChecksum;
import io.snapbus.avro.TabletChunk;
import io.snapbus.avro.TabletDef;
import io.snapbus.avro.TabletInfo;
import io.snapbus.avro.TabletPhase;
import io.snapbus.avro.TabletRef;
import io.snapbus.avro.TabletReportChunk;
import io.snapbus.avro.TaskFinished;
import io.snapbus.avro.TaskProgress;
import io.snapbus.avro.TaskResult;
import io.snapbus.avro.TaskStatus;
import io.snapbus.avro.TaskType;
import io.snapbus.avro.UploadRequest;
import io.snapbus.avro.ViewDef;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** One filled-in record of every topic value type, and of every branch of their unions. */
final class SampleRecords {
    private SampleRecords() {}

    /** A record bound for a topic under a key. */
    record Sample(SnapbusTopic topic, String key, SpecificRecord value) {}

    static List<Sample> all() {
        return List.of(
                new Sample(SnapbusTopic.AGENT_TASKS, "10002", snapshotBatch()),
                new Sample(SnapbusTopic.AGENT_TASKS, "10002", uploadBatch()),
                new Sample(SnapbusTopic.AGENT_TASKS, "10003", otherTaskBatch()),
                new Sample(SnapbusTopic.TASK_RESULTS, "7001", snapshotFinished()),
                new Sample(SnapbusTopic.TASK_RESULTS, "7001", uploadProgress()),
                new Sample(SnapbusTopic.BACKUP_JOBS, "7001", jobHeader()),
                new Sample(SnapbusTopic.BACKUP_JOBS, "7001/tablets/0", jobTablets()),
                new Sample(SnapbusTopic.BACKUP_JOBS, "7001/meta/0", jobMeta()),
                new Sample(SnapbusTopic.RESTORE_JOBS, "7002", restoreHeader()),
                new Sample(SnapbusTopic.RESTORE_JOBS, "7002/replicas/0", restoreReplicas()),
                new Sample(SnapbusTopic.RESTORE_JOBS, "7002/plan/0", restorePlan()),
                new Sample(SnapbusTopic.JOB_EVENTS, "7001", jobEvent()),
                new Sample(SnapbusTopic.CATALOG, "db/10001", catalog("db/10001", new DatabaseDef(10001L, "sales"))),
                new Sample(SnapbusTopic.CATALOG, "table/10010", catalog("table/10010", table())),
                new Sample(SnapbusTopic.CATALOG, "partition/10011", catalog("partition/10011", partition())),
                new Sample(SnapbusTopic.CATALOG, "tablets/10011/10012/0", catalog("tablets/10011/10012/0",
                        new TabletChunk(10010L, 10011L, 10012L, 0, 0, List.of(tabletDef())))),
                new Sample(SnapbusTopic.CATALOG, "view/10020", catalog("view/10020", view())),
                new Sample(SnapbusTopic.CATALOG, "odbc-table/10021", catalog("odbc-table/10021", odbcTable())),
                new Sample(SnapbusTopic.CATALOG, "resource/pg", catalog("resource/pg", odbcResource())),
                new Sample(SnapbusTopic.CATALOG, "backend/10002", catalog("backend/10002",
                        new BackendDef(10002L, "127.0.0.1", 9060, 0, false))),
                new Sample(SnapbusTopic.CATALOG, "repository/nightly", catalog("repository/nightly",
                        new RepositoryDef(repository(), 1_700_000_000_000L))),
                new Sample(SnapbusTopic.CATALOG, "ids", catalog("ids", new IdAllocation(20000L))),
                new Sample(SnapbusTopic.BACKENDS, "10002", heartbeat()),
                new Sample(SnapbusTopic.BACKENDS, "10002/tablets/0", tabletReport()));
    }

    static TabletRef tablet() {
        return new TabletRef(10001L, 10010L, 10011L, 10012L, 10013L, 123456789);
    }

    static RepositoryRef repository() {
        return new RepositoryRef(30001L, "nightly", StorageType.S3, "s3://backups/doris",
                Map.of("s3.endpoint", "http://127.0.0.1:9000", "s3.region", "us-east-1"), "nightly-s3", false, 2L);
    }

    static Column column(String name, String type, boolean key) {
        return new Column(name, type, key, !key, null, null, "");
    }

    static AgentTaskBatch snapshotBatch() {
        AgentTask task = AgentTask.newBuilder().setSignature(10013L).setTablet(tablet())
                .setRequest(new SnapshotRequest(5L, 86400L, true, 4)).build();
        return batch("7001-snapshot-1", TaskType.MAKE_SNAPSHOT, List.of(task));
    }

    static AgentTaskBatch uploadBatch() {
        AgentTask task = AgentTask.newBuilder().setSignature(50001L).setTablet(null)
                .setRequest(new UploadRequest(
                        Map.of("/data/snapshot/20240101000000.3.86400/10013/123456789",
                                "s3://backups/doris/__palo_repository_nightly/__ss_snap1/__ss_content/__db_10001/"
                                        + "__tbl_10010/__part_10011/__idx_10012/__10013"),
                        repository(), List.of(10013L)))
                .build();
        return batch("7001-upload-1", TaskType.UPLOAD, List.of(task));
    }

    static AgentTaskBatch otherTaskBatch() {
        AgentTask release = AgentTask.newBuilder().setSignature(10013L).setTablet(tablet())
                .setRequest(new ReleaseSnapshotRequest("/data/snapshot/20240101000000.3.86400")).build();
        AgentTask create = AgentTask.newBuilder().setSignature(60001L).setTablet(tablet())
                .setRequest(new CreateTabletRequest(40001L, 1L, KeysType.DUP_KEYS,
                        List.of(column("id", "BIGINT", true), column("amount", "DECIMAL(18,2)", false)), "HDD"))
                .build();
        AgentTask write = AgentTask.newBuilder().setSignature(60002L).setTablet(tablet())
                .setRequest(new LoadWriteRequest(900L, RowFormat.NDJSON,
                        ByteBuffer.wrap("{\"id\":1,\"amount\":\"2.50\"}\n".getBytes(StandardCharsets.UTF_8)), 1L))
                .build();
        AgentTask publish = AgentTask.newBuilder().setSignature(60003L).setTablet(tablet())
                .setRequest(new PublishVersionRequest(900L, 2L)).build();
        return batch("ddl-1", TaskType.CREATE, List.of(release, create, write, publish));
    }

    private static AgentTaskBatch batch(String id, TaskType type, List<AgentTask> tasks) {
        return AgentTaskBatch.newBuilder().setBatchId(id).setJobId(7001L).setBackendId(10002L).setTaskType(type)
                .setAttempt(1).setCreatedAtMs(1_700_000_000_000L).setDeadlineMs(0L).setTasks(tasks).build();
    }

    static TaskResult snapshotFinished() {
        TaskFinished finished = TaskFinished.newBuilder()
                .setStatus(new TaskStatus(0, "OK", List.of()))
                .setSnapshotPath("/data/snapshot/20240101000000.3.86400")
                .setSnapshotFiles(List.of("10013.hdr", "020000000000000001_0.dat"))
                .setTabletFiles(Map.of("10013", List.of("10013.hdr.0123456789abcdef0123456789abcdef")))
                .setFinishTabletInfos(List.of(new TabletInfo(10013L, 123456789, 5L, -1L, 100L, 4096L, 2, false)))
                .setDownloadedTabletIds(null)
                .build();
        return result(TaskType.MAKE_SNAPSHOT, finished);
    }

    static TaskResult uploadProgress() {
        return result(TaskType.UPLOAD, new TaskProgress(10, 40, 1_048_576L));
    }

    private static TaskResult result(TaskType type, Object event) {
        return TaskResult.newBuilder().setJobId(7001L).setBackendId(10002L).setAgentId("agent-1")
                .setSignature(10013L).setTaskType(type).setReportedAtMs(1_700_000_000_500L).setEvent(event).build();
    }

    static BackupJobRecord jobHeader() {
        BackupJobHeader header = BackupJobHeader.newBuilder()
                .setLabel("snap1").setDbId(10001L).setDbName("sales").setRepository(repository())
                .setState(BackupJobState.UPLOADING).setContent(BackupContent.ALL)
                .setTableRefs(List.of(new TableRef("orders", List.of("p202401")), new TableRef("items", null)))
                .setCreateTimeMs(1_700_000_000_000L).setSnapshotFinishedTimeMs(1_700_000_010_000L)
                .setTimeoutMs(86_400_000L).setStatus(new JobStatus(JobErrorCode.OK, ""))
                .setProperties(Map.of("content", "ALL")).setTableCommitSeqs(Map.of("10010", 42L))
                .setDroppedTableIds(List.of(10030L)).setDroppedPartitionIds(Map.of("10010", List.of(10040L)))
                .setTabletCount(1).setTabletChunkCount(1).setMetaChunkCount(1)
                .setTaskErrors(Map.of("50001", "connection refused"))
                .build();
        return new BackupJobRecord(7001L, 12L, header);
    }

    static BackupJobRecord jobTablets() {
        TabletBackupState state = TabletBackupState.newBuilder().setTablet(tablet()).setVersion(5L)
                .setBackendId(10002L).setReplicaId(40001L).setPhase(TabletPhase.SNAPSHOT_DONE)
                .setSnapshotSignature(10013L).setSnapshotAttempt(1)
                .setSnapshotPath("/data/snapshot/20240101000000.3.86400")
                .setFiles(List.of("10013.hdr", "020000000000000001_0.dat")).setUploadSignature(50001L)
                .setTriedBackendIds(List.of()).build();
        return new BackupJobRecord(7001L, 12L, new BackupTabletChunk(0, List.of(state)));
    }

    static BackupJobRecord jobMeta() {
        return new BackupJobRecord(7001L, 12L, new BackupMetaChunk(0,
                List.of(table(), partition(), view(), odbcTable(), odbcResource())));
    }

    static RestoreJobRecord restoreHeader() {
        RestoreJobHeader header = RestoreJobHeader.newBuilder()
                .setLabel("snap1").setDbName("sales").setRepositoryName("nightly").setSelection(RestoreSelection.ON)
                .setTables(List.of(new RestoreTableRequest("orders", List.of("p202401"), "orders_copy")))
                .setProperties(Map.of("backup_timestamp", "2024-01-01-00-00-00", "timeout", "86400"))
                .setRepository(repository()).setState(RestoreJobState.DOWNLOADING)
                .setCreateTimeMs(1_700_000_000_000L).setMetaPreparedTimeMs(1_700_000_001_000L)
                .setSnapshotFinishedTimeMs(1_700_000_002_000L).setStatus(new JobStatus(JobErrorCode.OK, ""))
                .setPlanned(true).setCatalogPrepared(true).setCommitStep(null)
                .setTaskErrors(Map.of("70020", "connection refused")).setNextTaskSeq(21L)
                .setReplicaCount(1).setReplicaChunkCount(1).setPlanChunkCount(1).build();
        return new RestoreJobRecord(7002L, 9L, header);
    }

    static RestoreJobRecord restoreReplicas() {
        ReplicaRestoreState replica = ReplicaRestoreState.newBuilder().setReplicaId(20003L).setBackendId(10002L)
                .setTablet(new TabletRef(10001L, 20000L, 20001L, 20002L, 20004L, 123456789)).setBucket(0)
                .setSource(tablet()).setVersion(5L).setExpected(new TabletChecksum(100L, -42L))
                .setPhase(ReplicaRestorePhase.SNAPSHOTTED).setSnapshotPath("/data/snapshot/20240101000000.3.86400")
                .setReplicaVersion(5L).setLastSuccessVersion(5L).setPendingTask(PendingTaskState.newBuilder().setSignature(70020L)
                        .setKind(PendingTaskKind.DOWNLOAD).setBackendId(10002L).setTabletIds(List.of(20003L))
                        .setSentAtMs(1_700_000_002_000L).setAttempt(2).setLastSentMs(1_700_000_012_000L)
                        .setBackoffMs(10_000L).setNextRetryMs(1_700_000_022_000L).setStatus(PendingTaskStatus.SENT)
                        .setLastError("connection refused").build()).build();
        return new RestoreJobRecord(7002L, 9L, new RestoreReplicaChunk(0, List.of(replica)));
    }

    static RestoreJobRecord restorePlan() {
        return new RestoreJobRecord(7002L, 8L, new RestorePlanChunk(0, List.of(
                new RestoreTablePlan("orders_copy", RestoreTableKind.NEW, table(), -1L),
                new RestorePartitionPlan("p202401", 10011L, 5L, List.of(new RestoreSourceIndex("orders", 10012L,
                        123456789)), partition(), List.of(10012L), -1L),
                new RestoreSourceTablets("orders", List.of(new RestoreSourceTablet(10013L, true,
                        List.of("10013.hdr.0123456789abcdef0123456789abcdef"), new TabletChecksum(100L, -42L)))),
                view(), odbcTable(), odbcResource())));
    }

    static JobEvent jobEvent() {
        return JobEvent.newBuilder().setEventId("7001-12").setJobId(7001L).setJobType("BACKUP").setLabel("snap1")
                .setDbName("sales").setRepositoryName("nightly").setSeq(12L).setTimestampMs(1_700_000_020_000L)
                .setKind(JobEventKind.STATE_CHANGED).setFromState("UPLOAD_SNAPSHOT").setState("UPLOADING")
                .setProgress(JobProgress.newBuilder().setSnapshotsDone(1).setSnapshotsTotal(1).setUploadsDone(0)
                        .setUploadsTotal(1).build()).setStatus(null).setMessage("").build();
    }

    static OlapTableDef table() {
        return OlapTableDef.newBuilder().setId(10010L).setDbId(10001L).setName("orders")
                .setTableType(OlapTableType.OLAP).setKeysType(KeysType.DUP_KEYS)
                .setColumns(List.of(column("id", "BIGINT", true), column("day", "DATE", true),
                        column("amount", "DECIMAL(18,2)", false)))
                .setPartitionColumns(List.of("day")).setDistributionColumns(List.of("id")).setDefaultBuckets(4)
                .setReplicationNum(3)
                .setIndexes(List.of(new IndexMeta(10012L, "orders", 123456789, List.of("id", "day", "amount"), true)))
                .setState("NORMAL").setProperties(Map.of()).setComment("").build();
    }

    static PartitionDef partition() {
        return PartitionDef.newBuilder().setId(10011L).setTableId(10010L).setName("p202401").setTemporary(false)
                .setRangeLower("2024-01-01").setRangeUpper("2024-02-01").setVisibleVersion(5L)
                .setVisibleVersionTimeMs(1_700_000_000_000L).setNextVersion(6L).setBuckets(4).build();
    }

    static TabletDef tabletDef() {
        return new TabletDef(10013L, List.of(new Replica(40001L, 10002L, 5L, -1L, 5L),
                new Replica(40002L, 10003L, 4L, 5L, 4L)));
    }

    static ViewDef view() {
        return new ViewDef(10020L, 10001L, "big_orders", "SELECT * FROM orders WHERE amount > 100",
                List.of(column("id", "BIGINT", false)));
    }

    static OdbcTableDef odbcTable() {
        return new OdbcTableDef(10021L, 10001L, "pg_customers", "pg", "crm", "customers",
                List.of(column("id", "BIGINT", true)));
    }

    static OdbcResourceDef odbcResource() {
        return new OdbcResourceDef("pg", Map.of("host", "127.0.0.1", "port", "5432", "type", "postgresql"), "pg");
    }

    private static CatalogRecord catalog(String key, Object entry) {
        return new CatalogRecord(key, 42L, entry);
    }

    static BackendStatusRecord heartbeat() {
        return new BackendStatusRecord(10002L, "agent-1", 1_700_000_000_000L,
                new BackendHeartbeat(true, "127.0.0.1", 9060, 1_700_000_000_000L, "", 1_699_999_000_000L, "0.1.0",
                        Map.of("UPLOAD", List.of(50001L))));
    }

    static BackendStatusRecord tabletReport() {
        return new BackendStatusRecord(10002L, "agent-1", 1_700_000_000_000L,
                new TabletReportChunk(3L, 0, 1, List.of(new TabletInfo(10013L, 123456789, 5L, -1L, 100L, 4096L, 2,
                        false))));
    }
}
