// Shared scalar aliases, enums and small structs of the Doris agent protocol, as snapbus uses them.
// Field ids, enum values and requiredness are Doris's (gensrc/thrift/Types.thrift), so the bytes on
// the wire are the same; only the Java namespace is ours.

namespace java io.snapbus.thrift

typedef i64 TTimestamp
typedef i64 TTableId
typedef i64 TTabletId
typedef i64 TReplicaId
typedef i64 TVersion
typedef i64 TVersionHash
typedef i32 TSchemaHash
typedef i32 TPort
typedef i64 TCount
typedef i64 TSize
typedef i32 TClusterId
typedef i64 TEpoch
typedef i64 TTransactionId
typedef i64 TPartitionId

// Where a tablet's data lives. A storage node reports it; S3 and REMOTE_CACHE mark cooled-down data.
enum TStorageMedium {
    HDD = 0,
    SSD = 1,
    S3 = 2,
    REMOTE_CACHE = 3,
}

// Every agent task kind Doris knows. Numbers are fixed: the enum travels as its i32 value, and newer
// Doris files number them explicitly with the ordinals the older files had implicitly.
enum TTaskType {
    CREATE = 0,
    DROP = 1,
    PUSH = 2,
    CLONE = 3,
    STORAGE_MEDIUM_MIGRATE = 4,
    ROLLUP = 5,                 // retired upstream
    SCHEMA_CHANGE = 6,          // retired upstream
    CANCEL_DELETE = 7,          // retired upstream
    MAKE_SNAPSHOT = 8,          // backup: hard-link a consistent version of a tablet
    RELEASE_SNAPSHOT = 9,       // backup: drop a snapshot dir once uploaded
    CHECK_CONSISTENCY = 10,
    UPLOAD = 11,                // backup: copy snapshot files to the repository
    DOWNLOAD = 12,              // restore: fetch files from the repository
    CLEAR_REMOTE_FILE = 13,
    MOVE = 14,                  // restore: move downloaded files into the tablet
    REALTIME_PUSH = 15,
    PUBLISH_VERSION = 16,
    CLEAR_ALTER_TASK = 17,
    CLEAR_TRANSACTION_TASK = 18,
    RECOVER_TABLET = 19,        // retired upstream
    STREAM_LOAD = 20,
    UPDATE_TABLET_META_INFO = 21,
    ALTER = 22,
    INSTALL_PLUGIN = 23,
    UNINSTALL_PLUGIN = 24,
    COMPACTION = 25,
    STORAGE_MEDIUM_MIGRATE_V2 = 26,
    NOTIFY_UPDATE_STORAGE_POLICY = 27, // retired upstream
    PUSH_COOLDOWN_CONF = 28,
    PUSH_STORAGE_POLICY = 29,
    ALTER_INVERTED_INDEX = 30,
    GC_BINLOG = 31,
    CLEAN_TRASH = 32,
    UPDATE_VISIBLE_VERSION = 33,
    CLEAN_UDF_CACHE = 34,
    PUSH_INDEX_POLICY = 35,
}

// Host and port of any Thrift endpoint (the agent's FrontendService, a broker, a peer node).
struct TNetworkAddress {
    1: required string hostname
    2: required i32 port
}

// Table key model; a create-tablet request carries it so the node knows how rows merge.
enum TKeysType {
    PRIMARY_KEYS = 0,
    DUP_KEYS = 1,
    UNIQUE_KEYS = 2,
    AGG_KEYS = 3,
}

enum TPriority {
    NORMAL = 0,
    HIGH = 1,
}

// Identifies the sending node in finish/report calls: the receiver matches it by host + be_port.
// Fields 4-6 are newer than 1-3, hence optional.
struct TBackend {
    1: required string host
    2: required TPort be_port
    3: required TPort http_port
    4: optional TPort brpc_port
    5: optional bool is_alive
    6: optional i64 id
}

// Kind of remote storage an UPLOAD/DOWNLOAD talks to.
enum TStorageBackendType {
    BROKER = 0,
    S3 = 1,
    HDFS = 2,
    JFS = 3,
    LOCAL = 4,
    OFS = 5,
    AZURE = 6,
}

// Snapshot layout versions: 3 was the alpha rowset layout, 4 the beta one. Requests always ask for 4,
// and a current node refuses anything else.
const i32 TSNAPSHOT_REQ_VERSION1 = 3
const i32 TSNAPSHOT_REQ_VERSION2 = 4
const i32 TPREFER_SNAPSHOT_REQ_VERSION = TSNAPSHOT_REQ_VERSION2
