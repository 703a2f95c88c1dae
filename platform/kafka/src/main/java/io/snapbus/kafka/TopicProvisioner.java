package io.snapbus.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the broker's topics match a list of {@link TopicSpec}s: creates missing ones and brings the configs of
 * existing ones in line. Safe to run at every service start and from several services at once.
 */
public final class TopicProvisioner {
    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);
    private static final long TIMEOUT_SECONDS = 30;

    private final Admin admin;

    public TopicProvisioner(Admin admin) {
        this.admin = admin;
    }

    /** What {@link #ensure} did. */
    public record Report(List<String> created, List<String> reconfigured, List<String> unchanged) {}

    public Report ensure(Collection<TopicSpec> specs) {
        try {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<String> created = new ArrayList<>();
            List<String> reconfigured = new ArrayList<>();
            List<String> unchanged = new ArrayList<>();
            List<TopicSpec> missing = specs.stream().filter(s -> !existing.contains(s.name())).toList();
            created.addAll(create(missing));
            for (TopicSpec spec : specs) {
                if (created.contains(spec.name())) {
                    continue;
                }
                if (reconcile(spec)) {
                    reconfigured.add(spec.name());
                } else {
                    unchanged.add(spec.name());
                }
            }
            if (!created.isEmpty() || !reconfigured.isEmpty()) {
                log.info("topics created {} reconfigured {}", created, reconfigured);
            }
            return new Report(created, reconfigured, unchanged);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while provisioning topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not provision snapbus topics on the broker: " + rootMessage(e), e);
        }
    }

    private List<String> create(List<TopicSpec> missing) throws InterruptedException, TimeoutException,
            ExecutionException {
        if (missing.isEmpty()) {
            return List.of();
        }
        List<NewTopic> newTopics = missing.stream()
                .map(s -> new NewTopic(s.name(), s.partitions(), s.replicationFactor()).configs(s.configs()))
                .toList();
        List<String> created = new ArrayList<>();
        var results = admin.createTopics(newTopics).values();
        for (var entry : results.entrySet()) {
            try {
                entry.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                created.add(entry.getKey());
            } catch (ExecutionException e) {
                // Another service created it between our list and create: that is the idempotent outcome.
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        return created;
    }

    /** Sets configs that differ from the spec; returns whether anything changed. */
    private boolean reconcile(TopicSpec spec) throws InterruptedException, ExecutionException, TimeoutException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
        Config current = admin.describeConfigs(List.of(resource)).all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(resource);
        Map<String, String> actual = current.entries().stream()
                .collect(Collectors.toMap(ConfigEntry::name, e -> e.value() == null ? "" : e.value()));
        List<AlterConfigOp> ops = spec.configs().entrySet().stream()
                .filter(e -> !e.getValue().equals(actual.get(e.getKey())))
                .map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET))
                .toList();
        warnOnPartitionShortfall(spec);
        if (ops.isEmpty()) {
            return false;
        }
        Map<ConfigResource, Collection<AlterConfigOp>> alter = new HashMap<>();
        alter.put(resource, ops);
        admin.incrementalAlterConfigs(alter).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        log.info("topic {}: set {}", spec.name(), ops.stream().map(o -> o.configEntry().name()).toList());
        return true;
    }

    private void warnOnPartitionShortfall(TopicSpec spec) throws InterruptedException, ExecutionException,
            TimeoutException {
        TopicDescription description = admin.describeTopics(List.of(spec.name())).allTopicNames()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(spec.name());
        int actual = description.partitions().size();
        if (actual < spec.partitions()) {
            // Adding partitions would move keys of a compacted topic to other partitions: leave it to an operator.
            log.warn("topic {} has {} partitions, the catalogue wants {}; not changed automatically",
                    spec.name(), actual, spec.partitions());
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
