package io.snapbus.local;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** What the broker process is told: its {@code server.properties} and its logback configuration. */
final class KafkaSettings {

    private KafkaSettings() {
    }

    /**
     * One node of the cluster: a combined broker and controller. Clients connect to {@code ports.client()} (PLAINTEXT,
     * or SASL_SSL with {@code credentials}); brokers replicate over PLAINTEXT on {@code ports.internal()}, and the
     * controllers vote over {@code voters}; all on 127.0.0.1.
     */
    static String serverProperties(LocalStackConfig config, Path storage, int nodeId, BrokerPorts ports, String voters,
                                   KafkaCredentials credentials) {
        int brokers = config.kafkaBrokers();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(nodeId));
        p.put("controller.quorum.voters", voters);
        if (credentials == null) {
            p.put("listeners", "PLAINTEXT://" + Ports.HOST + ":" + ports.client() + ",CONTROLLER://" + Ports.HOST + ":"
                    + ports.controller());
            p.put("advertised.listeners", "PLAINTEXT://" + Ports.HOST + ":" + ports.client());
            p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        } else {
            p.put("listeners", "SASL_SSL://" + Ports.HOST + ":" + ports.client() + ",PLAINTEXT://" + Ports.HOST + ":"
                    + ports.internal() + ",CONTROLLER://" + Ports.HOST + ":" + ports.controller());
            p.put("advertised.listeners", "SASL_SSL://" + Ports.HOST + ":" + ports.client() + ",PLAINTEXT://"
                    + Ports.HOST + ":" + ports.internal());
            p.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            p.putAll(credentials.brokerProperties("sasl_ssl"));
        }
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("log.dirs", storage.toString());
        // Internal topics as replicated as the cluster allows; with 3 brokers a transaction or a committed offset
        // survives the loss of one.
        String replication = Integer.toString(Math.min(3, brokers));
        p.put("offsets.topic.replication.factor", replication);
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", replication);
        p.put("transaction.state.log.min.isr", brokers >= 3 ? "2" : "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("min.insync.replicas", "1");
        p.put("default.replication.factor", replication);
        p.put("group.initial.rebalance.delay.ms", "0");
        // Compaction (always on since Kafka 4: log.cleaner.enable is deprecated, true and to be removed in 5.0)
        // checked every second, so tests can watch a compacted topic shrink.
        p.put("log.cleaner.backoff.ms", "1000");
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(32 * 1024 * 1024));
        p.putAll(config.kafkaProperties());
        return "# Written by snapbus-local on every start; change LocalStackConfig.kafkaProperties instead.\n"
                + p.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n")) + "\n";
    }

    /**
     * The ports of one node: clients, replication between brokers (the client port itself when that is PLAINTEXT),
     * controller quorum.
     */
    record BrokerPorts(int client, int internal, int controller) {
        /** The PLAINTEXT port, where a readiness probe needs no credentials. */
        int plaintext() {
            return internal;
        }
    }

    /**
     * Kafka's own INFO is hundreds of lines per start and stop (purgatory reapers, event queues, every config
     * value); the broker logs WARN and up, plus INFO from the few loggers that tell a reader what happened: started
     * and stopped, topics created, consumer groups rebalanced, logs compacted.
     */
    static String logbackConfig() {
        String informative = Stream.of("kafka.server.KafkaRaftServer", "kafka.Kafka",
                        "org.apache.kafka.common.utils.internals.LoggingSignalHandler",
                        "org.apache.kafka.controller.ReplicationControlManager", "org.apache.kafka.coordinator.group.GroupMetadataManager",
                        "org.apache.kafka.storage.internals.log.LogCleaner")
                .map(name -> "  <logger name=\"" + name + "\" level=\"INFO\"/>")
                .collect(Collectors.joining("\n"));
        return """
                <!-- Written by snapbus-local on every start of the broker. -->
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
                  </appender>
                  <logger name="kafka" level="WARN"/>
                  <logger name="org.apache.kafka" level="WARN"/>
                  <logger name="state.change.logger" level="WARN"/>
                  <logger name="org.apache.zookeeper" level="WARN"/>
                  <!-- Every clean shutdown warns "Attempting to close NetworkClient that has already been closed". -->
                  <logger name="org.apache.kafka.clients.NetworkClient" level="ERROR"/>
                %INFORMATIVE%
                  <root level="INFO"><appender-ref ref="OUT"/></root>
                </configuration>
                """.replace("%INFORMATIVE%", informative);
    }

}
