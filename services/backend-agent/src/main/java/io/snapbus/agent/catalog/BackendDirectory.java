package io.snapbus.agent.catalog;

import io.snapbus.avro.BackendDef;
import io.snapbus.avro.CatalogRecord;
import io.snapbus.kafka.KafkaClients;
import io.snapbus.kafka.TopicFollower;
import io.snapbus.kafka.SnapbusTopic;
import io.snapbus.thrift.rpc.ThriftEndpoint;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The storage nodes of the cluster, as the catalog topic's BackendDef entries name them, kept up to date. */
public final class BackendDirectory implements AutoCloseable {
    private static final String KEY_PREFIX = "backend/";

    private final Map<Long, BackendDef> backends = new ConcurrentHashMap<>();
    private final KafkaClients clients;
    private volatile TopicFollower<CatalogRecord> follower;

    public BackendDirectory(KafkaClients clients) {
        this.clients = clients;
    }

    public void start() {
        follower = TopicFollower.follow(clients, clients.catalogue().name(SnapbusTopic.CATALOG),
                TopicFollower.From.BEGINNING, key -> true, this::apply);
    }

    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return follower.awaitCaughtUp(timeout);
    }

    void apply(String key, CatalogRecord record) {
        if (record == null) {
            if (key != null && key.startsWith(KEY_PREFIX)) {
                try {
                    backends.remove(Long.parseLong(key.substring(KEY_PREFIX.length())));
                } catch (NumberFormatException ignored) {
                    // not a backend key
                }
            }
            return;
        }
        if (record.getEntry() instanceof BackendDef backend) {
            backends.put(backend.getId(), backend);
        }
    }

    public Optional<BackendDef> get(long backendId) {
        return Optional.ofNullable(backends.get(backendId));
    }

    /** Waits up to {@code timeout} for a backend the catalog may not have delivered yet. */
    public Optional<BackendDef> await(long backendId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<BackendDef> found = get(backendId);
        while (found.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            found = get(backendId);
        }
        return found;
    }

    public List<BackendDef> all() {
        return List.copyOf(backends.values());
    }

    /** The backend a node names itself as in reports (host and BackendService port). */
    public Optional<BackendDef> byAddress(String host, int bePort) {
        return backends.values().stream()
                .filter(b -> b.getBePort() == bePort && b.getHost().equals(host))
                .findFirst();
    }

    public static ThriftEndpoint endpointOf(BackendDef backend) {
        return new ThriftEndpoint(backend.getHost(), backend.getBePort());
    }

    @Override
    public void close() {
        TopicFollower<?> started = follower;
        if (started != null) {
            started.close();
        }
    }
}
