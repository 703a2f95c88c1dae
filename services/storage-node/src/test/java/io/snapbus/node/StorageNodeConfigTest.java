package io.snapbus.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageNodeConfigTest {
    @TempDir
    Path dir;

    @Test
    void environmentOverridesTheFileAndSystemPropertiesOverrideBoth() throws Exception {
        Path file = Files.writeString(dir.resolve("node.properties"), """
                snapbus.node.storage_root_path=%s
                snapbus.node.be_port=9070
                snapbus.node.upload_worker_count=3
                snapbus.node.report_task_interval_seconds=5
                snapbus.node.upload_sync_file_system=false
                """.formatted(dir.resolve("data")));
        Properties system = new Properties();
        system.setProperty("snapbus.node.upload_worker_count", "7");

        StorageNodeConfig config = StorageNodeConfig.load(Optional.of(file),
                Map.of("SNAPBUS_NODE_BE_PORT", "9080", "SNAPBUS_NODE_UPLOAD_VERIFY_CHECKSUMS", "true"), system);

        assertThat(config.storageRoot()).isEqualTo(dir.resolve("data"));
        assertThat(config.bePort()).isEqualTo(9080);
        assertThat(config.uploadWorkerCount()).isEqualTo(7);
        assertThat(config.uploadVerifyChecksums()).isTrue();
        assertThat(config.uploadSyncFileSystem()).isFalse();
        assertThat(StorageNodeConfig.defaults(dir).uploadSyncFileSystem()).isTrue();
        assertThat(config.reportTaskInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.makeSnapshotWorkerCount()).as("Doris's default").isEqualTo(5);
    }

    @Test
    void aBadValueIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> StorageNodeConfig.load(Optional.empty(),
                Map.of("SNAPBUS_NODE_UPLOAD_WORKER_COUNT", "zero"), new Properties()))
                .hasMessage("storage node setting snapbus.node.upload_worker_count must be a whole number, got 'zero'");
        assertThatThrownBy(() -> StorageNodeConfig.load(Optional.empty(),
                Map.of("SNAPBUS_NODE_BE_PORT", "70000"), new Properties()))
                .hasMessageContaining("be_port must be a port from 0 to 65535");
        assertThatThrownBy(() -> StorageNodeConfig.load(Optional.of(dir.resolve("missing.properties")), Map.of(),
                new Properties())).hasMessageContaining("cannot read the storage node config");
    }
}
