package io.snapbus.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.jobs.catalog.Catalog;
import io.snapbus.local.LocalStack;
import io.snapbus.local.S3Endpoint;
import io.snapbus.testing.SnapbusInfra;
import io.snapbus.testing.SnapbusInfraExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** S3 repositories against the harness's S3 server: credentials resolved by reference, failures refused cleanly. */
@SnapbusInfra(s3 = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3RepositoryIntegrationTest {
    private ConfigurableApplicationContext app;
    private Http http;
    private S3Endpoint s3;
    private S3Client client;
    private String bucket;

    @BeforeAll
    void start(LocalStack stack, S3Endpoint s3) throws Exception {
        this.s3 = s3;
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "jobs-s3-");
        Path credentials = Files.writeString(dir.resolve("credentials.properties"),
                "good.access_key=" + s3.accessKey() + "\ngood.secret_key=" + s3.secretKey() + "\n"
                        + "bad.access_key=" + s3.accessKey() + "\nbad.secret_key=wrong-secret-value\n");
        app = new SpringApplicationBuilder(CatalogServiceApplication.class).run(
                "--server.port=0",
                "--snapbus.kafka.bootstrap-servers=" + stack.bootstrapServers(),
                "--snapbus.kafka.registry.url=" + stack.registryUrl(),
                "--snapbus.kafka.topic-prefix=" + SnapbusInfraExtension.uniqueName("jobs") + ".",
                "--snapbus.jobs.credentials-file=" + credentials);
        http = new Http(((WebServerApplicationContext) app).getWebServer().getPort());
        client = S3Client.builder().endpointOverride(s3.endpoint()).region(Region.of(s3.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(),
                        s3.secretKey())))
                .forcePathStyle(true).build();
        bucket = SnapbusInfraExtension.uniqueName("bkt");
        client.createBucket(b -> b.bucket(bucket));
    }

    @AfterAll
    void stop() {
        if (client != null) {
            client.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void createsAnS3RepositoryWithReferencedCredentialsAndRefusesAWrongSecret() {
        Map<String, String> properties = Map.of("s3.endpoint", s3.endpoint().toString(), "s3.region", s3.region(),
                "s3.path_style", "true");
        Http.Answer created = http.post("/api/repositories", Map.of("name", "s3repo", "location",
                "s3://" + bucket + "/backups", "properties", properties, "credentialRef", "good"));
        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
        assertThat(client.headObject(b -> b.bucket(bucket)
                .key("backups/__palo_repository_s3repo/__repo_info")).contentLength()).isPositive();
        assertThat(http.get("/api/repositories/s3repo/snapshots").body()).isEmpty();

        long seq = app.getBean(Catalog.class).seq();
        Http.Answer wrongSecret = http.post("/api/repositories", Map.of("name", "wrong", "location",
                "s3://" + bucket + "/other", "properties", properties, "credentialRef", "bad"));
        assertThat(wrongSecret.status()).as("%s", wrongSecret.body()).isEqualTo(400);
        assertThat(wrongSecret.error()).isEqualTo("REPOSITORY_ACCESS_DENIED");
        assertThat(wrongSecret.message()).doesNotContain("wrong-secret-value");
        Http.Answer noBucket = http.post("/api/repositories", Map.of("name", "nobucket", "location",
                "s3://" + SnapbusInfraExtension.uniqueName("missing") + "/x", "properties", properties,
                "credentialRef", "good"));
        assertThat(noBucket.status()).as("%s", noBucket.body()).isBetween(400, 502);
        assertThat(app.getBean(Catalog.class).seq()).isEqualTo(seq);

        String listed = http.get("/api/repositories").body().toString();
        assertThat(listed).contains("\"credentialRef\":\"good\"").doesNotContain(s3.secretKey());
    }
}
