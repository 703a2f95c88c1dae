package io.snapbus.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * Talks to the schema registry through its Confluent-compatible REST API: registers the value schema of each topic
 * under {@code <topic>-value} (the subject the serdes use) and sets its compatibility rule, so an incompatible
 * schema change is refused by the registry rather than discovered by a consumer.
 */
public final class SchemaRegistryAdmin {
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final int CONFLICT = 409;
    /** PUTs of a compatibility rule when others create it at the same moment (see setCompatibility). */
    private static final int CONFLICT_ATTEMPTS = 3;
    /** New readers must read old records: a replaying job-service reads everything the topic still holds. */
    public static final String DEFAULT_COMPATIBILITY = "BACKWARD";

    private final String confluentApiUrl;
    /** {@code Basic ...} when the registry wants basic authentication; never logged. */
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    public SchemaRegistryAdmin(String confluentApiUrl) {
        this(confluentApiUrl, null, null);
    }

    /** The registry of these settings: its Confluent API, with basic authentication when a user is set. */
    public static SchemaRegistryAdmin of(SnapbusKafkaProperties.Registry registry) {
        return new SchemaRegistryAdmin(registry.confluentApiUrl(), registry.username(), registry.password());
    }

    public SchemaRegistryAdmin(String confluentApiUrl, String username, String password) {
        this.authorization = username == null || username.isBlank() ? null : "Basic " + java.util.Base64.getEncoder()
                .encodeToString((username + ":" + (password == null ? "" : password)).getBytes(StandardCharsets.UTF_8));
        this.confluentApiUrl = confluentApiUrl.endsWith("/")
                ? confluentApiUrl.substring(0, confluentApiUrl.length() - 1) : confluentApiUrl;
    }

    public static String valueSubject(String topic) {
        return topic + "-value";
    }

    /** Registers (or finds) the schema under the subject and returns its id, as the wire format carries it. */
    public int register(String subject, Schema schema) {
        JsonNode answer = send("POST", "/subjects/" + encode(subject) + "/versions",
                json.createObjectNode().put("schema", schema.toString()).toString());
        return answer.path("id").asInt();
    }

    /**
     * Sets the subject's compatibility rule. Services that start together (a job-service and its agents) each set
     * it: when two create the rule at the same moment the registry answers the later one 409 ("already exists"); the
     * rule is there then, so the same PUT again updates it.
     */
    public void setCompatibility(String subject, String level) {
        String path = "/config/" + encode(subject);
        String body = json.createObjectNode().put("compatibility", level).toString();
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response = exchange("PUT", path, body);
            if (response.statusCode() != CONFLICT || attempt == CONFLICT_ATTEMPTS) {
                answer("PUT", path, response);
                return;
            }
        }
    }

    public String compatibility(String subject) {
        JsonNode answer = send("GET", "/config/" + encode(subject), null);
        return answer.has("compatibilityLevel") ? answer.get("compatibilityLevel").asText()
                : answer.path("compatibility").asText();
    }

    /** The schema with that id, as any Confluent client would fetch it to decode a record. */
    public Schema schemaById(int id) {
        JsonNode answer = send("GET", "/schemas/ids/" + id, null);
        return new Schema.Parser().parse(answer.path("schema").asText());
    }

    /** Registers every topic's value schema and sets the compatibility rule; returns topic to schema id. */
    public Map<String, Integer> registerAll(TopicCatalogue catalogue) {
        Map<String, Integer> ids = new java.util.LinkedHashMap<>();
        for (SnapbusTopic topic : SnapbusTopic.values()) {
            String subject = valueSubject(catalogue.name(topic));
            ids.put(catalogue.name(topic), register(subject, schemaOf(topic)));
            setCompatibility(subject, DEFAULT_COMPATIBILITY);
        }
        return ids;
    }

    public static Schema schemaOf(SnapbusTopic topic) {
        try {
            return (Schema) topic.valueType().getField("SCHEMA$").get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("not a generated Avro record: " + topic.valueType(), e);
        }
    }

    private JsonNode send(String method, String path, String body) {
        return answer(method, path, exchange(method, path, body));
    }

    /** The body of a 2xx answer, read as JSON; any other status is an error naming the request and the answer. */
    private JsonNode answer(String method, String path, HttpResponse<String> response) {
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("schema registry " + method + " " + path + " answered "
                    + response.statusCode() + ": " + response.body());
        }
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("schema registry " + method + " " + path + " answered what is not JSON: "
                    + e.getMessage(), e);
        }
    }

    private HttpResponse<String> exchange(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(confluentApiUrl + path))
                .timeout(Duration.ofSeconds(15))
                .header("Accept", CONTENT_TYPE);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        request = body == null ? request.method(method, HttpRequest.BodyPublishers.noBody())
                : request.header("Content-Type", CONTENT_TYPE).method(method, HttpRequest.BodyPublishers.ofString(body));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("schema registry at " + confluentApiUrl + " unreachable: " + e.getMessage(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted talking to the schema registry", e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
