// Liveness and ownership: whoever heartbeats a node tells it where to send finishTask/report
// (TMasterInfo.network_address), and learns the node's ports in return.

namespace java io.snapbus.thrift

include "Types.thrift"
include "Status.thrift"

struct TMasterInfo {
    1: required Types.TNetworkAddress network_address  // the FrontendService the node must report to
    2: required Types.TClusterId cluster_id
    3: required Types.TEpoch epoch                     // a node ignores heartbeats from an older epoch
    4: optional string token
    5: optional string backend_ip                      // how the cluster addresses the node
    6: optional Types.TPort http_port
    7: optional i64 heartbeat_flags
    8: optional i64 backend_id
}

struct TBackendInfo {
    1: required Types.TPort be_port
    2: required Types.TPort http_port
    3: optional Types.TPort be_rpc_port
    4: optional Types.TPort brpc_port
    5: optional string version
    6: optional i64 be_start_time                      // changes when the node process restarts
    7: optional string be_node_role
    8: optional bool is_shutdown
}

struct THeartbeatResult {
    1: required Status.TStatus status
    2: required TBackendInfo backend_info
}

service HeartbeatService {
    THeartbeatResult heartbeat(1: TMasterInfo master_info)
}
