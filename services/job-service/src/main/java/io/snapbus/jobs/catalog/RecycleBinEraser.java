package io.snapbus.jobs.catalog;

import io.snapbus.avro.AgentTask;
import io.snapbus.avro.AgentTaskBatch;
import io.snapbus.avro.DropTabletRequest;
import io.snapbus.avro.RecycledObject;
import io.snapbus.avro.TaskFinished;
import io.snapbus.avro.TaskType;
import io.snapbus.jobs.JobServiceProperties;
import io.snapbus.jobs.StartupOrder;
import io.snapbus.jobs.TickingService;
import io.snapbus.jobs.task.TaskGateway;
import io.snapbus.contract.TaskSignatures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Erases what is due in the recycle bin (Doris's recycle bin daemon): every {@code trash-check-interval}, and at once
 * after a FORCE drop or a TRUNCATE, each expired or FORCE-dropped entry has its replicas dropped on every node through
 * DROP tasks; once all of them succeeded (a node without the tablet answers OK) the entry and its tablets leave the
 * catalog. An entry whose drops did not all succeed stays and is tried again on the next tick, so an erase survives a
 * restart of the job-service (the bin is in the catalog topic) and a node that was down.
 */
@Component
public class RecycleBinEraser extends TickingService {
    private static final Logger log = LoggerFactory.getLogger(RecycleBinEraser.class);
    /** Replicas per DROP batch of one backend (the gateway splits larger records further). */
    private static final int TASKS_PER_BATCH = 1000;

    private final Catalog catalog;
    private final TaskGateway gateway;
    private final CatalogProperties properties;
    private final JobServiceProperties jobProperties;

    public RecycleBinEraser(Catalog catalog, TaskGateway gateway, CatalogProperties properties,
            JobServiceProperties jobProperties) {
        super("recycle-bin-eraser", StartupOrder.RECYCLE_BIN);
        this.catalog = catalog;
        this.gateway = gateway;
        this.properties = properties;
        this.jobProperties = jobProperties;
    }

    @Override
    public void start() {
        super.start();
        log.info("recycle bin: {} entries, trash expires after {} s, checked every {} ms", catalog.recycleBin().size(),
                properties.trashExpireSeconds(), properties.trashCheckInterval().toMillis());
    }

    /** After the catalog, which it reads and writes: at once, then every trash-check-interval. */
    @Override
    protected Duration firstDelay() {
        return Duration.ZERO;
    }

    @Override
    protected Duration interval() {
        return properties.trashCheckInterval();
    }

    @Override
    protected void tick() {
        eraseDue();
    }

    /** Erases what is due now instead of at the next tick (after a FORCE drop or a TRUNCATE). */
    public void eraseSoon() {
        eraseAfter(Duration.ZERO);
    }

    /** A pass once {@code delay} passed (a restore's replaced objects, due after their read grace), not at the tick. */
    public void eraseAfter(Duration delay) {
        // A millisecond past the expiry: due() takes an entry whose expiry is not after the clock.
        tickAfter(delay.isZero() ? delay : delay.plusMillis(1));
    }

    /** One pass: every due entry, partitions before tables before databases. Runs on the timer thread only. */
    void eraseDue() {
        try {
            for (RecycledObject entry : RecycleBin.due(catalog.currentState(), System.currentTimeMillis())) {
                if (!isRunning()) {
                    return;
                }
                erase(entry);
            }
        } catch (RuntimeException e) {
            log.warn("recycle bin: erase pass failed, retried in {}: {}", properties.trashCheckInterval(),
                    e.toString());
        }
    }

    private void erase(RecycledObject entry) {
        List<RecycleBin.DoomedReplica> replicas = RecycleBin.replicas(catalog.currentState(), entry);
        Set<Long> backends = catalog.backends().stream().map(b -> b.getId()).collect(Collectors.toSet());
        List<RecycleBin.DoomedReplica> reachable = replicas.stream().filter(r -> backends.contains(r.backendId()))
                .toList();
        if (!reachable.isEmpty()) {
            List<String> failures = dropReplicas(entry, reachable);
            if (!failures.isEmpty()) {
                log.warn("recycle bin: {} kept, {} of {} replica drops failed (retried in {}): {}",
                        RecycleBin.describe(entry), failures.size(), reachable.size(),
                        properties.trashCheckInterval(), String.join("; ", failures.stream().limit(5).toList()));
                return;
            }
        }
        catalog.update(change -> {
            if (change.base().recycleBin().containsKey(entry.getId())) {
                RecycleBin.erase(change, entry);
            }
            return null;
        });
        log.info("recycle bin: erased {} ({}), {} replicas dropped on the nodes", RecycleBin.describe(entry),
                entry.getForce() ? "dropped with FORCE" : "expired", reachable.size());
    }

    /** Sends a DROP task for every replica and waits for all results; returns what failed. */
    private List<String> dropReplicas(RecycledObject entry, List<RecycleBin.DoomedReplica> replicas) {
        long operationId = catalog.nextId();
        long now = System.currentTimeMillis();
        long sequence = 0;
        Map<Long, List<AgentTask>> byBackend = new TreeMap<>();
        for (RecycleBin.DoomedReplica replica : replicas) {
            byBackend.computeIfAbsent(replica.backendId(), b -> new ArrayList<>()).add(new AgentTask(
                    TaskSignatures.of(operationId, sequence++), replica.tablet(),
                    new DropTabletRequest(replica.replicaId(), true)));
        }
        List<AgentTaskBatch> batches = new ArrayList<>();
        Map<Long, Long> backendOf = new TreeMap<>();
        byBackend.forEach((backendId, tasks) -> {
            for (int first = 0; first < tasks.size(); first += TASKS_PER_BATCH) {
                List<AgentTask> slice = new ArrayList<>(tasks.subList(first, Math.min(tasks.size(),
                        first + TASKS_PER_BATCH)));
                slice.forEach(t -> backendOf.put(t.getSignature(), backendId));
                batches.add(new AgentTaskBatch(operationId + "-drop-" + backendId + "-" + first, operationId,
                        backendId, TaskType.DROP, 1, now, now + jobProperties.taskTimeout().toMillis(), slice));
            }
        });
        log.info("recycle bin: erasing {}: DROP of {} replicas on {} backends (operation {})",
                RecycleBin.describe(entry), replicas.size(), byBackend.size(), operationId);
        Map<Long, TaskFinished> results;
        try {
            results = gateway.sendAndAwait(operationId, batches, jobProperties.taskTimeout()).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of("interrupted");
        } catch (Exception e) {
            return List.of(String.valueOf(e.getCause() == null ? e : e.getCause()));
        }
        List<String> failures = new ArrayList<>();
        results.forEach((signature, finished) -> {
            if (finished.getStatus().getCode() != 0) {
                failures.add("signature " + signature + " on backend " + backendOf.get(signature) + ": "
                        + finished.getStatus().getCodeName() + " " + finished.getStatus().getErrorMsgs());
            }
        });
        return failures;
    }
}
