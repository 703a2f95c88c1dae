package io.snapbus.thrift.rpc;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.apache.thrift.protocol.TType.BOOL;
import static org.apache.thrift.protocol.TType.I32;
import static org.apache.thrift.protocol.TType.I64;
import static org.apache.thrift.protocol.TType.LIST;
import static org.apache.thrift.protocol.TType.MAP;
import static org.apache.thrift.protocol.TType.STRING;
import static org.apache.thrift.protocol.TType.STRUCT;

import io.snapbus.thrift.BackendService;
import io.snapbus.thrift.FrontendService;
import io.snapbus.thrift.HeartbeatService;
import io.snapbus.thrift.TAgentServiceVersion;
import io.snapbus.thrift.TAgentTaskRequest;
import io.snapbus.thrift.TBackend;
import io.snapbus.thrift.TFinishTaskRequest;
import io.snapbus.thrift.TMasterInfo;
import io.snapbus.thrift.TMoveDirReq;
import io.snapbus.thrift.TNetworkAddress;
import io.snapbus.thrift.TReleaseSnapshotRequest;
import io.snapbus.thrift.TSnapbusColumn;
import io.snapbus.thrift.TSnapbusCreateTabletReq;
import io.snapbus.thrift.TSnapshotLoaderReportRequest;
import io.snapbus.thrift.TSnapshotRequest;
import io.snapbus.thrift.TStatus;
import io.snapbus.thrift.TStatusCode;
import io.snapbus.thrift.TStorageBackendType;
import io.snapbus.thrift.TStorageMedium;
import io.snapbus.thrift.TTabletInfo;
import io.snapbus.thrift.TTaskType;
import io.snapbus.thrift.TUploadReq;
import io.snapbus.thrift.TypesConstants;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.thrift.TDeserializer;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TField;
import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TMessageType;
import org.apache.thrift.protocol.TStruct;
import org.apache.thrift.transport.TMemoryBuffer;
import org.junit.jupiter.api.Test;

/**
 * The bytes we send are Doris's: field ids, wire types, enum numbers and method names checked by decoding
 * TBinaryProtocol by hand, against the ids of Doris's gensrc/thrift files.
 */
class WireCompatibilityTest {

    @Test
    void agentTaskRequestCarriesEachSubRequestAtItsDorisFieldId() throws TException {
        TAgentTaskRequest task = new TAgentTaskRequest(TAgentServiceVersion.V1, TTaskType.MAKE_SNAPSHOT, 10_005L);
        task.setUpload_req(new TUploadReq(42L, Map.of("/src", "/dst"), new TNetworkAddress("127.0.0.1", 0)));
        task.setSnapshot_req(new TSnapshotRequest(10_005L, 368_169_781));
        task.setRelease_snapshot_req(new TReleaseSnapshotRequest("/data/snapshot/20261124120000.7.86400"));
        task.setMove_dir_req(new TMoveDirReq(10_005L, 368_169_781, "/data/snapshot/x/10005/368169781", 42L, true));
        task.setRecv_time(1_700_000_000_000L);

        WireLayout wire = WireLayout.of(task);

        assertThat(wire.types()).containsExactly(
                entry((short) 1, I32),      // protocol_version
                entry((short) 2, I32),      // task_type
                entry((short) 3, I64),      // signature
                entry((short) 14, STRUCT),  // upload_req
                entry((short) 16, STRUCT),  // snapshot_req
                entry((short) 17, STRUCT),  // release_snapshot_req
                entry((short) 22, STRUCT),  // move_dir_req
                entry((short) 25, I64));    // recv_time
        assertThat(wire.value(1)).isEqualTo(0);
        assertThat(wire.value(2)).isEqualTo(8);
        assertThat(wire.value(3)).isEqualTo(10_005L);
        assertThat(wire.struct(17).types()).containsExactly(entry((short) 1, STRING));
        assertThat(wire.struct(22).types()).containsExactly(
                entry((short) 1, I64), entry((short) 2, I32), entry((short) 3, STRING),
                entry((short) 4, I64), entry((short) 5, BOOL));
    }

