// Outcome codes of every Doris agent RPC and task. Values are explicit on purpose: the code travels
// as an i32 and mixed-version clusters must agree on it (Doris stores it in one byte, so <= 255).

namespace java io.snapbus.thrift

enum TStatusCode {
    OK = 0,
    CANCELLED = 1,               // also the answer to a progress report of a job that no longer runs
    ANALYSIS_ERROR = 2,
    NOT_IMPLEMENTED_ERROR = 3,   // e.g. a snapshot of a tablet whose data was cooled down to remote storage
    RUNTIME_ERROR = 4,
    MEM_LIMIT_EXCEEDED = 5,
    INTERNAL_ERROR = 6,
    THRIFT_RPC_ERROR = 7,
    TIMEOUT = 8,
    KUDU_NOT_ENABLED = 9,        // retired upstream
    KUDU_NOT_SUPPORTED_ON_OS = 10, // retired upstream
    MEM_ALLOC_FAILED = 11,
    BUFFER_ALLOCATION_FAILED = 12,
    MINIMUM_RESERVATION_UNAVAILABLE = 13,
    PUBLISH_TIMEOUT = 14,
    LABEL_ALREADY_EXISTS = 15,
    TOO_MANY_TASKS = 16,
    ES_INTERNAL_ERROR = 17,
    ES_INDEX_NOT_FOUND = 18,
    ES_SHARD_NOT_FOUND = 19,
    ES_INVALID_CONTEXTID = 20,
    ES_INVALID_OFFSET = 21,
    ES_REQUEST_ERROR = 22,

    END_OF_FILE = 30,
    NOT_FOUND = 31,
    CORRUPTION = 32,
    INVALID_ARGUMENT = 33,       // e.g. a snapshot version above the tablet's max version
    IO_ERROR = 34,
    ALREADY_EXIST = 35,
    NETWORK_ERROR = 36,
    ILLEGAL_STATE = 37,
    NOT_AUTHORIZED = 38,
    ABORTED = 39,
    REMOTE_ERROR = 40,
    SERVICE_UNAVAILABLE = 41,    // no longer sent by newer nodes; kept so old senders decode
    UNINITIALIZED = 42,
    CONFIGURATION_ERROR = 43,
    INCOMPLETE = 44,
    OLAP_ERR_VERSION_ALREADY_MERGED = 45, // compaction merged the requested version away: backup must cancel
    DATA_QUALITY_ERROR = 46,

    VEC_EXCEPTION = 50,
    VEC_LOGIC_ERROR = 51,
    VEC_ILLEGAL_DIVISION = 52,
    VEC_BAD_CAST = 53,
    VEC_CANNOT_ALLOCATE_MEMORY = 54,
    VEC_CANNOT_MUNMAP = 55,
    VEC_CANNOT_MREMAP = 56,
    VEC_BAD_ARGUMENTS = 57,

    BINLOG_DISABLE = 60,
    BINLOG_TOO_OLD_COMMIT_SEQ = 61,
    BINLOG_TOO_NEW_COMMIT_SEQ = 62,
    BINLOG_NOT_FOUND_DB = 63,
    BINLOG_NOT_FOUND_TABLE = 64,

    SNAPSHOT_NOT_EXIST = 70,
    HTTP_ERROR = 71,
    TABLET_MISSING = 72,         // the node has no such tablet: try another replica
    NOT_MASTER = 73,

    DELETE_BITMAP_LOCK_ERROR = 100,
}

// A code plus human-readable detail; Doris nodes put one "(host)[CODE]message" entry in error_msgs.
struct TStatus {
    1: required TStatusCode status_code
    2: optional list<string> error_msgs
}
