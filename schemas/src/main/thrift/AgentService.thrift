// Tasks the coordinator (through an agent) hands to a storage node with BackendService.submit_tasks.
// Doris structs keep Doris's field ids; snapbus additions use ids from 20001 up (in Doris structs) or
// live in TSnapbus* structs, so a Doris peer skips them as unknown fields.

namespace java io.snapbus.thrift

include "Types.thrift"
include "Status.thrift"

// The only agent protocol version there is; every request carries it.
enum TAgentServiceVersion {
    V1 = 0,
}

// MAKE_SNAPSHOT: hard-link the rowsets covering [0, version] of one tablet into a snapshot dir.
struct TSnapshotRequest {
    1: required Types.TTabletId tablet_id
    2: required Types.TSchemaHash schema_hash
    3: optional Types.TVersion version                 // backup sends the partition's visible version
    4: optional Types.TVersionHash version_hash        // unused; kept for old senders
    5: optional i64 timeout                            // seconds the snapshot dir may live
    6: optional list<Types.TVersion> missing_version   // incremental clone only
    7: optional bool list_files                        // backup asks for the file names in the reply
    8: optional bool allow_incremental_clone           // unused
    9: optional i32 preferred_snapshot_version = Types.TPREFER_SNAPSHOT_REQ_VERSION
    10: optional bool is_copy_tablet_task
    11: optional Types.TVersion start_version
    12: optional Types.TVersion end_version
    13: optional bool is_copy_binlog
    14: optional Types.TTabletId ref_tablet_id
}

// RELEASE_SNAPSHOT: delete a snapshot dir (the root MAKE_SNAPSHOT reported) after it was uploaded.
struct TReleaseSnapshotRequest {
    1: required string snapshot_path
    2: optional Types.TTabletId tablet_id
    3: optional bool is_job_completed                  // the owning job finished or was cancelled
}

// UPLOAD: copy local snapshot tablet dirs to repository dirs, naming each file <name>.<md5>.
struct TUploadReq {
    1: required i64 job_id
    2: required map<string, string> src_dest_map       // local <root>/<tablet>/<schema_hash> -> remote tablet dir
    3: required Types.TNetworkAddress broker_addr      // placeholder 127.0.0.1:0 when no broker is involved
    4: optional map<string, string> broker_prop        // storage properties (S3 endpoint, region, ...)
    5: optional Types.TStorageBackendType storage_backend = Types.TStorageBackendType.BROKER
    6: optional string location                        // repository root, e.g. s3://bucket/prefix
}

// One tablet of a snapshot held by another node (restore of a local snapshot, not from a repository).
struct TRemoteTabletSnapshot {
    1: optional i64 local_tablet_id
    2: optional string local_snapshot_path
    3: optional i64 remote_tablet_id
    4: optional i64 remote_be_id
    5: optional Types.TNetworkAddress remote_be_addr
    6: optional string remote_snapshot_path
    7: optional string remote_token
}

// DOWNLOAD: the reverse of UPLOAD, for restore.
struct TDownloadReq {
    1: required i64 job_id
    2: required map<string, string> src_dest_map       // remote tablet dir -> local snapshot tablet dir
    3: required Types.TNetworkAddress broker_addr
    4: optional map<string, string> broker_prop
    5: optional Types.TStorageBackendType storage_backend = Types.TStorageBackendType.BROKER
    6: optional string location
    7: optional list<TRemoteTabletSnapshot> remote_tablet_snapshots
}

// MOVE: replace a tablet's data with a downloaded snapshot dir (restore commit).
struct TMoveDirReq {
    1: required Types.TTabletId tablet_id
    2: required Types.TSchemaHash schema_hash
    3: required string src
    4: required i64 job_id
    5: required bool overwrite                         // always true; nodes only support overwrite
}

// DROP: delete a tablet replica from the node (DROP TABLE / PARTITION ... FORCE, recycle bin expiry, TRUNCATE).
// Snapshot dirs already made of the tablet stay; dropping a tablet the node does not have succeeds.
struct TDropTabletReq {
    1: required Types.TTabletId tablet_id
    2: optional Types.TSchemaHash schema_hash
    3: optional Types.TReplicaId replica_id = 0
    4: optional bool is_drop_table_or_partition = false
}

// CHECK_CONSISTENCY: compute the checksum of a tablet's rows at a version (Doris's ids). A snapbus node reads every
// row back and answers TFinishTaskRequest.tablet_checksum (see CanonicalRow/ContentChecksum in platform/rows),
// request_version, and snapbus_row_count / snapbus_tablet_checksums / snapbus_recorded_checksum.
struct TCheckConsistencyReq {
    1: required Types.TTabletId tablet_id
    2: required Types.TSchemaHash schema_hash
    3: required Types.TVersion version
    4: required Types.TVersionHash version_hash        // deprecated; 0
}

// snapbus: one column of a tablet schema, as the storage node needs it to write and check rows.
struct TSnapbusColumn {
    1: required string name
    2: required string type                            // SQL-ish type text, e.g. "BIGINT", "VARCHAR(64)"
    3: required bool is_key
    4: required bool nullable
}

// snapbus: create an empty tablet replica (Doris's own TCreateTabletReq at id 5 carries its internal
// schema format, which we do not reproduce). Sent with task_type CREATE at TAgentTaskRequest id 20001.
struct TSnapbusCreateTabletReq {
    1: required Types.TTabletId tablet_id
    2: required Types.TSchemaHash schema_hash
    3: required Types.TTableId table_id
    4: required Types.TPartitionId partition_id
    5: required i64 index_id
    6: optional Types.TReplicaId replica_id
    7: required Types.TVersion version                 // initial visible version of the empty tablet
    8: required list<TSnapbusColumn> columns
    9: optional Types.TKeysType keys_type = Types.TKeysType.DUP_KEYS
    10: optional Types.TStorageMedium storage_medium = Types.TStorageMedium.HDD
}

// One task. Exactly one sub-request matching task_type is set. Doris ids we do not use (5, 7-12, 18-21,
// 23, 24, 26 and up) are left out; a Doris sender's values there are skipped on read.
struct TAgentTaskRequest {
    1: required TAgentServiceVersion protocol_version
    2: required Types.TTaskType task_type
    3: required i64 signature                          // with task_type, identifies the task on a node
    4: optional Types.TPriority priority
    6: optional TDropTabletReq drop_tablet_req
    13: optional TCheckConsistencyReq check_consistency_req
    14: optional TUploadReq upload_req
    15: optional TDownloadReq download_req
    16: optional TSnapshotRequest snapshot_req
    17: optional TReleaseSnapshotRequest release_snapshot_req
    22: optional TMoveDirReq move_dir_req
    25: optional i64 recv_time                         // set by the node when it queues the task

    // snapbus extensions
    20001: optional TSnapbusCreateTabletReq snapbus_create_tablet_req
}

// Reply of submit_tasks (only status is set) and of the direct snapshot calls.
struct TAgentResult {
    1: required Status.TStatus status
    2: optional string snapshot_path
    3: optional bool allow_incremental_clone
    4: optional i32 snapshot_version = 1
}
