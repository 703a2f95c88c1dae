package io.snapbus.node.rpc;

import io.snapbus.thrift.HeartbeatService;
import io.snapbus.thrift.TBackendInfo;
import io.snapbus.thrift.THeartbeatResult;
import io.snapbus.thrift.TMasterInfo;
import io.snapbus.thrift.TStatus;
import io.snapbus.thrift.TStatusCode;
import java.util.List;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers heartbeats: records which agent the node reports to and tells it the node's ports and start time. */
public final class HeartbeatHandler implements HeartbeatService.Iface {
    private static final Logger log = LoggerFactory.getLogger(HeartbeatHandler.class);
    public static final String VERSION = "snapbus-storage-node-0.1.0";

    private final ReportTarget target;
    private final IntSupplier bePort;
    private final long startTimeMs;
    private final Runnable onNewOwner;

    public HeartbeatHandler(ReportTarget target, IntSupplier bePort, long startTimeMs, Runnable onNewOwner) {
        this.target = target;
        this.bePort = bePort;
        this.startTimeMs = startTimeMs;
        this.onNewOwner = onNewOwner;
    }

    @Override
    public THeartbeatResult heartbeat(TMasterInfo info) {
        var before = target.current();
        TStatus status;
        if (target.accept(info)) {
            status = new TStatus(TStatusCode.OK);
            var after = target.current().orElseThrow();
            if (before.isEmpty() || !before.get().agent().equals(after.agent())) {
                log.info("now reporting to {} (epoch {}, backend id {})", after.agent(), after.epoch(),
                        after.backendId());
                onNewOwner.run();
            }
        } else {
            status = new TStatus(TStatusCode.CANCELLED);
            status.setError_msgs(List.of("heartbeat epoch " + info.getEpoch() + " is older than the current owner's "
                    + before.map(ReportTarget.Owner::epoch).orElse(-1L)));
        }
        TBackendInfo backend = new TBackendInfo(bePort.getAsInt(), 0);
        backend.setVersion(VERSION);
        backend.setBe_start_time(startTimeMs);
        return new THeartbeatResult(status, backend);
    }
}