    @Test
    void snapshotRequestAsBackupSendsItKeepsDorisIdsAndTypes() throws TException {
        TSnapshotRequest snapshot = new TSnapshotRequest(10_005L, 368_169_781);
        snapshot.setVersion(7L);
        // Doris's FE sets it explicitly: an optional default is only sent when set.
        snapshot.setPreferred_snapshot_version(TypesConstants.TPREFER_SNAPSHOT_REQ_VERSION);
        snapshot.setTimeout(86_400L);
        snapshot.setList_files(true);
        snapshot.setIs_copy_tablet_task(false);

        WireLayout wire = WireLayout.of(snapshot);

        assertThat(wire.types()).containsExactly(
                entry((short) 1, I64),      // tablet_id
                entry((short) 2, I32),      // schema_hash
                entry((short) 3, I64),      // version
                entry((short) 5, I64),      // timeout
                entry((short) 7, BOOL),     // list_files
                entry((short) 9, I32),      // preferred_snapshot_version
                entry((short) 10, BOOL));   // is_copy_tablet_task
        assertThat(wire.value(9)).isEqualTo(4);
    }

    @Test
    void uploadRequestKeepsDorisIdsAndTheStorageBackendNumber() throws TException {
        TUploadReq upload = new TUploadReq(42L, Map.of("/src", "/dst"), new TNetworkAddress("127.0.0.1", 0));
        upload.setBroker_prop(Map.of("AWS_REGION", "us-east-1"));
        upload.setStorage_backend(TStorageBackendType.S3);
        upload.setLocation("s3://bucket/prefix");

        WireLayout wire = WireLayout.of(upload);

        assertThat(wire.types()).containsExactly(
                entry((short) 1, I64), entry((short) 2, MAP), entry((short) 3, STRUCT),
                entry((short) 4, MAP), entry((short) 5, I32), entry((short) 6, STRING));
        assertThat(wire.struct(3).types()).containsExactly(entry((short) 1, STRING), entry((short) 2, I32));
        assertThat(wire.value(5)).isEqualTo(1);
    }

    @Test
    void finishTaskRequestCarriesSnapshotAndUploadResultsAtDorisFieldIds() throws TException {
        TFinishTaskRequest snapshotDone = new TFinishTaskRequest(new TBackend("10.0.0.7", 9060, 8040),
                TTaskType.MAKE_SNAPSHOT, 10_005L, new TStatus(TStatusCode.OK));
        snapshotDone.setSnapshot_path("/data/snapshot/20261124120000.7.86400");
        snapshotDone.setSnapshot_files(List.of("10005.hdr"));
        TFinishTaskRequest uploadDone = new TFinishTaskRequest(new TBackend("10.0.0.7", 9060, 8040),
                TTaskType.UPLOAD, 90_001L, new TStatus(TStatusCode.OK));
        uploadDone.setTablet_files(Map.of(10_005L, List.of("10005.hdr.0cc175b9c0f1b6a831c399e269772661")));

        WireLayout snapshotWire = WireLayout.of(snapshotDone);
        WireLayout uploadWire = WireLayout.of(uploadDone);

        assertThat(snapshotWire.types()).containsExactly(
                entry((short) 1, STRUCT), entry((short) 2, I32), entry((short) 3, I64), entry((short) 4, STRUCT),
                entry((short) 10, STRING), entry((short) 12, LIST));
        assertThat(snapshotWire.value(2)).isEqualTo(8);
        assertThat(snapshotWire.struct(1).types()).containsExactly(
                entry((short) 1, STRING), entry((short) 2, I32), entry((short) 3, I32));
        assertThat(snapshotWire.struct(4).value(1)).isEqualTo(0);
        assertThat(uploadWire.types()).containsExactly(
                entry((short) 1, STRUCT), entry((short) 2, I32), entry((short) 3, I64), entry((short) 4, STRUCT),
                entry((short) 13, MAP));
        assertThat(uploadWire.value(2)).isEqualTo(11);
    }

