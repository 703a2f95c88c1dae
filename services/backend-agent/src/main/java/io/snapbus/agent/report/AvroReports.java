package io.snapbus.agent.report;

import io.snapbus.avro.TabletChecksum;
import io.snapbus.avro.TabletInfo;
import io.snapbus.avro.TaskStatus;
import io.snapbus.avro.TaskType;
import io.snapbus.thrift.TSnapbusTabletChecksum;
import io.snapbus.thrift.TStatus;
import io.snapbus.thrift.TStatusCode;
import io.snapbus.thrift.TTabletInfo;
import io.snapbus.thrift.TTaskType;
import java.util.List;

/** Conversions from what nodes report over Thrift to the Avro records published on Kafka. */
public final class AvroReports {
    private AvroReports() {}

    public static TaskStatus status(TStatus status) {
        List<String> messages = status.isSetError_msgs() ? List.copyOf(status.getError_msgs()) : List.of();
        TStatusCode code = status.getStatus_code();
        return status(code == null ? TStatusCode.INTERNAL_ERROR.getValue() : code.getValue(),
                code == null ? "UNKNOWN" : code.name(), messages);
    }

    public static TaskStatus status(TStatusCode code, String message) {
        return status(code.getValue(), code.name(), message == null ? List.of() : List.of(message));
    }

    private static TaskStatus status(int code, String name, List<String> messages) {
        return TaskStatus.newBuilder().setCode(code).setCodeName(name).setErrorMsgs(messages).build();
    }

    public static TabletInfo tabletInfo(TTabletInfo info) {
        return TabletInfo.newBuilder()
                .setTabletId(info.getTablet_id())
                .setSchemaHash(info.getSchema_hash())
                .setVersion(info.getVersion())
                .setLastFailedVersion(info.isSetLast_failed_version() ? info.getLast_failed_version() : -1L)
                .setRowCount(info.getRow_count())
                .setDataSize(info.getData_size())
                .setVersionCount(info.isSetTotal_version_count() ? (int) info.getTotal_version_count() : 0)
                .setCoolDown(info.isSetRemote_data_size() && info.getRemote_data_size() > 0)
                .build();
    }

    public static TabletChecksum checksum(TSnapbusTabletChecksum checksum) {
        return TabletChecksum.newBuilder().setRowCount(checksum.getRow_count()).setChecksum(checksum.getChecksum())
                .build();
    }

    /** The Avro task type of a Thrift one; UNKNOWN for kinds snapbus does not publish. */
    public static TaskType taskType(TTaskType type) {
        if (type == null) {
            return TaskType.UNKNOWN;
        }
        return switch (type) {
            case CREATE -> TaskType.CREATE;
            case MAKE_SNAPSHOT -> TaskType.MAKE_SNAPSHOT;
            case RELEASE_SNAPSHOT -> TaskType.RELEASE_SNAPSHOT;
            case UPLOAD -> TaskType.UPLOAD;
            case DOWNLOAD -> TaskType.DOWNLOAD;
            case MOVE -> TaskType.MOVE;
            case PUBLISH_VERSION -> TaskType.PUBLISH_VERSION;
            case DROP -> TaskType.DROP;
            case CHECK_CONSISTENCY -> TaskType.CHECK_CONSISTENCY;
            default -> TaskType.UNKNOWN;
        };
    }
}
