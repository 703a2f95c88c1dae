package io.snapbus.jobs.observe;

import io.snapbus.api.event.JobEvent;
import io.snapbus.kafka.KafkaClients;
import io.snapbus.kafka.SnapbusTopic;
import io.snapbus.kafka.TopicFollower;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The history the {@code job-events} topic holds (as far back as its retention goes): what deletions, retention runs
 * and schedules did, and every job's events, read from the topic's beginning on request and filtered. Nothing is kept
 * in memory between requests.
 */
@Component
public class EventHistory {
    /** How long one read of the topic may take. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaClients clients;

    public EventHistory(KafkaClients clients) {
        this.clients = clients;
    }

    /**
     * The newest {@code limit} events, newest first, of the given job types (all when empty) and label (any when
     * null).
     */
    public List<JobEvent> newest(Set<String> jobTypes, String label, int limit) {
        Deque<io.snapbus.avro.JobEvent> kept = new ArrayDeque<>(limit);
        TopicFollower.<io.snapbus.avro.JobEvent>replay(clients, clients.catalogue().name(SnapbusTopic.JOB_EVENTS),
                READ_TIMEOUT, (key, event) -> {
                    if (event == null || !jobTypes.isEmpty() && !jobTypes.contains(event.getJobType())
                            || label != null && !label.equals(event.getLabel())) {
                        return;
                    }
                    if (kept.size() == limit) {
                        kept.removeFirst();
                    }
                    kept.addLast(event);
                });
        List<io.snapbus.avro.JobEvent> ordered = new ArrayList<>(kept);
        ordered.sort(java.util.Comparator.comparingLong(io.snapbus.avro.JobEvent::getTimestampMs));
        Collections.reverse(ordered);
        return ordered.stream().map(e -> JobEventStreams.of(e, e.getKind().name())).toList();
    }
}