    @Test
    void progressReportAndHeartbeatKeepDorisIds() throws TException {
        TSnapshotLoaderReportRequest progress = new TSnapshotLoaderReportRequest(42L, 90_001L, TTaskType.UPLOAD);
        progress.setFinished_num(3);
        progress.setTotal_num(10);
        TMasterInfo master = new TMasterInfo(new TNetworkAddress("127.0.0.1", 9020), 1, 5L);
        master.setBackend_id(10_001L);

        assertThat(WireLayout.of(progress).types()).containsExactly(
                entry((short) 1, I64), entry((short) 2, I64), entry((short) 3, I32),
                entry((short) 4, I32), entry((short) 5, I32));
        assertThat(WireLayout.of(master).types()).containsExactly(
                entry((short) 1, STRUCT), entry((short) 2, I32), entry((short) 3, I64), entry((short) 8, I64));
    }

    @Test
    void enumsTravelAsDorisNumbers() {
        assertThat(TTaskType.CREATE.getValue()).isZero();
        assertThat(TTaskType.MAKE_SNAPSHOT.getValue()).isEqualTo(8);
        assertThat(TTaskType.RELEASE_SNAPSHOT.getValue()).isEqualTo(9);
        assertThat(TTaskType.UPLOAD.getValue()).isEqualTo(11);
        assertThat(TTaskType.DOWNLOAD.getValue()).isEqualTo(12);
        assertThat(TTaskType.MOVE.getValue()).isEqualTo(14);
        assertThat(TTaskType.PUBLISH_VERSION.getValue()).isEqualTo(16);
        assertThat(Arrays.stream(TTaskType.values()).mapToInt(TTaskType::getValue).toArray())
                .as("every task type 0..35, each once").containsExactlyInAnyOrder(
                        IntStream.rangeClosed(0, 35).toArray());

        assertThat(TStatusCode.OK.getValue()).isZero();
        assertThat(TStatusCode.CANCELLED.getValue()).isEqualTo(1);
        assertThat(TStatusCode.NOT_IMPLEMENTED_ERROR.getValue()).isEqualTo(3);
        assertThat(TStatusCode.TOO_MANY_TASKS.getValue()).isEqualTo(16);
        assertThat(TStatusCode.INVALID_ARGUMENT.getValue()).isEqualTo(33);
        assertThat(TStatusCode.OLAP_ERR_VERSION_ALREADY_MERGED.getValue()).isEqualTo(45);
        assertThat(TStatusCode.TABLET_MISSING.getValue()).isEqualTo(72);

        assertThat(TAgentServiceVersion.V1.getValue()).isZero();
        assertThat(TStorageBackendType.LOCAL.getValue()).isEqualTo(4);
        assertThat(TStorageMedium.S3.getValue()).isEqualTo(2);
    }

    @Test
    void snapbusExtensionsUseFieldIdsDorisDoesNotUse() throws TException {
        TSnapbusCreateTabletReq create = new TSnapbusCreateTabletReq(10_005L, 368_169_781, 2L, 3L, 4L, 1L,
                List.of(new TSnapbusColumn("id", "BIGINT", true, false)));
        TAgentTaskRequest task = new TAgentTaskRequest(TAgentServiceVersion.V1, TTaskType.CREATE, 10_005L);
        task.setSnapbus_create_tablet_req(create);
        TTabletInfo tablet = new TTabletInfo(10_005L, 368_169_781, 7L, 0L, 100L, 4096L);
        tablet.setLast_failed_version(8L);

        assertThat(WireLayout.of(task).types()).containsExactly(
                entry((short) 1, I32), entry((short) 2, I32), entry((short) 3, I64), entry((short) 20001, STRUCT));
        assertThat(WireLayout.of(tablet).types()).containsExactly(
                entry((short) 1, I64), entry((short) 2, I32), entry((short) 3, I64), entry((short) 4, I64),
                entry((short) 5, I64), entry((short) 6, I64), entry((short) 20001, I64));
    }

