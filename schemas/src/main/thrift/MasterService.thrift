// What storage nodes report back to the coordinator side (in snapbus: to the owning agent):
// task completions and periodic tablet/task reports. Doris ids throughout; snapbus additions from 20001.

namespace java io.snapbus.thrift

include "Types.thrift"
include "Status.thrift"

// State of one tablet replica on a node.
struct TTabletInfo {
    1: required Types.TTabletId tablet_id
    2: required Types.TSchemaHash schema_hash
    3: required Types.TVersion version                 // max continuous published version
    4: required Types.TVersionHash version_hash        // unused; send 0
    5: required Types.TCount row_count
    6: required Types.TSize data_size                  // bytes on local disk
    7: optional Types.TStorageMedium storage_medium
    8: optional list<Types.TTransactionId> transaction_ids
    9: optional i64 total_version_count                // number of rowsets; grows until compaction
    10: optional i64 path_hash
    11: optional bool version_miss
    12: optional bool used
    13: optional Types.TPartitionId partition_id
    14: optional bool is_in_memory
    15: optional Types.TReplicaId replica_id
    16: optional Types.TSize remote_data_size          // bytes cooled down to remote storage
    19: optional i64 cooldown_term

    // snapbus: Doris keeps a replica's last failed load version on the FE; our nodes report it so the
    // coordinator can rebuild it from reports.
    20001: optional i64 last_failed_version
}

// A node's report that one task finished (successfully or not).
// snapbus: what a tablet holds at a version, independent of row order: its row count and the sum modulo 2^64 of
// its rows' 64-bit hashes (io.snapbus.rows.CanonicalRow documents the bytes hashed).
struct TSnapbusTabletChecksum {
    1: required i64 row_count
    2: required i64 checksum
}

struct TFinishTaskRequest {
    1: required Types.TBackend backend                 // the receiver finds the node by host + be_port
    2: required Types.TTaskType task_type
    3: required i64 signature
    4: required Status.TStatus task_status
    5: optional i64 report_version
    6: optional list<TTabletInfo> finish_tablet_infos   // CREATE, PUSH, CLONE
    7: optional i64 tablet_checksum
    8: optional i64 request_version
    9: optional i64 request_version_hash
    10: optional string snapshot_path                  // MAKE_SNAPSHOT: the snapshot root dir
    11: optional list<Types.TTabletId> error_tablet_ids
    12: optional list<string> snapshot_files           // MAKE_SNAPSHOT: bare names in <root>/<tablet>/<schema_hash>/
    13: optional map<Types.TTabletId, list<string>> tablet_files // UPLOAD: "<file>.<md5>" per tablet
    14: optional list<Types.TTabletId> downloaded_tablet_ids     // DOWNLOAD
    15: optional i64 copy_size
    16: optional i64 copy_time_ms
    17: optional map<Types.TTabletId, Types.TVersion> succ_tablets // PUBLISH_VERSION
    18: optional map<i64, i64> table_id_to_delta_num_rows
    19: optional map<i64, map<i64, i64>> table_id_to_tablet_id_to_delta_num_rows
    // 20 is Doris cloud-only; 21-27 are used by a Doris fork: left free on purpose.
    // UPLOAD: bytes each tablet's files take in the repository once the task is done, files that were already
    // there included (copy_size counts only what this run copied), so a job can tell what its snapshot holds.
    20001: optional map<Types.TTabletId, i64> snapbus_tablet_bytes
    // MAKE_SNAPSHOT: the tablet's rows and content checksum at the snapshot version, as its rowsets recorded them
    // when they were written; CHECK_CONSISTENCY: the ones recomputed by reading every row back (tablet_checksum
    // carries the same checksum for a Doris reader).
    20002: optional map<Types.TTabletId, TSnapbusTabletChecksum> snapbus_tablet_checksums
    // CHECK_CONSISTENCY: rows read back at request_version (tablet_checksum is their checksum).
    20003: optional i64 snapbus_row_count
    // CHECK_CONSISTENCY: what the rowsets on the version path recorded when written; absent when one of them
    // predates checksums. Differing from the recomputed one means the stored rows changed: reported, not repaired.
    20004: optional TSnapbusTabletChecksum snapbus_recorded_checksum
}

// All replicas of one tablet id on a node (one per schema hash).
struct TTablet {
    1: required list<TTabletInfo> tablet_infos
}

// One data dir of a node.
struct TDisk {
    1: required string root_path
    2: required Types.TSize disk_total_capacity
    3: required Types.TSize data_used_capacity
    4: required bool used
    5: optional Types.TSize disk_available_capacity
    6: optional i64 path_hash
    7: optional Types.TStorageMedium storage_medium
    8: optional Types.TSize remote_used_capacity
    9: optional Types.TSize trash_used_capacity
}

// Periodic report: running task signatures (so lost tasks get re-sent), tablets, disks.
struct TReportRequest {
    1: required Types.TBackend backend
    2: optional i64 report_version
    3: optional map<Types.TTaskType, set<i64>> tasks
    4: optional map<Types.TTabletId, TTablet> tablets
    5: optional map<string, TDisk> disks               // keyed by root_path
    6: optional bool force_recovery
    7: optional list<TTablet> tablet_list
    8: optional i64 tablet_max_compaction_score
    13: optional map<Types.TPartitionId, Types.TVersion> partitions_version
}

struct TMasterResult {
    1: required Status.TStatus status
}
