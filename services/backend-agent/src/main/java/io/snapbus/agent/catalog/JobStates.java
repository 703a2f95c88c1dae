package io.snapbus.agent.catalog;

import io.snapbus.avro.BackupJobHeader;
import io.snapbus.avro.BackupJobRecord;
import io.snapbus.avro.BackupJobState;
import io.snapbus.kafka.KafkaClients;
import io.snapbus.kafka.TopicFollower;
import io.snapbus.kafka.SnapbusTopic;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest state of every backup job, from the header parts of the backup-jobs topic (highest stateSeq wins), so
 * an upload's progress report can be answered CANCELLED once its job was cancelled.
 */
public final class JobStates implements AutoCloseable {
    private record Latest(long stateSeq, BackupJobState state) {}

    private final Map<Long, Latest> jobs = new ConcurrentHashMap<>();
    private final KafkaClients clients;
    private volatile TopicFollower<BackupJobRecord> follower;

    public JobStates(KafkaClients clients) {
        this.clients = clients;
    }

    public void start() {
        follower = TopicFollower.follow(clients, clients.catalogue().name(SnapbusTopic.BACKUP_JOBS),
                TopicFollower.From.BEGINNING, JobStates::isHeaderKey, this::apply);
    }

    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return follower.awaitCaughtUp(timeout);
    }

    /** Tablet and meta chunks ({@code <job>/...}) say nothing about the state: only headers are read. */
    static boolean isHeaderKey(String key) {
        return key != null && !key.contains("/");
    }

    void apply(String key, BackupJobRecord record) {
        if (!isHeaderKey(key)) {
            return;
        }
        if (record == null) {
            try {
                jobs.remove(Long.parseLong(key));
            } catch (NumberFormatException ignored) {
                // not a job key
            }
            return;
        }
        if (record.getPart() instanceof BackupJobHeader header) {
            jobs.merge(record.getJobId(), new Latest(record.getStateSeq(), header.getState()),
                    (old, next) -> next.stateSeq() >= old.stateSeq() ? next : old);
        }
    }

    public Optional<BackupJobState> state(long jobId) {
        return Optional.ofNullable(jobs.get(jobId)).map(Latest::state);
    }

    public boolean isCancelled(long jobId) {
        return state(jobId).filter(s -> s == BackupJobState.CANCELLED).isPresent();
    }

    @Override
    public void close() {
        TopicFollower<?> started = follower;
        if (started != null) {
            started.close();
        }
    }
}