    @Test
    void readerSkipsDorisFieldsItDoesNotDeclare() throws TException {
        // A task as a recent Doris FE could write it: with create_tablet_req (5), clean_trash_req (34) and a
        // cloud field (1000) that our IDL leaves out.
        TMemoryBuffer buffer = new TMemoryBuffer(256);
        TBinaryProtocol out = new TBinaryProtocol(buffer);
        out.writeStructBegin(new TStruct("TAgentTaskRequest"));
        writeI32(out, 1, 0);
        writeI32(out, 2, TTaskType.MAKE_SNAPSHOT.getValue());
        out.writeFieldBegin(new TField("signature", I64, (short) 3));
        out.writeI64(10_005L);
        out.writeFieldEnd();
        out.writeFieldBegin(new TField("create_tablet_req", STRUCT, (short) 5));
        out.writeStructBegin(new TStruct("TCreateTabletReq"));
        out.writeFieldBegin(new TField("tablet_id", I64, (short) 1));
        out.writeI64(99L);
        out.writeFieldEnd();
        out.writeFieldStop();
        out.writeStructEnd();
        out.writeFieldEnd();
        out.writeFieldBegin(new TField("snapshot_req", STRUCT, (short) 16));
        new TSnapshotRequest(10_005L, 368_169_781).setVersion(7L).write(out);
        out.writeFieldEnd();
        out.writeFieldBegin(new TField("clean_trash_req", STRUCT, (short) 34));
        out.writeStructBegin(new TStruct("TCleanTrashReq"));
        out.writeFieldStop();
        out.writeStructEnd();
        out.writeFieldEnd();
        writeI32(out, 1000, 12);
        out.writeFieldStop();
        out.writeStructEnd();

        TAgentTaskRequest read = new TAgentTaskRequest();
        new TDeserializer(new TBinaryProtocol.Factory()).deserialize(read, buffer.getArray());

        assertThat(read.getTask_type()).isEqualTo(TTaskType.MAKE_SNAPSHOT);
        assertThat(read.getSignature()).isEqualTo(10_005L);
        assertThat(read.getSnapshot_req().getTablet_id()).isEqualTo(10_005L);
        assertThat(read.getSnapshot_req().getVersion()).isEqualTo(7L);
        assertThat(read.isSetSnapbus_create_tablet_req()).isFalse();
    }

    @Test
    void callsUseDorisMethodNamesWithTheArgumentAtIdOne() throws TException {
        assertThat(firstMessage(buffer -> new BackendService.Client(new TBinaryProtocol(buffer))
                .send_submit_tasks(List.of()))).isEqualTo("submit_tasks(1:LIST)");
        assertThat(firstMessage(buffer -> new BackendService.Client(new TBinaryProtocol(buffer))
                .send_release_snapshot("/s"))).isEqualTo("release_snapshot(1:STRING)");
        assertThat(firstMessage(buffer -> new FrontendService.Client(new TBinaryProtocol(buffer))
                .send_finishTask(new TFinishTaskRequest(new TBackend("10.0.0.7", 9060, 8040),
                        TTaskType.UPLOAD, 1L, new TStatus(TStatusCode.OK))))).isEqualTo("finishTask(1:STRUCT)");
        assertThat(firstMessage(buffer -> new FrontendService.Client(new TBinaryProtocol(buffer))
                .send_snapshotLoaderReport(new TSnapshotLoaderReportRequest(42L, 1L, TTaskType.UPLOAD)))).isEqualTo("snapshotLoaderReport(1:STRUCT)");
        assertThat(firstMessage(buffer -> new HeartbeatService.Client(new TBinaryProtocol(buffer))
                .send_heartbeat(new TMasterInfo(new TNetworkAddress("127.0.0.1", 9020), 1, 1L)))).isEqualTo("heartbeat(1:STRUCT)");
    }

    private interface Send {
        void send(TMemoryBuffer buffer) throws TException;
    }

    /** {@code name(id:TYPE)} of the call message a client writes. */
    private static String firstMessage(Send send) throws TException {
        TMemoryBuffer buffer = new TMemoryBuffer(256);
        send.send(buffer);
        TBinaryProtocol in = new TBinaryProtocol(buffer);
        TMessage message = in.readMessageBegin();
        assertThat(message.type).isEqualTo(TMessageType.CALL);
        in.readStructBegin();
        TField argument = in.readFieldBegin();
        return message.name + "(" + argument.id + ":" + typeName(argument.type) + ")";
    }

    private static String typeName(byte type) {
        return switch (type) {
            case LIST -> "LIST";
            case STRING -> "STRING";
            case STRUCT -> "STRUCT";
            default -> "type " + type;
        };
    }

    private static void writeI32(TBinaryProtocol out, int id, int value) throws TException {
        out.writeFieldBegin(new TField("f" + id, I32, (short) id));
        out.writeI32(value);
        out.writeFieldEnd();
    }
}
