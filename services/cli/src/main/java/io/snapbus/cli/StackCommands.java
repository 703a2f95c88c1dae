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
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code up}, {@code status} and {@code down}: the local infrastructure as a long-running thing. */
final class StackCommands {
    static final String STACK_NAME = "local";

    private StackCommands() {}

    /** What the three commands share: where they print, and the stack's folder. */
    abstract static class OnStack implements LocalCommand {
        final PrintStream out;

        @Mixin
        DataFolder data;

        OnStack(PrintStream out) {
            this.out = out;
        }

        Path dataDir() {
            return data.orDefault(STACK_NAME);
        }
    }

    /** {@code snapbus up}: starts Kafka, the schema registry (and S3) and leaves them running. */
    @Command(name = "up", description = "Start the local infrastructure (Kafka, the schema registry, S3 with --s3) "
            + "and leave it up; creates snapbus's topics and registers their schemas.")
    static final class Up extends OnStack {
        @Spec
        CommandSpec spec;

        @Mixin
        KafkaOptions kafka;

        @Option(names = "--s3", description = "Also start the S3 server.")
        boolean s3;

        int s3Port;

        Up(PrintStream out) {
            super(out);
        }

        @Option(names = "--s3-port", paramLabel = "PORT", description = "The S3 server's port (default 0: a free "
                + "one).")
        void s3Port(int given) {
            s3Port = KafkaOptions.port(spec, "--s3-port", given);
        }

        @Override
        public Integer call() {
            Path dataDir = dataDir();
            LocalStack.RunningStack running = LocalStack.running(dataDir);
            if (running.isRunning()) {
                out.println("already running from " + dataDir + ":");
                printRunning(out, running);
                return SnapbusCli.OK;
            }
            out.print("starting " + kafka.describe() + " and the schema registry" + (s3 ? " and S3" : "") + " in "
                    + dataDir + " ... ");
            out.flush();
            long started = System.nanoTime();
            LocalStack stack = LocalStack.start(kafka.stackConfig(dataDir).s3Port(s3Port).s3Enabled(s3)
                    .stopWithOwner(false).build());
            out.printf("ready in %.1f s%n", (System.nanoTime() - started) / 1e9);
            prepareTopicsAndSchemas(stack, out);
            out.println("running (stop it with: snapbus down" + data.asOption() + ")");
            printRunning(out, LocalStack.running(dataDir));
            return SnapbusCli.OK;
        }
    }

    /** {@code snapbus status}: what runs from the folder, with pids, ports and endpoints. */
    @Command(name = "status", description = "Show what runs from the stack's folder and where.")
    static final class Status extends OnStack {
        Status(PrintStream out) {
            super(out);
        }

        @Override
        public Integer call() {
            Path dataDir = dataDir();
            LocalStack.RunningStack running = LocalStack.running(dataDir);
            if (!running.isRunning()) {
                out.println("nothing runs from " + dataDir);
                return SnapbusCli.OK;
            }
            printRunning(out, running);
            return SnapbusCli.OK;
        }
    }

    /** {@code snapbus down}: stops every process the folder's pid files name. */
    @Command(name = "down", description = "Stop what `up` or `quickstart --keep` started.")
    static final class Down extends OnStack {
        Down(PrintStream out) {
            super(out);
        }

        @Override
        public Integer call() {
            Path dataDir = dataDir();
            List<String> stopped = LocalStack.stopFromPidFiles(dataDir);
            out.println(stopped.isEmpty() ? "nothing to stop in " + dataDir : "stopped " + String.join(", ", stopped));
            return SnapbusCli.OK;
        }
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

    private static void printRunning(PrintStream out, LocalStack.RunningStack running) {
        Map<String, Integer> ports = StackServices.ports(running.dataDir());
        running.pids().forEach((component, pid) -> out.printf("  %-12s pid %-8d%s%n", component, pid,
                ports.containsKey(component) ? "port " + ports.get(component) : ""));
        running.endpoints().stringPropertyNames().stream().sorted()
                .forEach(key -> out.printf("  %-24s %s%n", key, running.endpoints().getProperty(key)));
    }
}
