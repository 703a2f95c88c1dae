package io.snapbus.jobs.catalog;

import io.snapbus.avro.AgentTask;
import io.snapbus.avro.AgentTaskBatch;
import io.snapbus.avro.BackendDef;
import io.snapbus.avro.Column;
import io.snapbus.avro.CreateTabletRequest;
import io.snapbus.avro.IndexMeta;
import io.snapbus.avro.OlapTableDef;
import io.snapbus.avro.Replica;
import io.snapbus.avro.TabletDef;
import io.snapbus.avro.TabletRef;
import io.snapbus.avro.TaskFinished;
import io.snapbus.avro.TaskType;
import io.snapbus.jobs.JobServiceProperties;
import io.snapbus.jobs.api.ApiException;
import io.snapbus.jobs.task.TaskGateway;
import io.snapbus.jobs.task.TaskTimeoutException;
import io.snapbus.contract.TaskSignatures;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Creates the tablets of new partitions on the storage nodes: ids from the allocator, replicas placed round-robin on
 * distinct live backends, CREATE tasks batched per backend through the gateway, and a wait for every result. Nothing is
 * persisted here; a failure throws and leaves the catalog untouched (created replicas are not cleaned up).
 */
@Component
public class TabletCreator {
    private static final Logger log = LoggerFactory.getLogger(TabletCreator.class);

    private final CatalogView catalog;
    private final TaskGateway gateway;
    private final JobServiceProperties properties;

    public TabletCreator(CatalogView catalog, TaskGateway gateway, JobServiceProperties properties) {
        this.catalog = catalog;
        this.gateway = gateway;
        this.properties = properties;
    }

    /** A partition to create tablets for. */
    public record NewPartition(long partitionId, int buckets) {}

    /** A stable hash of an index's column list, positive, as Doris's schema hash. */
    public static int schemaHash(List<Column> columns) {
        CRC32 crc = new CRC32();
        for (Column column : columns) {
            crc.update((column.getName() + ":" + column.getType() + ":" + column.getIsKey() + ":"
                    + column.getNullable() + ";").getBytes(StandardCharsets.UTF_8));
        }
        int hash = (int) (crc.getValue() & 0x7fffffff);
        return hash == 0 ? 1 : hash;
    }

    /** The table's columns stored by an index, in index order. */
    public static List<Column> indexColumns(OlapTableDef table, IndexMeta index) {
        Map<String, Column> byName = new LinkedHashMap<>();
        table.getColumns().forEach(c -> byName.put(c.getName(), c));
        return index.getColumns().stream().map(byName::get).toList();
    }

    /** The live backends replicas may go to, in id order. */
    public List<BackendDef> liveBackends() {
        return catalog.backends().stream().filter(b -> !b.getDecommissioned()).toList();
    }

    /**
     * Creates the tablets of every index of the given partitions and returns them: partition id → index id → tablets in
     * bucket order, every replica at version 1.
     */
    public Map<Long, Map<Long, List<TabletDef>>> create(OlapTableDef table, List<NewPartition> partitions) {
        List<BackendDef> backends = liveBackends();
        int replication = table.getReplicationNum();
        if (replication > backends.size()) {
            throw ApiException.badRequest("Failed to find enough backends for replication num " + replication
                    + ": only " + backends.size() + " live backend(s)");
        }
        long operationId = catalog.nextId();
        long sequence = 0;
        int ordinal = (int) (table.getId() % Math.max(1, backends.size()));
        Map<Long, Map<Long, List<TabletDef>>> created = new LinkedHashMap<>();
        Map<Long, List<AgentTask>> tasksByBackend = new TreeMap<>();
        for (NewPartition partition : partitions) {
            Map<Long, List<TabletDef>> byIndex = new LinkedHashMap<>();
            for (IndexMeta index : table.getIndexes()) {
                List<Column> columns = indexColumns(table, index);
                List<TabletDef> tablets = new ArrayList<>();
                for (int bucket = 0; bucket < partition.buckets(); bucket++) {
                    long tabletId = catalog.nextId();
                    List<Replica> replicas = new ArrayList<>();
                    for (int r = 0; r < replication; r++) {
                        BackendDef backend = backends.get((ordinal + r) % backends.size());
                        long replicaId = catalog.nextId();
                        replicas.add(new Replica(replicaId, backend.getId(), 1L, -1L, 1L));
                        TabletRef ref = new TabletRef(table.getDbId(), table.getId(), partition.partitionId(),
                                index.getId(), tabletId, index.getSchemaHash());
                        CreateTabletRequest request = new CreateTabletRequest(replicaId, 1L, table.getKeysType(),
                                new ArrayList<>(columns), "HDD");
                        tasksByBackend.computeIfAbsent(backend.getId(), id -> new ArrayList<>())
                                .add(new AgentTask(TaskSignatures.of(operationId, sequence++), ref, request));
                    }
                    ordinal++;
                    tablets.add(new TabletDef(tabletId, replicas));
                }
                byIndex.put(index.getId(), tablets);
            }
            created.put(partition.partitionId(), byIndex);
        }
        List<AgentTaskBatch> batches = new ArrayList<>();
        long now = System.currentTimeMillis();
        tasksByBackend.forEach((backendId, tasks) -> batches.add(new AgentTaskBatch(operationId + "-create-"
                + backendId, operationId, backendId, TaskType.CREATE, 1, now,
                now + properties.taskTimeout().toMillis(), tasks)));
        Map<Long, TaskFinished> results = await(operationId, batches);
        List<String> failures = new ArrayList<>();
        for (AgentTaskBatch batch : batches) {
            for (AgentTask task : batch.getTasks()) {
                TaskFinished finished = results.get(task.getSignature());
                if (finished.getStatus().getCode() != 0) {
                    failures.add("tablet " + task.getTablet().getTabletId() + " on backend " + batch.getBackendId()
                            + ": " + finished.getStatus().getCodeName() + " " + finished.getStatus().getErrorMsgs());
                }
            }
        }
        if (!failures.isEmpty()) {
            throw new ApiException(HttpStatus.BAD_GATEWAY, "CREATE_TABLET_FAILED", "Failed to create "
                    + failures.size() + " replica(s) of table " + table.getName() + ": "
                    + String.join("; ", failures.stream().limit(10).toList()));
        }
        log.info("created {} replicas of table {} ({} partitions) in operation {}", results.size(), table.getName(),
                partitions.size(), operationId);
        return created;
    }

    private Map<Long, TaskFinished> await(long operationId, List<AgentTaskBatch> batches) {
        try {
            return gateway.sendAndAwait(operationId, batches, properties.taskTimeout()).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "INTERRUPTED", "interrupted while creating tablets");
        } catch (ExecutionException | CompletionException e) {
            if (e.getCause() instanceof TaskTimeoutException timeout) {
                throw timeout;
            }
            throw new ApiException(HttpStatus.BAD_GATEWAY, "AGENT_TASKS_FAILED", "cannot send CREATE tasks: "
                    + e.getCause().getMessage());
        }
    }
}
