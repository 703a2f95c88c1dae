package io.snapbus.cli;

import io.snapbus.kafka.KafkaClients;
import io.snapbus.kafka.SchemaRegistryAdmin;
import io.snapbus.kafka.SnapbusKafkaProperties;
import io.snapbus.kafka.SpringKafkaProperties;
import io.snapbus.kafka.TopicProvisioner;
import io.snapbus.local.LocalStack;
import io.snapbus.local.StackServices;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/** {@code up}, {@code status} and {@code down}: the local infrastructure as a long-running thing. */
final class StackCommands {
    static final String STACK_NAME = "local";

    private final PrintStream out;

    StackCommands(PrintStream out) {
        this.out = out;
    }

    int up(CliOptions options) {
        Path dataDir = options.dataDirOr(STACK_NAME);
        LocalStack.RunningStack running = LocalStack.running(dataDir);
        if (running.isRunning()) {
            out.println("already running from " + dataDir + ":");
            printRunning(running);
            return SnapbusCli.OK;
        }
        LocalStack stack = start(options, dataDir, false);
        prepareTopicsAndSchemas(stack, out);
        out.println("running (stop it with: snapbus down" + dataOption(options) + ")");
        printRunning(LocalStack.running(dataDir));
        return SnapbusCli.OK;
    }

    int status(CliOptions options) {
        Path dataDir = options.dataDirOr(STACK_NAME);
        LocalStack.RunningStack running = LocalStack.running(dataDir);
        if (!running.isRunning()) {
            out.println("nothing runs from " + dataDir);
            return SnapbusCli.OK;
        }
        printRunning(running);
        return SnapbusCli.OK;
    }

    int down(CliOptions options) {
        Path dataDir = options.dataDirOr(STACK_NAME);
        List<String> stopped = LocalStack.stopFromPidFiles(dataDir);
        out.println(stopped.isEmpty() ? "nothing to stop in " + dataDir : "stopped " + String.join(", ", stopped));
        return SnapbusCli.OK;
    }

    /** Starts the stack with the command line's ports, reporting progress; {@code stopWithOwner} ties it to this JVM. */
    LocalStack start(CliOptions options, Path dataDir, boolean stopWithOwner) {
        out.print("starting Kafka (KRaft" + (options.brokers() > 1 ? ", " + options.brokers() + " brokers" : "")
                + (options.kafkaSecurity().equals("PLAINTEXT") ? "" : ", " + options.kafkaSecurity())
                + ") and the schema registry" + (options.s3() ? " and S3" : "") + " in "
                + dataDir + " ... ");
        out.flush();
        long started = System.nanoTime();
        LocalStack stack = LocalStack.start(options.stackConfig(dataDir)
                .s3Enabled(options.s3())
                .stopWithOwner(stopWithOwner)
                .build());
        out.printf("ready in %.1f s%n", (System.nanoTime() - started) / 1e9);
        return stack;
    }

    /** Creates the topics and registers the schemas, as a service would at start; prints what it found. */
    static void prepareTopicsAndSchemas(LocalStack stack, PrintStream out) {
        SnapbusKafkaProperties properties = SnapbusKafkaProperties.local(stack.bootstrapServers(), stack.registryUrl())
                .withReplicationFactor(stack.kafkaReplicationFactor());
        try (KafkaClients clients = new KafkaClients(properties, SpringKafkaProperties.passThrough(
                stack.kafkaClientConfigs())); Admin admin = clients.admin()) {
            TopicProvisioner.Report report = new TopicProvisioner(admin).ensure(clients.catalogue().all());
            out.printf("topics: %d created, %d reconfigured, %d already right%n", report.created().size(),
                    report.reconfigured().size(), report.unchanged().size());
            Map<String, Integer> ids = new SchemaRegistryAdmin(properties.registry().confluentApiUrl())
                    .registerAll(clients.catalogue());
            ids.forEach((topic, id) -> out.printf("  %-22s schema id %-3d subject %s-value (BACKWARD)%n", topic, id,
                    topic));
        }
    }

    private void printRunning(LocalStack.RunningStack running) {
        Map<String, Integer> ports = StackServices.ports(running.dataDir());
        running.pids().forEach((component, pid) -> out.printf("  %-12s pid %-8d%s%n", component, pid,
                ports.containsKey(component) ? "port " + ports.get(component) : ""));
        running.endpoints().stringPropertyNames().stream().sorted()
                .forEach(key -> out.printf("  %-24s %s%n", key, running.endpoints().getProperty(key)));
    }

    private static String dataOption(CliOptions options) {
        return options.dataDir().map(d -> " --data " + d).orElse("");
    }
}
