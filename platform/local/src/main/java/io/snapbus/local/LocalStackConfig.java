package io.snapbus.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How to run the local stack: where its data lives, which ports and JDKs to use, and how long to wait.
 *
 * <p>Every field has a default (see {@link Builder}); a port of 0 means "pick a free port on 127.0.0.1".
 *
 * @param dataDir               the one folder that holds everything: {@code kafka/}, {@code registry/}, {@code s3/},
 *                              {@code conf/}, {@code logs/<component>.log}, {@code run/<component>.pid}.
 *                              Default {@code ~/.snapbus/local}.
 * @param kafkaPort             the broker's client port; default 0 (free port).
 * @param kafkaControllerPort   the KRaft controller port; default 0 (free port).
 * @param registryPort          the schema registry's HTTP port; default 0 (free port).
 * @param s3Port                the S3 server's HTTP port; default 0 (free port).
 * @param s3Enabled             whether {@link LocalStack#start} also starts the S3 server; default false
 *                              ({@link LocalStack#startS3()} adds it later).
 * @param javaHome              the JDK (17+) that runs the broker and the S3 server; default this JVM's {@code java.home}.
 * @param registryJavaHome      the JDK (17+) that runs the registry; default {@code javaHome}.
 * @param kafkaHeap             the broker's {@code -Xmx}; default {@code 512m}.
 * @param registryHeap          the registry's {@code -Xmx}; default {@code 384m}.
 * @param s3Heap                the S3 server's {@code -Xmx}; default {@code 256m}.
 * @param startupTimeout        how long each component may take to become ready; default 120 s (a Spring service
 *                              starting beside others on a busy 2-core machine has taken 60).
 * @param stopTimeout           how long a component may take to stop after SIGTERM before it is killed; default 15 s.
 * @param s3AccessKey           the access key the S3 server accepts; default {@code snapbus}.
 * @param s3SecretKey           the secret the S3 server accepts; default {@code snapbus-secret}. Never printed.
 * @param kafkaProperties       extra or overriding broker properties ({@code server.properties} keys); default none.
 * @param cacheDir              where the registry distribution is unpacked once for all stacks; default
 *                              {@code $XDG_CACHE_HOME/snapbus} or {@code ~/.cache/snapbus}.
 * @param kafkaClasspath        the classpath of the broker JVM; default this JVM's {@code java.class.path}
 *                              (which holds kafka_2.13 for every user of snapbus-local).
 * @param registryDistribution  the Apicurio Registry {@code …-all.tar.gz} (or an unpacked copy); default: system
 *                              property {@code snapbus.local.registry.distribution}, else the local Maven repository.
 * @param s3proxyJar            the s3proxy {@code jar-with-dependencies}; default: system property
 *                              {@code snapbus.local.s3proxy.jar}, else the local Maven repository.
 * @param stopWithOwner         whether the components stop when this JVM ends (shutdown hook, and a watch in each
 *                              child that exits when this JVM is gone, even after {@code kill -9}); default true.
 *                              A CLI {@code up} command sets false and stops later with {@link LocalStack#stopFromPidFiles}.
 * @param classDataSharing      whether the registry, the S3 server and snapbus's own services ({@link JavaService}) use a
 *                              class data archive in {@code cacheDir} (written when a run of it stops cleanly, it
 *                              halves the CPU of later starts); default true.
 * @param kafkaBrokers          how many KRaft brokers to run (each a combined broker and controller, all of them
 *                              voters); default 1. With 3, losing any one broker loses no acknowledged write.
 * @param kafkaSecurity         what the brokers' client listener speaks: {@code PLAINTEXT} (default) or
 *                              {@code SASL_SSL} (SCRAM-SHA-512 user and a self-signed TLS certificate made at the
 *                              first start; {@link LocalStack#kafkaClientSettings()} tells clients how to connect).
 */
public record LocalStackConfig(
        Path dataDir,
        int kafkaPort,
        int kafkaControllerPort,
        int registryPort,
        int s3Port,
        boolean s3Enabled,
        Path javaHome,
        Path registryJavaHome,
        String kafkaHeap,
        String registryHeap,
        String s3Heap,
        Duration startupTimeout,
        Duration stopTimeout,
        String s3AccessKey,
        String s3SecretKey,
        Map<String, String> kafkaProperties,
        Path cacheDir,
        String kafkaClasspath,
        Path registryDistribution,
        Path s3proxyJar,
        boolean stopWithOwner,
        boolean classDataSharing,
        int kafkaBrokers,
        KafkaSecurity kafkaSecurity) {

    /** What the brokers' client listener speaks; the controller and inter-broker listeners stay PLAINTEXT. */
    public enum KafkaSecurity {
        PLAINTEXT,
        /** SCRAM-SHA-512 authentication over TLS. */
        SASL_SSL
    }

    public LocalStackConfig {
        dataDir = Objects.requireNonNull(dataDir, "dataDir").toAbsolutePath().normalize();
        requirePort("kafkaPort", kafkaPort);
        requirePort("kafkaControllerPort", kafkaControllerPort);
        requirePort("registryPort", registryPort);
        requirePort("s3Port", s3Port);
        Objects.requireNonNull(javaHome, "javaHome");
        Objects.requireNonNull(registryJavaHome, "registryJavaHome");
        requireHeap("kafkaHeap", kafkaHeap);
        requireHeap("registryHeap", registryHeap);
        requireHeap("s3Heap", s3Heap);
        requirePositive("startupTimeout", startupTimeout);
        requirePositive("stopTimeout", stopTimeout);
        Objects.requireNonNull(s3AccessKey, "s3AccessKey");
        Objects.requireNonNull(s3SecretKey, "s3SecretKey");
        kafkaProperties = Map.copyOf(Objects.requireNonNull(kafkaProperties, "kafkaProperties"));
        Objects.requireNonNull(cacheDir, "cacheDir");
        Objects.requireNonNull(kafkaClasspath, "kafkaClasspath");
        if (kafkaBrokers < 1 || kafkaBrokers > 9) {
            throw new IllegalArgumentException("kafkaBrokers must be 1 to 9, not " + kafkaBrokers);
        }
        if (kafkaBrokers > 1 && (kafkaPort != 0 || kafkaControllerPort != 0)) {
            throw new IllegalArgumentException("kafkaPort and kafkaControllerPort must be 0 (free ports) with "
                    + kafkaBrokers + " brokers");
        }
        Objects.requireNonNull(kafkaSecurity, "kafkaSecurity");
        if (kafkaPort != 0 && kafkaPort == kafkaControllerPort) {
            throw new IllegalArgumentException("kafkaPort and kafkaControllerPort must differ (both are " + kafkaPort + ")");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** All defaults, with data under {@code dataDir}. */
    public static LocalStackConfig defaults(Path dataDir) {
        return builder().dataDir(dataDir).build();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.dataDir = dataDir;
        b.kafkaPort = kafkaPort;
        b.kafkaControllerPort = kafkaControllerPort;
        b.registryPort = registryPort;
        b.s3Port = s3Port;
        b.s3Enabled = s3Enabled;
        b.javaHome = javaHome;
        // Left unset when it is just the default, so a changed javaHome carries over to the registry.
        b.registryJavaHome = registryJavaHome.equals(javaHome) ? null : registryJavaHome;
        b.kafkaHeap = kafkaHeap;
        b.registryHeap = registryHeap;
        b.s3Heap = s3Heap;
        b.startupTimeout = startupTimeout;
        b.stopTimeout = stopTimeout;
        b.s3AccessKey = s3AccessKey;
        b.s3SecretKey = s3SecretKey;
        b.kafkaProperties.putAll(kafkaProperties);
        b.cacheDir = cacheDir;
        b.kafkaClasspath = kafkaClasspath;
        b.registryDistribution = registryDistribution;
        b.s3proxyJar = s3proxyJar;
        b.stopWithOwner = stopWithOwner;
        b.classDataSharing = classDataSharing;
        b.kafkaBrokers = kafkaBrokers;
        b.kafkaSecurity = kafkaSecurity;
        return b;
    }

    /** Never prints the S3 secret. */
    @Override
    public String toString() {
        return "LocalStackConfig[dataDir=" + dataDir + ", kafkaPort=" + kafkaPort + ", kafkaControllerPort=" + kafkaControllerPort
                + ", registryPort=" + registryPort + ", s3Port=" + s3Port + ", s3Enabled=" + s3Enabled + ", javaHome=" + javaHome
                + ", registryJavaHome=" + registryJavaHome + ", heaps=" + kafkaHeap + "/" + registryHeap + "/" + s3Heap
                + ", startupTimeout=" + startupTimeout + ", stopTimeout=" + stopTimeout + ", s3AccessKey=" + s3AccessKey
                + ", s3SecretKey=***, kafkaProperties=" + kafkaProperties + ", cacheDir=" + cacheDir
                + ", registryDistribution=" + registryDistribution + ", s3proxyJar=" + s3proxyJar + ", stopWithOwner=" + stopWithOwner + ", classDataSharing=" + classDataSharing
                + ", kafkaBrokers=" + kafkaBrokers + ", kafkaSecurity=" + kafkaSecurity + "]";
    }

    private static void requirePort(String name, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be 0 (free port) or 1-65535, not " + port);
        }
    }

    private static void requireHeap(String name, String heap) {
        if (heap == null || !heap.matches("\\d+[kKmMgG]?")) {
            throw new IllegalArgumentException(name + " must be a -Xmx size such as 512m, not " + heap);
        }
    }

    private static void requirePositive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, not " + d);
        }
    }

    static Path defaultCacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("snapbus");
    }

    /** Builds a {@link LocalStackConfig}; unset fields keep the defaults documented on the record. */
    public static final class Builder {
        private Path dataDir = Path.of(System.getProperty("user.home"), ".snapbus", "local");
        private int kafkaPort;
        private int kafkaControllerPort;
        private int registryPort;
        private int s3Port;
        private boolean s3Enabled;
        private Path javaHome = Path.of(System.getProperty("java.home"));
        private Path registryJavaHome;
        private String kafkaHeap = "512m";
        private String registryHeap = "384m";
        private String s3Heap = "256m";
        private Duration startupTimeout = Duration.ofSeconds(120);
        private Duration stopTimeout = Duration.ofSeconds(15);
        private String s3AccessKey = "snapbus";
        private String s3SecretKey = "snapbus-secret";
        private final Map<String, String> kafkaProperties = new LinkedHashMap<>();
        private Path cacheDir = defaultCacheDir();
        private String kafkaClasspath = System.getProperty("java.class.path");
        private Path registryDistribution;
        private Path s3proxyJar;
        private boolean stopWithOwner = true;
        private boolean classDataSharing = true;
        private int kafkaBrokers = 1;
        private KafkaSecurity kafkaSecurity = KafkaSecurity.PLAINTEXT;

        private Builder() {
        }

        public Builder dataDir(Path dataDir) { this.dataDir = dataDir; return this; }
        public Builder kafkaPort(int port) { this.kafkaPort = port; return this; }
        public Builder kafkaControllerPort(int port) { this.kafkaControllerPort = port; return this; }
        public Builder registryPort(int port) { this.registryPort = port; return this; }
        public Builder s3Port(int port) { this.s3Port = port; return this; }
        public Builder s3Enabled(boolean enabled) { this.s3Enabled = enabled; return this; }
        public Builder javaHome(Path javaHome) { this.javaHome = javaHome; return this; }
        public Builder registryJavaHome(Path javaHome) { this.registryJavaHome = javaHome; return this; }
        public Builder kafkaHeap(String heap) { this.kafkaHeap = heap; return this; }
        public Builder registryHeap(String heap) { this.registryHeap = heap; return this; }
        public Builder s3Heap(String heap) { this.s3Heap = heap; return this; }
        public Builder startupTimeout(Duration timeout) { this.startupTimeout = timeout; return this; }
        public Builder stopTimeout(Duration timeout) { this.stopTimeout = timeout; return this; }
        public Builder s3Credentials(String accessKey, String secretKey) { this.s3AccessKey = accessKey; this.s3SecretKey = secretKey; return this; }
        public Builder kafkaProperty(String key, String value) { this.kafkaProperties.put(key, value); return this; }
        public Builder cacheDir(Path cacheDir) { this.cacheDir = cacheDir; return this; }
        public Builder kafkaClasspath(String classpath) { this.kafkaClasspath = classpath; return this; }
        public Builder registryDistribution(Path distribution) { this.registryDistribution = distribution; return this; }
        public Builder s3proxyJar(Path jar) { this.s3proxyJar = jar; return this; }
        public Builder stopWithOwner(boolean stopWithOwner) { this.stopWithOwner = stopWithOwner; return this; }
        public Builder classDataSharing(boolean classDataSharing) { this.classDataSharing = classDataSharing; return this; }
        public Builder kafkaBrokers(int brokers) { this.kafkaBrokers = brokers; return this; }
        public Builder kafkaSecurity(KafkaSecurity security) { this.kafkaSecurity = security; return this; }

        public LocalStackConfig build() {
            return new LocalStackConfig(dataDir, kafkaPort, kafkaControllerPort, registryPort, s3Port, s3Enabled,
                    javaHome, registryJavaHome != null ? registryJavaHome : javaHome, kafkaHeap, registryHeap, s3Heap,
                    startupTimeout, stopTimeout, s3AccessKey, s3SecretKey, kafkaProperties, cacheDir, kafkaClasspath,
                    registryDistribution, s3proxyJar, stopWithOwner, classDataSharing, kafkaBrokers, kafkaSecurity);
        }
    }
}
