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

    static String serverProperties(LocalStackConfig config, Path storage, int port, int controllerPort) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@" + Ports.HOST + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + Ports.HOST + ":" + port + ",CONTROLLER://" + Ports.HOST + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + Ports.HOST + ":" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("log.dirs", storage.toString());
        // One broker: every internal topic has one replica, and a transaction needs only that one.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("min.insync.replicas", "1");
        p.put("default.replication.factor", "1");
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
