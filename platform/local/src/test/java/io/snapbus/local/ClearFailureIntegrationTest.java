package io.snapbus.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each bad input gets one message naming the component and the remedy, and leaves no process behind. */
class ClearFailureIntegrationTest {

    @TempDir
    Path dataDir;

    @AfterEach
    void nothingIsLeftRunning() {
        assertThat(StackProcesses.alive(dataDir)).as(() -> StackProcesses.describe(StackProcesses.alive(dataDir))).isEmpty();
    }

    @Test
    void aKafkaPortInUseIsNamedWithItsRemedyAndTheRegistryStartedAlongsideIsStopped() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = taken.getLocalPort();

            LocalComponentException e = catchThrowableOfType(LocalComponentException.class,
                    () -> LocalStack.start(LocalStackConfig.builder().dataDir(dataDir).kafkaPort(port).build()));

            assertThat(e.component()).isEqualTo("kafka");
            assertThat(e.getMessage()).startsWith("kafka: port " + port + " on 127.0.0.1 is already in use; free it or choose another"
                    + " port (LocalStackConfig.kafkaPort, 0 picks a free one)");
        }
    }

    @Test
    void aRegistryJavaHomeWithoutJavaIsNamedWithItsRemedy(@TempDir Path notAJdk) {
        LocalComponentException e = catchThrowableOfType(LocalComponentException.class,
                () -> SchemaRegistry.start(LocalStackConfig.builder().dataDir(dataDir).registryJavaHome(notAJdk).build()));

        assertThat(e.component()).isEqualTo("registry");
        assertThat(e.getMessage()).startsWith("registry: no Java runtime at " + notAJdk.resolve("bin/java"))
                .contains("set LocalStackConfig.registryJavaHome to the home of a JDK 17 or newer");
    }

    @Test
    void aRegistryJavaOlderThan17IsNamedWithItsRemedy(@TempDir Path oldJdk) throws Exception {
        Path java = Files.createDirectories(oldJdk.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\necho 'openjdk version \"11.0.22\" 2024-01-16' >&2\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));

        LocalComponentException e = catchThrowableOfType(LocalComponentException.class,
                () -> SchemaRegistry.start(LocalStackConfig.builder().dataDir(dataDir).registryJavaHome(oldJdk).build()));

        assertThat(e.getMessage()).startsWith("registry: the Java runtime at " + oldJdk + " is Java 11, but registry needs Java 17 or newer")
                .contains("set LocalStackConfig.registryJavaHome");
    }

    @Test
    void aGarbledKafkaMetaPropertiesIsReportedAsACorruptDataFolder() throws Exception {
        Path meta = Files.createDirectories(dataDir.resolve("kafka")).resolve("meta.properties");
        Files.write(meta, new byte[] {0x00, (byte) 0xff, 0x13, 0x37, '=', '\n', 'x'});

        LocalComponentException e = catchThrowableOfType(LocalComponentException.class,
                () -> KafkaBroker.start(LocalStackConfig.defaults(dataDir)));

        assertThat(e.getMessage()).isEqualTo("kafka: data folder " + dataDir.resolve("kafka") + " looks corrupt (meta.properties has no"
                + " cluster.id): remove it to start fresh");
    }

    @Test
    void aDamagedKafkaMetadataLogStopsTheBrokerAndReportsTheLogTailAndTheRemedy() throws Exception {
        KafkaBroker.start(LocalStackConfig.defaults(dataDir)).stop();
        Files.write(dataDir.resolve("kafka/__cluster_metadata-0/quorum-state"), new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, 0x01});

        LocalComponentException e = catchThrowableOfType(LocalComponentException.class,
                () -> KafkaBroker.start(LocalStackConfig.defaults(dataDir)));

        assertThat(e.getMessage())
                .startsWith("kafka: the process exited with code 1 before it was ready; data folder " + dataDir.resolve("kafka")
                        + " looks corrupt: remove it to start fresh.")
                .contains("Last 30 lines of " + dataDir.resolve("logs/kafka.log"))
                .contains("quorum-state");
    }

    @Test
    void aRegistryDatabaseThatIsNotAnH2FileIsReportedAsACorruptDataFolder() throws Exception {
        Files.writeString(Files.createDirectories(dataDir.resolve("registry")).resolve("db.mv.db"), "this is not a database");

        LocalComponentException e = catchThrowableOfType(LocalComponentException.class,
                () -> SchemaRegistry.start(LocalStackConfig.defaults(dataDir)));

        assertThat(e.getMessage()).isEqualTo("registry: data folder " + dataDir.resolve("registry") + " looks corrupt (db.mv.db is not an"
                + " H2 database file): remove it to start fresh");
    }

    @Test
    void aDamagedRegistryDatabaseStopsTheRegistryAndReportsTheLogTailAndTheRemedy() throws Exception {
        Files.writeString(Files.createDirectories(dataDir.resolve("registry")).resolve("db.mv.db"),
                "H:2,block:2,blockSize:1000,chunk:0,created:zz,format:3,garbage\n" + "#".repeat(8192), StandardCharsets.US_ASCII);

        LocalComponentException e = catchThrowableOfType(LocalComponentException.class,
                () -> SchemaRegistry.start(LocalStackConfig.defaults(dataDir)));

        assertThat(e.getMessage())
                .startsWith("registry: the process exited with code")
                .contains("data folder " + dataDir.resolve("registry") + " looks corrupt: remove it to start fresh")
                .contains("Last 30 lines of " + dataDir.resolve("logs/registry.log") + " (stack frames left out)")
                .containsPattern("IO Exception|File corrupted|MVStoreException|Unsupported database file");
        assertThat(dataDir.resolve("run/registry.pid")).doesNotExist();
    }
}
