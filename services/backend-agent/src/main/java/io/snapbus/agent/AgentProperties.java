package io.snapbus.agent;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of a backend agent ({@code snapbus.agent.*}); Kafka settings come from {@code snapbus.kafka.*}.
 *
 * @param id                   name of this agent in published records and logs; default {@code agent-<pid>}
 * @param frontendHost         address the FrontendService listens on and that heartbeats tell nodes to report to
 * @param frontendPort         FrontendService port; 0 picks a free one
 * @param heartbeatInterval    how often each owned backend is heartbeated (Doris: heartbeat_interval_second)
 * @param portFile             when set, the bound FrontendService port is written there (atomically) once serving
 * @param groupId              consumer group of the agents over agent-tasks; all agents of a cluster share it
 * @param backendRpcTimeout    socket timeout of submit_tasks and load calls to storage nodes
 * @param heartbeatTimeout     connect and socket timeout of a heartbeat call
 * @param statusRepublishInterval an unchanged backend heartbeat status is published again after this long
 * @param unknownBackendWait   how long a batch for a backend the catalog does not name yet waits for it
 */
@ConfigurationProperties("snapbus.agent")
public record AgentProperties(
        String id,
        @DefaultValue("127.0.0.1") String frontendHost,
        @DefaultValue("0") int frontendPort,
        @DefaultValue("2s") Duration heartbeatInterval,
        Path portFile,
        @DefaultValue("snapbus-agents") String groupId,
        @DefaultValue("60s") Duration backendRpcTimeout,
        @DefaultValue("3s") Duration heartbeatTimeout,
        @DefaultValue("10s") Duration statusRepublishInterval,
        @DefaultValue("5s") Duration unknownBackendWait) {

    public AgentProperties {
        if (id == null || id.isBlank()) {
            id = "agent-" + ProcessHandle.current().pid();
        }
    }
}
