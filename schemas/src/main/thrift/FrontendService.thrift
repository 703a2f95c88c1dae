// The service storage nodes call back: Doris's FE methods that backup needs. In snapbus the agent that
// owns a node serves it (the heartbeat tells the node which agent that is).

namespace java io.snapbus.thrift

include "Types.thrift"
include "Status.thrift"
include "MasterService.thrift"

// Progress of an UPLOAD/DOWNLOAD. task_id carries the task's signature. The answer is OK while the
// job still runs, CANCELLED when the node should stop.
struct TSnapshotLoaderReportRequest {
    1: required i64 job_id
    2: required i64 task_id
    3: required Types.TTaskType task_type
    4: optional i32 finished_num
    5: optional i32 total_num
}

service FrontendService {
    MasterService.TMasterResult finishTask(1: MasterService.TFinishTaskRequest request)
    MasterService.TMasterResult report(1: MasterService.TReportRequest request)
    Status.TStatus snapshotLoaderReport(1: TSnapshotLoaderReportRequest request)
}
