package io.snapbus.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a SASL_SSL local broker and its clients share, made once per data folder and kept with the broker's storage
 * (the SCRAM credential is written into the storage at format time): a SCRAM-SHA-512 user with a random password, and
 * a self-signed certificate for 127.0.0.1 in a PKCS12 key store with a trust store holding it.
 *
 * <pre>
 * &lt;data&gt;/secrets/local-kafka-password   the SCRAM user's password (mode 600)
 * &lt;data&gt;/secrets/local-tls-password     the stores' password (mode 600)
 * &lt;data&gt;/tls/broker.p12                  the brokers' key store
 * &lt;data&gt;/tls/truststore.p12              the clients' trust store
 * </pre>
 *
 * Clients get the passwords by reference only: the secrets folder is a Spring Boot config tree
 * ({@code spring.config.import=configtree:<data>/secrets/}), each file a property named after it.
 */
record KafkaCredentials(Path secrets, Path keyStore, Path trustStore) {
    static final String USER = "snapbus";
    static final String MECHANISM = "SCRAM-SHA-512";
    static final String KAFKA_PASSWORD = "local-kafka-password";
    static final String TLS_PASSWORD = "local-tls-password";
    private static final String NAME = KafkaBroker.NAME;

    /** The folder's credentials, made now if it has none yet. */
    static synchronized KafkaCredentials ensure(LocalStackConfig config) {
        Path data = config.dataDir();
        KafkaCredentials credentials = new KafkaCredentials(data.resolve("secrets"), data.resolve("tls/broker.p12"),
                data.resolve("tls/truststore.p12"));
        if (!Files.exists(credentials.secrets().resolve(KAFKA_PASSWORD))) {
            writeSecret(credentials.secrets(), KAFKA_PASSWORD, randomPassword());
        }
        if (!Files.exists(credentials.trustStore())) {
            credentials.makeStores(config.javaHome());
        }
        return credentials;
    }

    String kafkaPassword() {
        return readSecret(KAFKA_PASSWORD);
    }

    String tlsPassword() {
        return readSecret(TLS_PASSWORD);
    }

    /** The argument of {@code kafka-storage format --add-scram} that creates the user. */
    String scramArgument() {
        return MECHANISM + "=[name=" + USER + ",password=" + kafkaPassword() + "]";
    }

    /** The broker's TLS and SASL settings for a listener named {@code listener} (lower case). */
    Map<String, String> brokerProperties(String listener) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("sasl.enabled.mechanisms", MECHANISM);
        p.put("listener.name." + listener + ".scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.location", keyStore.toString());
        p.put("ssl.keystore.password", tlsPassword());
        p.put("ssl.key.password", tlsPassword());
        p.put("ssl.client.auth", "none");
        return p;
    }

    /**
     * The standard Spring Boot settings that connect a client to these brokers, passwords as placeholders resolved
     * from the config tree: nothing secret is in them.
     */
    Map<String, String> springClientSettings() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("spring.config.import", "optional:configtree:" + secrets + "/");
        p.put("spring.kafka.security.protocol", "SASL_SSL");
        p.put("spring.kafka.ssl.trust-store-location", "file:" + trustStore);
        p.put("spring.kafka.ssl.trust-store-type", "PKCS12");
        p.put("spring.kafka.ssl.trust-store-password", "${" + TLS_PASSWORD + "}");
        p.put("spring.kafka.properties.sasl.mechanism", MECHANISM);
        p.put("spring.kafka.properties.sasl.jaas.config", jaas("${" + KAFKA_PASSWORD + "}"));
        return p;
    }

    /** Plain Kafka client settings (passwords in clear) for a client in this JVM, such as a test's reader. */
    Map<String, String> clientConfigs() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("security.protocol", "SASL_SSL");
        p.put("ssl.truststore.location", trustStore.toString());
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.password", tlsPassword());
        p.put("sasl.mechanism", MECHANISM);
        p.put("sasl.jaas.config", jaas(kafkaPassword()));
        return p;
    }

    private static String jaas(String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + USER
                + "\" password=\"" + password + "\";";
    }

    private void makeStores(Path javaHome) {
        String password = randomPassword();
        Path tls = StackLayout.createDirectories(NAME, keyStore.getParent());
        Path pem = tls.resolve("broker.pem");
        try {
            Files.deleteIfExists(keyStore);
            Files.deleteIfExists(trustStore);
        } catch (IOException e) {
            throw new LocalComponentException(NAME, "cannot replace the TLS stores in " + tls + ": " + e, e);
        }
        keytool(javaHome, "-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "3650",
                "-dname", "CN=127.0.0.1,O=snapbus local", "-ext", "SAN=IP:127.0.0.1,DNS:localhost",
                "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", password, "-keypass", password);
        keytool(javaHome, "-exportcert", "-alias", "broker", "-rfc", "-file", pem.toString(),
                "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", password);
        keytool(javaHome, "-importcert", "-noprompt", "-alias", "snapbus-local", "-file", pem.toString(),
                "-keystore", trustStore.toString(), "-storetype", "PKCS12", "-storepass", password);
        writeSecret(secrets, TLS_PASSWORD, password);
    }

    private static void keytool(Path javaHome, String... args) {
        List<String> command = new ArrayList<>();
        command.add(javaHome.resolve("bin").resolve("keytool").toString());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new LocalComponentException(NAME, "keytool " + args[0] + " failed: " + output.strip());
            }
        } catch (IOException e) {
            throw new LocalComponentException(NAME, "cannot run keytool of " + javaHome + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalComponentException(NAME, "interrupted making the TLS stores", e);
        }
    }

    private static String randomPassword() {
        String alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            password.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return password.toString();
    }

    private static void writeSecret(Path folder, String name, String value) {
        StackLayout.createDirectories(NAME, folder);
        Path file = folder.resolve(name);
        try {
            Files.deleteIfExists(file);
            Files.createFile(file);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the file keeps the folder's default permissions
            }
            Files.writeString(file, value, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LocalComponentException(NAME, "cannot write " + file + ": " + e, e);
        }
    }

    private String readSecret(String name) {
        try {
            return Files.readString(secrets.resolve(name), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new LocalComponentException(NAME, "cannot read " + secrets.resolve(name) + " (" + e + "); remove the"
                    + " data folder to start fresh", e);
        }
    }

    /** Paths only. */
    @Override
    public String toString() {
        return "KafkaCredentials[secrets=" + secrets + ", trustStore=" + trustStore + "]";
    }
}
