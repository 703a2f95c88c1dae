package io.snapbus.agent;

import static io.snapbus.agent.AgentTestKit.batch;
import static io.snapbus.agent.AgentTestKit.createRequest;
import static io.snapbus.agent.AgentTestKit.finishedOf;
import static io.snapbus.agent.AgentTestKit.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.snapbus.agent.ownership.Ownership;
import io.snapbus.avro.LoadWriteRequest;
import io.snapbus.avro.PublishVersionRequest;
import io.snapbus.avro.RepositoryRef;
import io.snapbus.avro.RowFormat;
import io.snapbus.avro.SnapshotRequest;
import io.snapbus.avro.StorageType;
import io.snapbus.avro.TaskFinished;
import io.snapbus.avro.TaskResult;
import io.snapbus.avro.UploadRequest;
import io.snapbus.repository.RepositoryLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import io.snapbus.avro.TaskType;
import io.snapbus.kafka.SnapbusTopic;
import io.snapbus.contract.TaskSignatures;
import io.snapbus.local.LocalStack;
import io.snapbus.node.StorageNode;
import io.snapbus.testing.SnapbusInfra;
import io.snapbus.testing.SnapbusInfraExtension;
import io.snapbus.thrift.rpc.ThriftEndpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/** Two agents in one group split the backends by agent-tasks partition; when one stops the other takes over. */
@SnapbusInfra
class AgentOwnershipIntegrationTest {
    /** Slow enough that an upload of two loads is still running when its agent stops. */
    private static final long UPLOAD_BYTES_PER_SECOND = 5_000;

    @Test
    void twoAgentsSplitTheBackendsAndTheSurvivorTakesOverWhenOneStops(LocalStack stack, @TempDir Path dir)
            throws Exception {
        try (AgentTestKit kit = new AgentTestKit(stack, SnapbusInfraExtension.uniqueName("owners") + ".")) {
            ConfigurableApplicationContext first = kit.startAgent("agent-a");
            ConfigurableApplicationContext second = kit.startAgent("agent-b");
            BackendAgent a = AgentTestKit.agentOf(first);
            BackendAgent b = AgentTestKit.agentOf(second);
            kit.readResults();

            int partitions = SnapbusTopic.AGENT_TASKS.defaultPartitions();
            List<Long> backendIds = backendsInBothHalves(partitions);
            Map<Long, StorageNode> nodes = new LinkedHashMap<>();
            for (long id : backendIds) {
                StorageNode node = kit.startNode(dir.resolve("node-" + id), UPLOAD_BYTES_PER_SECOND);
                nodes.put(id, node);
                kit.addBackend(id, node);
            }

            // Each backend is owned by exactly one agent, and its node reports to that agent.
            await().atMost(Duration.ofSeconds(45)).untilAsserted(() -> {
                Ownership.Snapshot ofA = a.ownership();
                Ownership.Snapshot ofB = b.ownership();
                // Both non-empty first: AssertJ refuses an empty iterable with an IllegalArgumentException, which
                // the await would not retry while the second agent still waits for its assignment.
                assertThat(ofA.partitions()).as("partitions of agent-a").isNotEmpty();
                assertThat(ofB.partitions()).as("partitions of agent-b").isNotEmpty();
                assertThat(ofA.partitions()).doesNotContainAnyElementsOf(ofB.partitions());
                assertThat(ofA.partitions().size() + ofB.partitions().size()).isEqualTo(partitions);
                for (long id : backendIds) {
                    BackendAgent owner = a.owns(id) ? a : b;
                    assertThat(reportTargetOf(nodes.get(id))).as("node of backend %d", id)
                            .contains(owner.frontendEndpoint());
                }
            });
            assertThat(backendIds.stream().filter(a::owns)).isNotEmpty();
            assertThat(backendIds.stream().filter(b::owns)).isNotEmpty();
            // ... and stays so: the other agent does not heartbeat it. Barrier: both agents completed two heartbeat
            // rounds since, so a beat of a backend by its non-owner would have moved the node's report target.
            long roundsOfA = a.heartbeatRounds();
            long roundsOfB = b.heartbeatRounds();
            await().atMost(Duration.ofSeconds(45)).until(() -> a.heartbeatRounds() >= roundsOfA + 2
                    && b.heartbeatRounds() >= roundsOfB + 2);
            for (long id : backendIds) {
                BackendAgent owner = a.owns(id) ? a : b;
                assertThat(reportTargetOf(nodes.get(id))).as("node of backend %d", id)
                        .contains(owner.frontendEndpoint());
            }

            // An upload runs on a node of agent a while a stops: its finish report reaches b, the new owner.
            List<Long> ofA = backendIds.stream().filter(a::owns).toList();
            long uploading = ofA.get(0);
            long upload = startSlowUpload(kit, dir, uploading);
            // Barrier: the node has begun writing the upload's files to the repository, so it runs.
            await().atMost(Duration.ofSeconds(45)).until(() -> anyFileUnder(dir.resolve("repo")));
            assertThat(kit.finished(upload)).as("upload still running when its agent stops").isEmpty();
            first.close();
            TaskResult uploaded = kit.awaitFinished(upload);
            assertThat(finishedOf(uploaded).getStatus().getCode()).as("%s", uploaded).isZero();
            assertThat(uploaded.getAgentId()).isEqualTo("agent-b");
            assertThat(uploaded.getBackendId()).isEqualTo(uploading);
            assertThat(finishedOf(uploaded).getTabletFiles()).isNotEmpty();

            // Agent b now owns every backend, every node reports to b, and new tasks for a's backends run.
            await().atMost(Duration.ofSeconds(45)).untilAsserted(() -> {
                for (long id : backendIds) {
                    assertThat(b.owns(id)).as("b owns %d", id).isTrue();
                    assertThat(reportTargetOf(nodes.get(id))).as("node of backend %d", id)
                            .contains(b.frontendEndpoint());
                }
            });
            List<Long> signatures = new ArrayList<>();
            long job = 601;
            int sequence = 0;
            for (long id : ofA) {
                long signature = TaskSignatures.of(job, ++sequence);
                signatures.add(signature);
                kit.send(batch(job, id, TaskType.CREATE, task(signature, 8000 + id, createRequest(8000 + id))));
            }
            for (long signature : signatures) {
                TaskResult created = kit.awaitFinished(signature);
                assertThat(finishedOf(created).getStatus().getCode()).as("%s", created).isZero();
                assertThat(created.getAgentId()).isEqualTo("agent-b");
                assertThat(created.getJobId()).isEqualTo(job);
            }
        }
    }

