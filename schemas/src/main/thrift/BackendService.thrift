// The service a storage node serves on its be_port. Doris's method names and argument ids for the
// agent calls; snapbus's load data path as extra methods prefixed snapbus_, which no Doris node has.

namespace java io.snapbus.thrift

include "Types.thrift"
include "Status.thrift"
include "AgentService.thrift"
include "MasterService.thrift"

// How the rows of a load batch are encoded.
enum TSnapbusLoadFormat {
    NDJSON = 0,        // one JSON object per line, keys are column names
    CSV = 1,           // one row per line, columns in tablet schema order
    AVRO_BINARY = 2,   // concatenated Avro binary records of the tablet's row schema
}

// Phase one of a load: write rows as a pending (invisible) rowset of the transaction.
struct TSnapbusLoadWriteRequest {
    1: required Types.TTransactionId txn_id
    2: required Types.TTabletId tablet_id
    3: required Types.TSchemaHash schema_hash
    4: required TSnapbusLoadFormat format
    5: required binary rows
    6: optional i64 row_count                          // lets the node check it parsed every row
}

// Phase two: make the transaction's pending rowset of a tablet visible as version [v-v].
struct TSnapbusLoadPublishRequest {
    1: required Types.TTransactionId txn_id
    2: required Types.TTabletId tablet_id
    3: required Types.TVersion version
}

// Drop the transaction's pending rowset of a tablet (the load failed elsewhere).
struct TSnapbusLoadAbortRequest {
    1: required Types.TTransactionId txn_id
    2: required Types.TTabletId tablet_id
}

// Outcome of a load call plus the tablet's state afterwards (absent when the tablet is unknown).
struct TSnapbusLoadResult {
    1: required Status.TStatus status
    2: optional MasterService.TTabletInfo tablet_info
}

// Read a page of a tablet's rows at a version (GET .../rows), in version order.
struct TSnapbusReadRowsRequest {
    1: required Types.TTabletId tablet_id
    2: required Types.TVersion version
    3: required i64 offset                             // rows to skip
    4: required i32 max_rows                           // rows in the page at most
}

// A page of rows as NDJSON in the load format (one object per line, keys are column names), so loading it
// reproduces them.
struct TSnapbusReadRowsResult {
    1: required Status.TStatus status
    2: optional binary rows
    3: optional i32 row_count                          // lines in rows
    4: optional i64 next_offset                        // offset of the next page
    5: optional bool eof                               // the page holds the tablet's last row
}

service BackendService {
    // Queue tasks; results come back later through FrontendService.finishTask.
    AgentService.TAgentResult submit_tasks(1: list<AgentService.TAgentTaskRequest> tasks)

    // Direct, synchronous snapshot calls (Doris uses them outside backup).
    AgentService.TAgentResult make_snapshot(1: AgentService.TSnapshotRequest snapshot_request)
    AgentService.TAgentResult release_snapshot(1: string snapshot_path)

    // snapbus load data path.
    TSnapbusLoadResult snapbus_load_write(1: TSnapbusLoadWriteRequest request)
    TSnapbusLoadResult snapbus_load_publish(1: TSnapbusLoadPublishRequest request)
    TSnapbusLoadResult snapbus_load_abort(1: TSnapbusLoadAbortRequest request)

    // snapbus read path: rows back, a page at a time.
    TSnapbusReadRowsResult snapbus_read_rows(1: TSnapbusReadRowsRequest request)
}
