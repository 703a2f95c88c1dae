package io.snapbus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The job-service's REST API as the CLI uses it; a 4xx/5xx answer becomes an exception with its message. */
public final class JobServiceClient {
    /** How long an answer may take. */
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    /** A load answers once every tablet has its version: 100 000 tablets took ~4 minutes on the project's machine. */
    private static final Duration LOAD_TIMEOUT = Duration.ofHours(1);
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    public JobServiceClient(URI base) {
        this.base = base;
    }

    public JsonNode get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    public JsonNode post(String path, Object body) {
        try {
            return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public JsonNode delete(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).DELETE());
    }

    public JsonNode patch(String path, Object body) {
        try {
            return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public JsonNode postRows(String path, String contentType, byte[] rows) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(rows)), LOAD_TIMEOUT);
    }

    /** The answer's body as text (e.g. the NDJSON of {@code GET .../rows}). */
    public String getText(String path) {
        return sendRaw(HttpRequest.newBuilder(base.resolve(path)).GET(), TIMEOUT);
    }

    private JsonNode send(HttpRequest.Builder request) {
        return send(request, TIMEOUT);
    }

    private JsonNode send(HttpRequest.Builder request, Duration timeout) {
        String body = sendRaw(request, timeout);
        try {
            return body.isBlank() ? json.nullNode() : json.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("job-service at " + base + " answered no JSON: " + e.getMessage(), e);
        }
    }

    private String sendRaw(HttpRequest.Builder request, Duration timeout) {
        try {
            HttpResponse<String> response = http.send(request.timeout(timeout).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                String message = response.body();
                try {
                    message = json.readTree(response.body()).path("message").asText(response.body());
                } catch (IOException notJson) {
                    // the body as it is
                }
                throw new IllegalStateException(response.request().method() + " " + response.uri().getPath()
                        + " answered " + response.statusCode() + ": " + message);
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("job-service at " + base + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