    /** Creates a tablet with two loads on the backend, snapshots it and starts uploading it; returns the signature. */
    private static long startSlowUpload(AgentTestKit kit, Path dir, long backend) throws Exception {
        long job = 602;
        long tablet = 9001;
        long create = TaskSignatures.of(job, 1);
        kit.send(batch(job, backend, TaskType.CREATE, task(create, tablet, createRequest(tablet))));
        assertThat(finishedOf(kit.awaitFinished(create)).getStatus().getCode()).isZero();
        for (int version = 2; version <= 3; version++) {
            long txn = 60_200 + version;
            long write = TaskSignatures.of(job, 10 + version);
            kit.send(batch(job, backend, TaskType.LOAD_WRITE, task(write, tablet, LoadWriteRequest.newBuilder()
                    .setTxnId(txn).setFormat(RowFormat.NDJSON).setRowCount(4000)
                    .setRows(ByteBuffer.wrap(AgentTestKit.ndjson(version * 10_000, 4000)
                            .getBytes(StandardCharsets.UTF_8))).build())));
            assertThat(finishedOf(kit.awaitFinished(write)).getStatus().getCode()).isZero();
            long publish = TaskSignatures.of(job, 20 + version);
            kit.send(batch(job, backend, TaskType.PUBLISH_VERSION, task(publish, tablet,
                    PublishVersionRequest.newBuilder().setTxnId(txn).setVersion(version).build())));
            assertThat(finishedOf(kit.awaitFinished(publish)).getStatus().getCode()).isZero();
        }
        long snapshot = TaskSignatures.of(job, 30);
        kit.send(batch(job, backend, TaskType.MAKE_SNAPSHOT, task(snapshot, tablet,
                SnapshotRequest.newBuilder().setVersion(3).setTimeoutSeconds(600).build())));
        TaskFinished snapshotted = finishedOf(kit.awaitFinished(snapshot));
        assertThat(snapshotted.getStatus().getCode()).isZero();

        String location = dir.resolve("repo").toUri().toString();
        String src = Path.of(snapshotted.getSnapshotPath(), Long.toString(tablet),
                Integer.toString(AgentTestKit.SCHEMA_HASH)).toString();
        String dest = location + "/" + RepositoryLayout.tabletDir("repo", "snap", 1001, 2001, 3001, 4001, tablet);
        long upload = TaskSignatures.of(job, 31);
        kit.send(batch(job, backend, TaskType.UPLOAD, task(upload, -1, UploadRequest.newBuilder()
                .setSrcDestMap(Map.of(src, dest))
                .setRepository(RepositoryRef.newBuilder().setRepoId(1).setName("repo")
                        .setStorageType(StorageType.FILESYSTEM).setLocation(location).build())
                .build())));
        return upload;
    }

    private static boolean anyFileUnder(Path root) throws java.io.IOException {
        if (!java.nio.file.Files.isDirectory(root)) {
            return false;
        }
        try (java.util.stream.Stream<Path> walk = java.nio.file.Files.walk(root)) {
            return walk.anyMatch(java.nio.file.Files::isRegularFile);
        }
    }

    private static Optional<ThriftEndpoint> reportTargetOf(StorageNode node) {
        return node.reportTarget().current().map(o -> o.agent());
    }

    /** Three backend ids whose partitions fall in both halves, so a two-member range assignment splits them. */
    private static List<Long> backendsInBothHalves(int partitions) {
        List<Long> low = new ArrayList<>();
        List<Long> high = new ArrayList<>();
        for (long id = 20001; low.size() < 2 || high.isEmpty(); id++) {
            int partition = Ownership.partitionOf(id, partitions);
            if (partition < partitions / 2 && low.size() < 2) {
                low.add(id);
            } else if (partition >= partitions / 2 && high.isEmpty()) {
                high.add(id);
            }
        }
        List<Long> ids = new ArrayList<>(low);
        ids.addAll(high);
        return ids;
    }
}
