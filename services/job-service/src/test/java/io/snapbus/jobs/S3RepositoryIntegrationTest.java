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
import org.springframework.boot.web.server.context.WebServerApplicationContext;
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
                        + "bad.access_key=" + s3.accessKey() + "\nbad.secret_key=wrong-secret-value\n"
                        + "rotated.access_key=" + s3.accessKey() + "\nrotated.secret_key=" + s3.secretKey() + "\n");
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

    @Test
    void altersAnS3RepositorysCredentialsOnlyAfterTheNewOnesReadItsInfoFile() throws Exception {
        Map<String, String> properties = Map.of("s3.endpoint", s3.endpoint().toString(), "s3.region", s3.region(),
                "s3.path_style", "true");
        assertThat(http.post("/api/repositories", Map.of("name", "rotating", "location", "s3://" + bucket
                + "/rotating", "properties", properties, "credentialRef", "good")).status()).isEqualTo(201);
        Path fsDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "jobs-fs-repo-");
        assertThat(http.post("/api/repositories", Map.of("name", "on_disk", "location", fsDir.toUri().toString()))
                .status()).isEqualTo(201);
        Catalog catalog = app.getBean(Catalog.class);
        long seq = catalog.seq();

        Http.Answer wrongSecret = http.patch("/api/repositories/rotating", Map.of("credentialRef", "bad"));
        assertThat(wrongSecret.status()).as("%s", wrongSecret.body()).isEqualTo(400);
        assertThat(wrongSecret.error()).isEqualTo("REPOSITORY_ACCESS_DENIED");
        assertThat(wrongSecret.message()).doesNotContain("wrong-secret-value").doesNotContain(s3.secretKey());
        Http.Answer unknownRef = http.patch("/api/repositories/rotating", Map.of("credentialRef", "nowhere"));
        assertThat(unknownRef.status()).isEqualTo(400);
        assertThat(unknownRef.message()).contains("credential 'nowhere' is not defined");
        Http.Answer wrongEndpoint = http.patch("/api/repositories/rotating", Map.of("properties",
                Map.of("s3.endpoint", "http://127.0.0.1:9")));
        assertThat(wrongEndpoint.status()).as("%s", wrongEndpoint.body()).isBetween(400, 502);
        Http.Answer moved = http.patch("/api/repositories/rotating", Map.of("location", "s3://" + bucket
                + "/elsewhere", "credentialRef", "rotated"));
        assertThat(moved.status()).isEqualTo(400);
        assertThat(moved.message()).contains("the location cannot be altered");
        Http.Answer readOnly = http.patch("/api/repositories/rotating", Map.of("readOnly", true));
        assertThat(readOnly.status()).isEqualTo(400);
        assertThat(readOnly.message()).contains("read-only cannot be altered");
        Http.Answer fileSystem = http.patch("/api/repositories/on_disk", Map.of("credentialRef", "good"));
        assertThat(fileSystem.status()).isEqualTo(400);
        assertThat(fileSystem.message()).contains("only an S3 repository's properties and credentialRef");
        assertThat(http.patch("/api/repositories/nothing_here", Map.of("credentialRef", "good")).status())
                .isEqualTo(404);
        assertThat(catalog.seq()).as("nothing changed").isEqualTo(seq);
        assertThat(catalog.repository("rotating").orElseThrow().getRef().getCredentialRef()).isEqualTo("good");

        Http.Answer rotated = http.patch("/api/repositories/rotating", Map.of("credentialRef", "rotated",
                "location", "s3://" + bucket + "/rotating", "properties", Map.of("s3.region", s3.region())));

        assertThat(rotated.status()).as("%s", rotated.body()).isEqualTo(200);
        assertThat(rotated.body().at("/ref/credentialRef").asText()).isEqualTo("rotated");
        assertThat(rotated.body().at("/ref/revision").asLong()).isEqualTo(1);
        var ref = catalog.repository("rotating").orElseThrow().getRef();
        assertThat(ref.getRevision()).isEqualTo(1);
        assertThat(ref.getCredentialRef()).isEqualTo("rotated");
        assertThat(ref.getProperties()).isEqualTo(properties);
        assertThat(http.get("/api/repositories").body().toString()).doesNotContain(s3.secretKey());
    }
}
