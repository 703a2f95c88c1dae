package io.snapbus.jobs.observe;

import io.snapbus.api.event.JobEvent;
import io.snapbus.avro.JobProgress;
import io.snapbus.jobs.StartupOrder;
import io.snapbus.kafka.KafkaClients;
import io.snapbus.kafka.SnapbusTopic;
import io.snapbus.kafka.TopicFollower;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-sent event streams of jobs, fed by the job-events topic: one follower of the topic from its end (no consumer
 * group, values decoded only for watched jobs) hands each event to the streams watching its job. A stream opens with
 * the job as it stands (kind CURRENT), then sends each event as it is published, and ends after FINISHED or
 * CANCELLED. A comment every {@link #KEEP_ALIVE} keeps proxies from closing a quiet stream and finds closed ones;
 * a job found ended then (its last event was read before its stream opened) is sent as it stands and the stream ends.
 */
@Component
public class JobEventStreams implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(JobEventStreams.class);
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    /** What the backup and restore event endpoints answer, for their OpenAPI description. */
    public static final String DESCRIPTION = "First the job as it stands (kind CURRENT), then each event of the"
            + " job-events topic as it is published (CREATED, STATE_CHANGED, PROGRESS, TASK_ERROR, TASK_RETRY), last"
            + " FINISHED or CANCELLED; each event named by its kind, its data a JobEvent. 404 when there is no such job.";
    /** A stream open longer than this ends (the watcher opens another: its CURRENT event says where the job is). */
    static final Duration LONGEST = Duration.ofHours(12);

    private final KafkaClients clients;
    /** The open streams by job id (the topic's key), each with the job type it watches. */
    private final Map<String, List<Watch>> watches = new ConcurrentHashMap<>();
    private volatile TopicFollower<io.snapbus.avro.JobEvent> follower;
    private ScheduledExecutorService keepAlive;

    /**
     * One open stream. {@code lastSeq} is the seq of what it sent last (none before its CURRENT): an event the topic
     * delivers late, already part of the CURRENT the stream opened with, is not sent again.
     */
    private static final class Watch {
        private final String jobType;
        private final SseEmitter emitter;
        private final Supplier<Optional<io.snapbus.avro.JobEvent>> current;
        private long lastSeq = Long.MIN_VALUE;
        private boolean opened;

        Watch(String jobType, SseEmitter emitter, Supplier<Optional<io.snapbus.avro.JobEvent>> current) {
            this.jobType = jobType;
            this.emitter = emitter;
            this.current = current;
        }

        String jobType() {
            return jobType;
        }

        SseEmitter emitter() {
            return emitter;
        }

        Supplier<Optional<io.snapbus.avro.JobEvent>> current() {
            return current;
        }
    }

    public JobEventStreams(KafkaClients clients) {
        this.clients = clients;
    }

    /**
     * Opens the stream of a job; {@code current} is the job as it stands (empty: no such job, which the caller has
     * answered with 404 before). The watch is registered before the job is read, so no event falls between the two.
     */
    public SseEmitter open(String jobType, long jobId, Supplier<Optional<io.snapbus.avro.JobEvent>> current) {
        SseEmitter emitter = new SseEmitter(LONGEST.toMillis());
        Watch watch = new Watch(jobType, emitter, current);
        String key = Long.toString(jobId);
        watches.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(watch);
        Runnable remove = () -> watches.computeIfPresent(key, (k, list) -> {
            list.remove(watch);
            return list.isEmpty() ? null : list;
        });
        emitter.onCompletion(remove);
        emitter.onTimeout(remove);
        emitter.onError(error -> remove.run());
        synchronized (watch) {
            Optional<io.snapbus.avro.JobEvent> now = current.get();
            if (now.isEmpty()) {
                emitter.complete();
            } else {
                send(watch, of(now.get(), "CURRENT"));
                watch.lastSeq = now.get().getSeq();
            }
            watch.opened = true;
        }
        return emitter;
    }

    private void published(String key, io.snapbus.avro.JobEvent record) {
        List<Watch> watching = watches.get(key);
        if (record == null || watching == null) {
            return;
        }
        JobEvent event = of(record, record.getKind().name());
        for (Watch watch : watching) {
            if (!watch.jobType().equals(event.jobType())) {
                continue;
            }
            synchronized (watch) {
                // Before the CURRENT was read, or already in it: that CURRENT holds this event.
                if (watch.opened && record.getSeq() > watch.lastSeq) {
                    send(watch, event);
                    watch.lastSeq = record.getSeq();
                }
            }
        }
    }

    private static void send(Watch watch, JobEvent event) {
        try {
            watch.emitter().send(SseEmitter.event().id(event.eventId()).name(event.kind())
                    .data(event, MediaType.APPLICATION_JSON));
            if (event.ends()) {
                watch.emitter().complete();
            }
        } catch (IOException | IllegalStateException gone) {
            // the watcher went away (or the stream was completed meanwhile): its callbacks remove it
            watch.emitter().completeWithError(gone);
        }
    }

    private void keepAlive() {
        watches.values().forEach(list -> list.forEach(watch -> {
            Optional<JobEvent> ended = watch.current().get().map(record -> of(record, "CURRENT"))
                    .filter(JobEvent::ends);
            if (ended.isPresent()) {
                send(watch, ended.get());
                return;
            }
            try {
                watch.emitter().send(SseEmitter.event().comment("keep-alive"));
            } catch (IOException | IllegalStateException gone) {
                watch.emitter().completeWithError(gone);
            }
        }));
    }

    /** The topic's record as the API's event; {@code kind} CURRENT for a stream's first. */
    static JobEvent of(io.snapbus.avro.JobEvent record, String kind) {
        JobProgress p = record.getProgress();
        JobEvent.Progress progress = p == null ? null : new JobEvent.Progress(p.getSnapshotsDone(),
                p.getSnapshotsTotal(), p.getUploadsDone(), p.getUploadsTotal(), p.getBytesUploaded(),
                p.getFilesUploaded(), p.getReplicasTotal(), p.getReplicasCreated(), p.getReplicasDownloaded(),
                p.getReplicasMoved(), p.getReplicasChecked(), p.getBytesDownloaded());
        return new JobEvent(record.getEventId(), record.getJobId(), record.getJobType(), record.getLabel(),
                record.getDbName(), record.getRepositoryName(), record.getSeq(), record.getTimestampMs(), kind,
                record.getFromState(), record.getState(), progress,
                record.getStatus() == null ? "OK" : record.getStatus().getCode().name(), record.getMessage());
    }

    @Override
    public void start() {
        follower = TopicFollower.follow(clients, clients.catalogue().name(SnapbusTopic.JOB_EVENTS),
                TopicFollower.From.END, watches::containsKey, this::published);
        keepAlive = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "job-event-streams");
            thread.setDaemon(true);
            return thread;
        });
        keepAlive.scheduleWithFixedDelay(this::keepAlive, KEEP_ALIVE.toMillis(), KEEP_ALIVE.toMillis(),
                TimeUnit.MILLISECONDS);
        log.debug("job event streams follow {}", clients.catalogue().name(SnapbusTopic.JOB_EVENTS));
    }

    @Override
    public void stop() {
        TopicFollower<?> started = follower;
        follower = null;
        if (started != null) {
            started.close();
        }
        if (keepAlive != null) {
            keepAlive.shutdownNow();
        }
        watches.values().forEach(list -> list.forEach(watch -> watch.emitter().complete()));
        watches.clear();
    }

    @Override
    public boolean isRunning() {
        return follower != null;
    }

    @Override
    public int getPhase() {
        return StartupOrder.NODE_REPORTS;
    }
}
