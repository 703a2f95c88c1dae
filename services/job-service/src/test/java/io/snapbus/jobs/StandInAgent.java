package io.snapbus.jobs;

import io.snapbus.avro.AgentTask;
import io.snapbus.avro.AgentTaskBatch;
import io.snapbus.avro.Column;
import io.snapbus.avro.CreateTabletRequest;
import io.snapbus.avro.DropTabletRequest;
import io.snapbus.avro.LoadWriteRequest;
import io.snapbus.avro.PublishVersionRequest;
import io.snapbus.avro.TaskFinished;
import io.snapbus.avro.TaskResult;
import io.snapbus.avro.TaskStatus;
import io.snapbus.avro.TaskType;
import io.snapbus.kafka.KafkaClients;
import io.snapbus.kafka.SnapbusTopic;
import io.snapbus.thrift.BackendService;
import io.snapbus.thrift.FrontendService;
import io.snapbus.thrift.HeartbeatService;
import io.snapbus.thrift.TAgentResult;
import io.snapbus.thrift.TAgentServiceVersion;
import io.snapbus.thrift.TAgentTaskRequest;
import io.snapbus.thrift.TDropTabletReq;
import io.snapbus.thrift.TFinishTaskRequest;
import io.snapbus.thrift.TKeysType;
import io.snapbus.thrift.TMasterInfo;
import io.snapbus.thrift.TMasterResult;
import io.snapbus.thrift.TNetworkAddress;
import io.snapbus.thrift.TReportRequest;
import io.snapbus.thrift.TSnapbusColumn;
import io.snapbus.thrift.TSnapbusCreateTabletReq;
import io.snapbus.thrift.TSnapbusLoadFormat;
import io.snapbus.thrift.TSnapbusLoadPublishRequest;
import io.snapbus.thrift.TSnapbusLoadResult;
import io.snapbus.thrift.TSnapbusLoadWriteRequest;
import io.snapbus.thrift.TSnapshotLoaderReportRequest;
import io.snapbus.thrift.TStatus;
import io.snapbus.thrift.TStatusCode;
import io.snapbus.thrift.TTaskType;
import io.snapbus.thrift.rpc.ThriftClientConfig;
import io.snapbus.thrift.rpc.ThriftClientPool;
import io.snapbus.thrift.rpc.ThriftEndpoint;
import io.snapbus.thrift.rpc.ThriftServer;
import io.snapbus.thrift.rpc.ThriftServerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Test stand-in for the backend-agent: consumes agent-tasks, runs CREATE and DROP through submit_tasks (its
 * FrontendService receives the node's finishTask) and LOAD_WRITE / PUBLISH_VERSION through the nodes' direct load
 * calls, and answers every task on task-results.
 */
final class StandInAgent implements FrontendService.Iface, AutoCloseable {
    private final KafkaClients clients;
    private final KafkaTemplate<String, SpecificRecord> template;
    private final ThriftServer server;
    private final ThriftClientPool<BackendService.Client> backends = ThriftClientPool.backendService(
            ThriftClientConfig.defaults().withSocketTimeout(Duration.ofSeconds(30)));
    private final ThriftClientPool<HeartbeatService.Client> heartbeats = ThriftClientPool.heartbeatService(
            ThriftClientConfig.defaults());
    private final Map<Long, ThriftEndpoint> endpoints = new ConcurrentHashMap<>();
    /** Signature of a task submitted with submit_tasks (CREATE, DROP) to the job, backend and type it reports as. */
    private record Submitted(long jobId, long backendId, TaskType type) {}

    private final Map<Long, Submitted> submitted = new ConcurrentHashMap<>();
    /** Backends whose tasks the agent answers with an error, to test failure paths. */
    final Map<Long, Boolean> failing = new ConcurrentHashMap<>();
    final AtomicInteger batchesSeen = new AtomicInteger();
    private final Thread poller;
    private volatile boolean running = true;

    StandInAgent(KafkaClients clients) throws Exception {
        this.clients = clients;
        this.template = clients.template();
        this.server = new ThriftServer("stand-in-agent", ThriftServerConfig.defaults(),
                new FrontendService.Processor<>(this)).start();
        String topic = clients.catalogue().name(SnapbusTopic.AGENT_TASKS);
        Consumer<String, AgentTaskBatch> consumer = clients.<AgentTaskBatch>consumerFactory(
                "stand-in-agent-" + topic).createConsumer();
        consumer.subscribe(List.of(topic));
        poller = new Thread(() -> {
            try (consumer) {
                while (running) {
                    for (ConsumerRecord<String, AgentTaskBatch> record : consumer.poll(Duration.ofMillis(100))) {
                        if (record.value() != null) {
                            batchesSeen.incrementAndGet();
                            run(record.value());
                        }
                    }
                    consumer.commitSync();
                }
            }
        }, "stand-in-agent");
        poller.setDaemon(true);
        poller.start();
    }

    /** Makes this agent own the node of {@code backendId}: the node reports to it from now on. */
    void attach(long backendId, ThriftEndpoint node) throws Exception {
        endpoints.put(backendId, node);
        TMasterInfo info = new TMasterInfo(new TNetworkAddress(server.endpoint().host(), server.endpoint().port()), 1,
                1);
        info.setBackend_id(backendId);
        heartbeats.call(node, c -> c.heartbeat(info));
    }

    private void run(AgentTaskBatch batch) {
        ThriftEndpoint node = endpoints.get(batch.getBackendId());
        List<TAgentTaskRequest> creates = new ArrayList<>();
        for (AgentTask task : batch.getTasks()) {
            try {
                if (node == null || failing.getOrDefault(batch.getBackendId(), false)) {
                    publish(batch, task.getSignature(), TStatusCode.INTERNAL_ERROR.getValue(), "INTERNAL_ERROR",
                            List.of("backend " + batch.getBackendId() + " is unavailable"));
                } else if (task.getRequest() instanceof CreateTabletRequest create) {
                    creates.add(create(task, create));
                    submitted.put(task.getSignature(), new Submitted(batch.getJobId(), batch.getBackendId(),
                            TaskType.CREATE));
                } else if (task.getRequest() instanceof DropTabletRequest drop) {
                    creates.add(drop(task, drop));
                    submitted.put(task.getSignature(), new Submitted(batch.getJobId(), batch.getBackendId(),
                            TaskType.DROP));
                } else if (task.getRequest() instanceof LoadWriteRequest write) {
                    TSnapbusLoadWriteRequest request = new TSnapbusLoadWriteRequest(write.getTxnId(),
                            task.getTablet().getTabletId(), task.getTablet().getSchemaHash(),
                            TSnapbusLoadFormat.valueOf(write.getFormat().name()), write.getRows());
                    request.setRow_count(write.getRowCount());
                    answer(batch, task, backends.call(node, c -> c.snapbus_load_write(request)));
                } else if (task.getRequest() instanceof PublishVersionRequest publish) {
                    TSnapbusLoadPublishRequest request = new TSnapbusLoadPublishRequest(publish.getTxnId(),
                            task.getTablet().getTabletId(), publish.getVersion());
                    answer(batch, task, backends.call(node, c -> c.snapbus_load_publish(request)));
                }
            } catch (Exception e) {
                publish(batch, task.getSignature(), TStatusCode.INTERNAL_ERROR.getValue(), "INTERNAL_ERROR",
                        List.of(String.valueOf(e)));
            }
        }
        if (!creates.isEmpty()) {
            try {
                TAgentResult submitted = backends.call(node, c -> c.submit_tasks(creates));
                if (submitted.getStatus().getStatus_code() != TStatusCode.OK) {
                    throw new IllegalStateException("submit_tasks: " + submitted.getStatus());
                }
            } catch (Exception e) {
                for (TAgentTaskRequest create : creates) {
                    publish(batch, create.getSignature(), TStatusCode.INTERNAL_ERROR.getValue(), "INTERNAL_ERROR",
                            List.of(String.valueOf(e)));
                }
            }
        }
    }

    private static TAgentTaskRequest create(AgentTask task, CreateTabletRequest create) {
        List<TSnapbusColumn> columns = new ArrayList<>();
        for (Column column : create.getColumns()) {
            columns.add(new TSnapbusColumn(column.getName(), column.getType(), column.getIsKey(),
                    column.getNullable()));
        }
        TSnapbusCreateTabletReq request = new TSnapbusCreateTabletReq(task.getTablet().getTabletId(),
                task.getTablet().getSchemaHash(), task.getTablet().getTableId(), task.getTablet().getPartitionId(),
                task.getTablet().getIndexId(), create.getVersion(), columns);
        request.setReplica_id(create.getReplicaId());
        request.setKeys_type(TKeysType.valueOf(create.getKeysType().name()));
        TAgentTaskRequest request2 = new TAgentTaskRequest(TAgentServiceVersion.V1, TTaskType.CREATE,
                task.getSignature());
        request2.setSnapbus_create_tablet_req(request);
        return request2;
    }

    private static TAgentTaskRequest drop(AgentTask task, DropTabletRequest drop) {
        TDropTabletReq request = new TDropTabletReq(task.getTablet().getTabletId());
        request.setSchema_hash(task.getTablet().getSchemaHash());
        request.setReplica_id(drop.getReplicaId());
        request.setIs_drop_table_or_partition(drop.getDropTableOrPartition());
        TAgentTaskRequest out = new TAgentTaskRequest(TAgentServiceVersion.V1, TTaskType.DROP, task.getSignature());
        out.setDrop_tablet_req(request);
        return out;
    }

    private void answer(AgentTaskBatch batch, AgentTask task, TSnapbusLoadResult result) {
        TStatus status = result.getStatus();
        publish(batch, task.getSignature(), status.getStatus_code().getValue(), status.getStatus_code().name(),
                status.isSetError_msgs() ? status.getError_msgs() : List.of());
    }

    private void publish(AgentTaskBatch batch, long signature, int code, String name, List<String> errors) {
        publish(batch.getJobId(), batch.getBackendId(), batch.getTaskType(), signature, code, name, errors);
    }

    private void publish(long jobId, long backendId, TaskType type, long signature, int code, String name,
            List<String> errors) {
        TaskFinished finished = TaskFinished.newBuilder()
                .setStatus(new TaskStatus(code, name, new ArrayList<>(errors)))
                .build();
        TaskResult result = new TaskResult(jobId, backendId, "stand-in-agent", signature, type,
                System.currentTimeMillis(), finished);
        template.send(clients.catalogue().name(SnapbusTopic.TASK_RESULTS), Long.toString(jobId), result).join();
    }

    @Override
    public TMasterResult finishTask(TFinishTaskRequest request) {
        Submitted owner = submitted.remove(request.getSignature());
        if (owner != null) {
            TStatus status = request.getTask_status();
            publish(owner.jobId(), owner.backendId(), owner.type(), request.getSignature(),
                    status.getStatus_code().getValue(),
                    status.getStatus_code().name(), status.isSetError_msgs() ? status.getError_msgs() : List.of());
        }
        return new TMasterResult(new TStatus(TStatusCode.OK));
    }

    @Override
    public TMasterResult report(TReportRequest request) {
        return new TMasterResult(new TStatus(TStatusCode.OK));
    }

    @Override
    public TStatus snapshotLoaderReport(TSnapshotLoaderReportRequest request) {
        return new TStatus(TStatusCode.OK);
    }

    @Override
    public void close() throws Exception {
        running = false;
        poller.join(5000);
        server.stop();
        backends.close();
        heartbeats.close();
    }
}
