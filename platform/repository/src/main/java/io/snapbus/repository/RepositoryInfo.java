package io.snapbus.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code __repo_info} file that marks a directory or prefix as Doris repository {@code <name>}: compact JSON
 * {@code {"name":"<repo name>","create_time":"yyyy-MM-dd HH:mm:ss"}}, written once when the repository is created.
 */
public final class RepositoryInfo {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final DateTimeFormatter CREATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final String name;
    private final String createTime;

    public RepositoryInfo(String name, String createTime) {
        this.name = Objects.requireNonNull(name, "name");
        this.createTime = Objects.requireNonNull(createTime, "createTime");
    }

    /** The info of a repository created at {@code createTime}, rendered in the coordinator's time zone as Doris does. */
    public static RepositoryInfo of(String repoName, Instant createTime, ZoneId zone) {
        RepositoryLayout.validateRepositoryName(repoName);
        return new RepositoryInfo(repoName, CREATE_TIME.format(createTime.atZone(zone)));
    }

    /**
     * Writes {@code __palo_repository_<name>/__repo_info} unless it exists. Like Doris, this checks and then writes, so
     * two creators racing may both write; each write is atomic and they write the same name.
     */
    public static void writeIfAbsent(RepositoryStorage storage, String repoName, Instant createTime, ZoneId zone) {
        String path = RepositoryLayout.repoInfoPath(repoName);
        if (!storage.exists(path)) {
            storage.write(path, of(repoName, createTime, zone).toJson().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The repository's info, or empty when it has no {@code __repo_info}. */
    public static Optional<RepositoryInfo> read(RepositoryStorage storage, String repoName) {
        String path = RepositoryLayout.repoInfoPath(repoName);
        byte[] content;
        try {
            content = storage.read(path);
        } catch (RepositoryException e) {
            if (e.kind() == RepositoryException.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
        try {
            return Optional.of(parse(new String(content, StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            throw new RepositoryException(RepositoryException.Kind.IO, "repository " + storage.location() + " has an unreadable " + path
                    + ": " + e.getMessage() + "; it should hold {\"name\": ..., \"create_time\": \"yyyy-MM-dd HH:mm:ss\"}", e);
        }
    }

    /** Parses Doris's JSON (any key order and spacing; other members, of any kind, are ignored). */
    public static RepositoryInfo parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new IllegalArgumentException("malformed JSON" + (at == null ? "" : " at line " + at.getLineNr()
                    + ", column " + at.getColumnNr()) + ": " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("malformed JSON: __repo_info must hold an object");
        }
        JsonNode name = root.get("name");
        JsonNode createTime = root.get("create_time");
        if (name == null || createTime == null || name.isNull() || createTime.isNull()) {
            List<String> keys = new ArrayList<>();
            root.fieldNames().forEachRemaining(keys::add);
            throw new IllegalArgumentException("__repo_info needs \"name\" and \"create_time\", got keys " + keys);
        }
        if (!name.isTextual() || !createTime.isTextual()) {
            throw new IllegalArgumentException("__repo_info's \"name\" and \"create_time\" must be strings");
        }
        return new RepositoryInfo(name.asText(), createTime.asText());
    }

    /** Compact JSON, the way Doris writes it: {@code {"name":...,"create_time":...}} in that order. */
    public String toJson() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("name", name);
        fields.put("create_time", createTime);
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the __repo_info of " + name, e);
        }
    }

    public String name() {
        return name;
    }

    /** {@code yyyy-MM-dd HH:mm:ss} in the time zone of whoever created the repository. */
    public String createTime() {
        return createTime;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RepositoryInfo other && name.equals(other.name) && createTime.equals(other.createTime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, createTime);
    }

    @Override
    public String toString() {
        return "RepositoryInfo[name=" + name + ", createTime=" + createTime + "]";
    }
}
