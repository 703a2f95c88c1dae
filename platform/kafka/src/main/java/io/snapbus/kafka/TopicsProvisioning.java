package io.snapbus.kafka;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topics of the catalogue created or reconciled and their value schemas registered, on threads of their own from
 * the moment a service has its Kafka clients: the service goes on building itself meanwhile, and what must read a
 * topic at start (a replay) begins as soon as the topics exist instead of after the whole context is built.
 */
public final class TopicsProvisioning {
    private static final Logger log = LoggerFactory.getLogger(TopicsProvisioning.class);

    private final CompletableFuture<Void> topics;
    private final CompletableFuture<Void> schemas;

    private TopicsProvisioning(CompletableFuture<Void> topics, CompletableFuture<Void> schemas) {
        this.topics = topics;
        this.schemas = schemas;
    }

    /** Starts provisioning now; {@link #await()} tells how it ended. */
    public static TopicsProvisioning start(KafkaClients clients) {
        CompletableFuture<Void> topics = CompletableFuture.runAsync(() -> {
            try (Admin admin = clients.admin()) {
                TopicProvisioner.Report report = new TopicProvisioner(admin).ensure(clients.catalogue().all());
                log.info("snapbus topics ready: {} created, {} reconfigured, {} unchanged", report.created().size(),
                        report.reconfigured().size(), report.unchanged().size());
            }
        }, thread("snapbus-topics"));
        // Replays need only the topics; the schemas they decode with were registered by whoever wrote the records.
        CompletableFuture<Void> schemas = CompletableFuture.runAsync(() -> SchemaRegistryAdmin.of(
                clients.properties().registry()).registerAll(clients.catalogue()),
                thread("snapbus-schemas"));
        return new TopicsProvisioning(topics, schemas);
    }

    /**
     * Runs {@code read} on a thread of its own once the topics exist. A failed provisioning fails it too (and the
     * service's start, through {@link #await()}).
     */
    public <T> CompletableFuture<T> thenRead(String threadName, Supplier<T> read) {
        return topics.thenApplyAsync(done -> read.get(), thread(threadName));
    }

    /** Waits until topics and schemas are provisioned; rethrows what made either fail. */
    public void await() {
        join(CompletableFuture.allOf(topics, schemas));
    }

    /** The value of a start-up future, with the failure that ended it rethrown as it was thrown. */
    public static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static Executor thread(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            thread.start();
        };
    }
}
