package io.snapbus.jobs.task;

import io.snapbus.avro.TaskResult;
import io.snapbus.kafka.KafkaClients;
import io.snapbus.kafka.SnapbusTopic;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.stereotype.Component;

/** Consumes task-results (group {@value #GROUP}) and hands every result to the {@link TaskGateway}. */
@Component
class TaskResultsConsumer implements SmartLifecycle {
    static final String GROUP = "snapbus-job-service";

    private final ConcurrentMessageListenerContainer<String, TaskResult> container;

    TaskResultsConsumer(KafkaClients clients, TaskGateway gateway) {
        ConcurrentKafkaListenerContainerFactory<String, TaskResult> factory = clients.listenerContainerFactory(GROUP);
        container = factory.createContainer(clients.catalogue().name(SnapbusTopic.TASK_RESULTS));
        container.getContainerProperties().setMessageListener((MessageListener<String, TaskResult>) record -> {
            if (record.value() != null) {
                gateway.deliver(record.value());
            }
        });
        container.setBeanName("snapbus-task-results");
    }

    @Override
    public void start() {
        container.start();
    }

    @Override
    public void stop() {
        container.stop();
    }

    @Override
    public boolean isRunning() {
        return container.isRunning();
    }

    /** Before the catalog replay and the web server: DDL waits on results as soon as requests arrive. */
    @Override
    public int getPhase() {
        return 0;
    }
}
