package io.snapbus.node.rpc;

import io.snapbus.thrift.TMasterInfo;
import io.snapbus.thrift.TNetworkAddress;
import io.snapbus.thrift.rpc.ThriftEndpoint;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Who this node reports to, as the latest heartbeat said: the agent that owns the node now. A heartbeat from an
 * older epoch is ignored (as Doris's BE does), so a stale owner cannot steal the reports back.
 */
public final class ReportTarget {
    /** What one accepted heartbeat told the node. */
    public record Owner(ThriftEndpoint agent, long epoch, long backendId, String token) {}

    private final AtomicReference<Owner> owner = new AtomicReference<>();
    private final Object changed = new Object();

    /** Applies a heartbeat; returns false when it came from an older epoch than the current owner's. */
    public boolean accept(TMasterInfo info) {
        TNetworkAddress address = info.getNetwork_address();
        Owner next = new Owner(new ThriftEndpoint(address.getHostname(), address.getPort()), info.getEpoch(),
                info.isSetBackend_id() ? info.getBackend_id() : -1L, info.isSetToken() ? info.getToken() : "");
        while (true) {
            Owner current = owner.get();
            if (current != null && next.epoch() < current.epoch()) {
                return false;
            }
            if (owner.compareAndSet(current, next)) {
                synchronized (changed) {
                    changed.notifyAll();
                }
                return true;
            }
        }
    }

    public Optional<Owner> current() {
        return Optional.ofNullable(owner.get());
    }

    /** Waits up to {@code millis} for a (new) owner to be known; returns the current one if any. */
    public Optional<Owner> awaitOwner(long millis) throws InterruptedException {
        synchronized (changed) {
            if (owner.get() == null) {
                changed.wait(millis);
            }
        }
        return current();
    }

    /** The backend id the coordinator gave this node, or -1 before the first heartbeat. */
    public long backendId() {
        return current().map(Owner::backendId).orElse(-1L);
    }
}
