package io.snapbus.jobs.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.snapbus.avro.TaskFinished;
import io.snapbus.avro.TaskResult;
import io.snapbus.avro.TaskType;
import io.snapbus.contract.TaskSignatures;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The job-service's own meters (docs/observability.md), recorded by the job shells (task sends, result intake,
 * commits), never by the pure cores. Tags: {@code type} (backup, restore), {@code kind} (the agent task type),
 * {@code direction} (upload, download), {@code outcome}.
 *
 * <p>Bytes, files and tablets moved count each UPLOAD or DOWNLOAD finish report once, when it is OK and its job still
 * awaited the task: a report delivered twice (delivery is at-least-once) counts once, so the counters of a job equal
 * its own figures.
 */
public final class JobMetrics {
    /** The instance on Micrometer's global registry, to which Spring Boot adds its registries (Prometheus). */
    private static final JobMetrics GLOBAL = new JobMetrics(Metrics.globalRegistry);

    private final MeterRegistry registry;
    /** Job id to the signatures of its UPLOAD and DOWNLOAD reports already counted; forgotten when the job ends. */
    private final Map<Long, Set<Long>> countedTransfers = new ConcurrentHashMap<>();

    public JobMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public static JobMetrics global() {
        return GLOBAL;
    }

    /** Tasks of one kind going out: {@code first} sent for the first time, {@code resent} sent again. */
    public void tasksSent(String type, String kind, int first, int resent) {
        if (first > 0) {
            counter("snapbus.tasks.sent", "Agent tasks sent for the first time", type, kind).increment(first);
        }
        if (resent > 0) {
            counter("snapbus.tasks.resent", "Agent tasks sent again (no result in time, or after a failure)", type,
                    kind).increment(resent);
        }
    }

    /** A task was sent as often as the retry policy allows and its job ended for it. */
    public void taskGivenUp(String type, String kind) {
        counter("snapbus.tasks.given.up", "Agent tasks given up after the last attempt (their job is cancelled)",
                type, kind).increment();
    }

    /**
     * A task's finish report reached its job: its latency from the last send ({@code lastSentMs}, or none when the
     * job no longer awaited it), a failure, and for a first OK transfer report the tablets, files and bytes moved.
     */
    public void taskFinished(String type, TaskResult result, Long lastSentMs, long nowMs) {
        if (!(result.getEvent() instanceof TaskFinished finished)) {
            return;
        }
        String kind = result.getTaskType().name();
        boolean ok = finished.getStatus().getCode() == 0;
        if (!ok) {
            counter("snapbus.tasks.failed", "Agent tasks whose node reported a failure", type, kind).increment();
        }
        if (lastSentMs != null) {
            Timer.builder("snapbus.task.latency").description("From a task's (last) send to its finish report")
                    .tags("type", type, "kind", kind, "outcome", ok ? "ok" : "failed")
                    .register(registry).record(Duration.ofMillis(Math.max(0, nowMs - lastSentMs)));
        }
        TaskType taskType = result.getTaskType();
        if (!ok || lastSentMs == null || (taskType != TaskType.UPLOAD && taskType != TaskType.DOWNLOAD)
                || !countedTransfers.computeIfAbsent(TaskSignatures.owner(result.getSignature()),
                        job -> ConcurrentHashMap.newKeySet()).add(result.getSignature())) {
            return;
        }
        String direction = taskType == TaskType.UPLOAD ? "upload" : "download";
        long tablets;
        long files;
        long bytes;
        if (taskType == TaskType.UPLOAD) {
            Map<String, List<String>> tabletFiles = finished.getTabletFiles() == null ? Map.of()
                    : finished.getTabletFiles();
            tablets = tabletFiles.size();
            files = tabletFiles.values().stream().mapToLong(List::size).sum();
            bytes = finished.getTabletBytes() == null ? finished.getBytesTransferred()
                    : finished.getTabletBytes().values().stream().mapToLong(Long::longValue).sum();
        } else {
            tablets = finished.getDownloadedTabletIds() == null ? 0 : finished.getDownloadedTabletIds().size();
            files = 0;
            bytes = finished.getBytesTransferred();
        }
        moved("snapbus.tablets.moved", "Tablets uploaded or downloaded (OK finish reports)", type, direction, tablets);
        moved("snapbus.files.moved", "Files uploaded (repository names <file>.<md5>)", type, direction, files);
        moved("snapbus.bytes.moved", "Bytes the moved files take (uploads: in the repository, files already there"
                + " included; downloads: fetched)", type, direction, bytes);
        moved("snapbus.bytes.transferred", "Bytes actually sent or fetched (files already present count 0)", type,
                direction, finished.getBytesTransferred());
    }

    /** One append of a job's state to its topic: how long until the broker acknowledged (or refused) it. */
    public void persisted(String type, long nanos, boolean acknowledged) {
        Timer.builder("snapbus.persist.latency").description("Appending a job's state to its compacted topic")
                .tags("type", type, "outcome", acknowledged ? "ok" : "refused")
                .register(registry).record(Duration.ofNanos(nanos));
    }

    /** The job ended: its reports are counted already, a late duplicate counts nothing. */
    public void jobEnded(long jobId) {
        countedTransfers.remove(jobId);
    }

    private void moved(String name, String description, String type, String direction, long amount) {
        Counter.builder(name).description(description).tags("type", type, "direction", direction)
                .register(registry).increment(amount);
    }

    private Counter counter(String name, String description, String type, String kind) {
        return Counter.builder(name).description(description).tags("type", type, "kind", kind).register(registry);
    }
}
