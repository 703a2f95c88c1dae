package io.snapbus.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.snapbus.local.LocalStack;
import io.snapbus.local.S3Endpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The other class using the harness, with S3: it gets the same stack, with S3 added on first request. */
@SnapbusInfra(s3 = true)
class SecondInfraUserIntegrationTest {

    @Test
    void getsTheSameStackWithS3Started(LocalStack stack, S3Endpoint s3) throws Exception {
        assertThat(stack.s3()).contains(s3);
        assertThat(stack.components()).extracting(c -> c.name()).contains("kafka", "registry", "s3");
        HttpResponse<String> answer = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(stack.registryConfluentUrl() + "/subjects")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        StackSightings.SEEN.put(getClass(), stack);
    }

    @Test
    void uniqueNamesNeverRepeat() {
        assertThat(SnapbusInfraExtension.uniqueName("t")).isNotEqualTo(SnapbusInfraExtension.uniqueName("t")).matches("t-[0-9a-f]{6}-\\d+");
    }

    @AfterAll
    static void sameStackAsTheOtherClass() {
        assertThat(StackSightings.SEEN.values().stream().distinct()).hasSize(1);
    }
}
