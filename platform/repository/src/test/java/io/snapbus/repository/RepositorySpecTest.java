package io.snapbus.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Repository specs from Doris's BE-style properties, their defaults, and secrets kept out of sight. */
class RepositorySpecTest {

    @Test
    void mapsDorisBackendKeys() {
        RepositorySpec spec = RepositorySpec.fromDorisProperties("s3://bucket/backups", Map.of(
                "AWS_ENDPOINT", "127.0.0.1:9000", "AWS_REGION", "eu-west-1", "AWS_ACCESS_KEY", "AKIAEXAMPLE",
                "AWS_SECRET_KEY", "s3cr3t-value", "AWS_TOKEN", "t0ken-value", "use_path_style", "true",
                "AWS_MAX_CONN_SIZE", "8", "AWS_REQUEST_TIMEOUT_MS", "3000", "AWS_CONNECTION_TIMEOUT_MS", "1000",
                "something_else", "dropped"));

        assertThat(spec.location()).isEqualTo(URI.create("s3://bucket/backups"));
        assertThat(spec.properties()).containsOnly(Map.entry("s3.endpoint", "http://127.0.0.1:9000"), Map.entry("s3.region", "eu-west-1"),
                Map.entry("s3.path_style", "true"), Map.entry("s3.max_connections", "8"), Map.entry("s3.request_timeout_ms", "3000"),
                Map.entry("s3.connection_timeout_ms", "1000"));
        assertThat(spec.credentials()).contains(new RepositorySpec.Credentials("AKIAEXAMPLE", "s3cr3t-value", "t0ken-value"));
        assertThat(spec.toString()).contains("AKIAEXAMPLE").doesNotContain("s3cr3t-value").doesNotContain("t0ken-value");
        assertThat(spec.credentials().orElseThrow().toString()).doesNotContain("s3cr3t-value");

        S3Settings settings = S3Settings.from(spec);
        assertThat(settings.endpoint()).contains(URI.create("http://127.0.0.1:9000"));
        assertThat(settings.pathStyle()).isTrue();
        assertThat(settings.maxConnections()).isEqualTo(8);
        assertThat(settings.multipartThreshold()).isEqualTo(64L << 20);
    }

    @Test
    void acceptsOurOwnKeysAndDefaults() {
        RepositorySpec spec = RepositorySpec.fromDorisProperties("s3://bucket", Map.of("s3.endpoint", "https://s3.example.com",
                "s3.access_key", "ak", "s3.secret_key", "sk"));

        assertThat(spec.credentials()).contains(new RepositorySpec.Credentials("ak", "sk", null));
        S3Settings settings = S3Settings.from(spec);
        assertThat(settings.region()).isEqualTo("us-east-1");
        assertThat(settings.pathStyle()).as("path style is the default with an endpoint").isTrue();
        assertThat(S3Settings.from(RepositorySpec.fromDorisProperties("s3://bucket", Map.of())).pathStyle()).isFalse();
        assertThat(RepositorySpec.fromDorisProperties("/data/repo", Map.of()).location()).isEqualTo(Path.of("/data/repo").toUri());
    }

    @Test
    void refusesHalfCredentialsAndSecretsInProperties() {
        assertThatThrownBy(() -> RepositorySpec.fromDorisProperties("s3://b", Map.of("AWS_SECRET_KEY", "only-secret")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("access key").hasMessageNotContaining("only-secret");
        assertThatThrownBy(() -> RepositorySpec.of(URI.create("s3://b"), Map.of("s3.secret_key", "leak")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("leak");
        assertThatThrownBy(() -> S3Settings.from(RepositorySpec.of(URI.create("s3://b"), Map.of("s3.path_style", "yes"))))
                .hasMessageContaining("s3.path_style must be true or false");
        assertThatThrownBy(() -> S3Settings.from(RepositorySpec.of(URI.create("s3://b"), Map.of("s3.part_size", "1024"))))
                .hasMessageContaining("s3.part_size must be at least 5242880");
    }

    @Test
    void opensByScheme() {
        assertThatThrownBy(() -> RepositoryStorages.open(RepositorySpec.of(URI.create("hdfs://namenode/backups"), Map.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scheme 'hdfs' is not supported")
                .hasMessageContaining("file:///absolute/dir or s3://bucket");
        assertThatThrownBy(() -> RepositorySpec.of(URI.create("relative/dir"), Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RepositoryStorages.open(RepositorySpec.of(URI.create("file:relative"), Map.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("file:///absolute/dir");
        try (RepositoryStorage s3 = RepositoryStorages.open(RepositorySpec.of(URI.create("s3://bucket/p"),
                Map.of("s3.endpoint", "http://127.0.0.1:1")))) {
            assertThat(s3.location()).isEqualTo(URI.create("s3://bucket/p"));
        }
    }
}
