package io.snapbus.cli;

import io.snapbus.local.LocalStackConfig;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** How {@code up} and {@code quickstart} run Kafka and the schema registry: brokers, security, ports. */
final class KafkaOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    int brokers = 1;

    @Option(names = "--kafka-security", paramLabel = "PROTOCOL", description = "PLAINTEXT (default) or SASL_SSL: "
            + "clients authenticate with SCRAM-SHA-512 over TLS (a self-signed certificate for 127.0.0.1); "
            + "passwords and the trust store in DIR/secrets and DIR/tls, services get them by reference.")
    LocalStackConfig.KafkaSecurity security = LocalStackConfig.KafkaSecurity.PLAINTEXT;

    int kafkaPort;
    int registryPort;

    @Option(names = "--brokers", paramLabel = "N", description = "KRaft brokers, 1 (default) to 9, each broker and "
            + "controller; with 3, snapbus's topics get 3 replicas and min.insync.replicas=2, so one broker may die "
            + "without losing an acknowledged record.")
    void brokers(int given) {
        if (given < 1 || given > 9) {
            throw new ParameterException(command.commandLine(), "--brokers must be 1 to 9, got " + given);
        }
        brokers = given;
    }

    @Option(names = "--kafka-port", paramLabel = "PORT", description = "The broker's port (default 0: a free one).")
    void kafkaPort(int given) {
        kafkaPort = port(command, "--kafka-port", given);
    }

    @Option(names = "--registry-port", paramLabel = "PORT",
            description = "The schema registry's port (default 0: a free one).")
    void registryPort(int given) {
        registryPort = port(command, "--registry-port", given);
    }

    /** The local stack's settings these options ask for, in {@code dataDir}. */
    LocalStackConfig.Builder stackConfig(Path dataDir) {
        return LocalStackConfig.builder().dataDir(dataDir).kafkaPort(kafkaPort).registryPort(registryPort)
                .kafkaBrokers(brokers).kafkaSecurity(security);
    }

    /** {@code "Kafka (KRaft[, 3 brokers][, SASL_SSL])"}, as the commands say what they start. */
    String describe() {
        return "Kafka (KRaft" + (brokers > 1 ? ", " + brokers + " brokers" : "")
                + (security == LocalStackConfig.KafkaSecurity.PLAINTEXT ? "" : ", " + security) + ")";
    }

    /** A port number from 0 (a free one) to 65535; refused as a usage error otherwise. */
    static int port(CommandSpec command, String option, int given) {
        if (given < 0 || given > 65535) {
            throw new ParameterException(command.commandLine(), option + " must be a port number from 0 to 65535, "
                    + "got " + given);
        }
        return given;
    }
}
