package io.snapbus.repository;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where a repository is and how to reach it: a {@code file:///abs/dir} or {@code s3://bucket[/prefix]} location, non-secret
 * properties and optional credentials. {@link #toString()} never shows the secret.
 *
 * <p>Properties (all optional): {@value #S3_ENDPOINT} (e.g. {@code http://127.0.0.1:9000}; AWS when absent),
 * {@value #S3_REGION} (default {@value #DEFAULT_REGION}), {@value #S3_PATH_STYLE} (default true when an endpoint is
 * set), {@value #S3_MULTIPART_THRESHOLD} and {@value #S3_PART_SIZE} (bytes; defaults 64 MiB and 16 MiB),
 * {@value #S3_CONNECTION_TIMEOUT_MS}, {@value #S3_REQUEST_TIMEOUT_MS}, {@value #S3_MAX_CONNECTIONS}, and
 * {@value #FS_FSYNC} (default true: a file is on disk before it gets its final name).
 */
public record RepositorySpec(URI location, Map<String, String> properties, Optional<Credentials> credentials) {

    public static final String S3_ENDPOINT = "s3.endpoint";
    public static final String S3_REGION = "s3.region";
    public static final String S3_PATH_STYLE = "s3.path_style";
    public static final String S3_MULTIPART_THRESHOLD = "s3.multipart_threshold";
    public static final String S3_PART_SIZE = "s3.part_size";
    public static final String S3_CONNECTION_TIMEOUT_MS = "s3.connection_timeout_ms";
    public static final String S3_REQUEST_TIMEOUT_MS = "s3.request_timeout_ms";
    public static final String S3_MAX_CONNECTIONS = "s3.max_connections";
    public static final String FS_FSYNC = "fs.fsync";
    public static final String DEFAULT_REGION = "us-east-1";

    /** Our own credential keys (also Doris FE's S3 property names); they go to {@link Credentials}, never to properties. */
    public static final String S3_ACCESS_KEY = "s3.access_key";
    public static final String S3_SECRET_KEY = "s3.secret_key";
    public static final String S3_SESSION_TOKEN = "s3.session_token";

    /** Doris BE-style keys, as the FE sends them in {@code TUploadReq.broker_prop}. */
    private static final Map<String, String> DORIS_KEYS = Map.of(
            "AWS_ENDPOINT", S3_ENDPOINT,
            "AWS_REGION", S3_REGION,
            "use_path_style", S3_PATH_STYLE,
            "AWS_MAX_CONN_SIZE", S3_MAX_CONNECTIONS,
            "AWS_REQUEST_TIMEOUT_MS", S3_REQUEST_TIMEOUT_MS,
            "AWS_CONNECTION_TIMEOUT_MS", S3_CONNECTION_TIMEOUT_MS);
    private static final Set<String> OWN_KEYS = Set.of(S3_ENDPOINT, S3_REGION, S3_PATH_STYLE, S3_MULTIPART_THRESHOLD, S3_PART_SIZE,
            S3_CONNECTION_TIMEOUT_MS, S3_REQUEST_TIMEOUT_MS, S3_MAX_CONNECTIONS, FS_FSYNC);
    private static final Set<String> SECRET_KEYS = Set.of(S3_ACCESS_KEY, S3_SECRET_KEY, S3_SESSION_TOKEN,
            "AWS_ACCESS_KEY", "AWS_SECRET_KEY", "AWS_TOKEN");

    public RepositorySpec {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(credentials, "credentials");
        if (location.getScheme() == null) {
            throw new IllegalArgumentException("repository location needs a scheme (file:///absolute/dir or s3://bucket[/prefix]): " + location);
        }
        for (String key : properties.keySet()) {
            // A secret in the properties would show up in toString, logs and events; credentials are the only place for it.
            if (SECRET_KEYS.contains(key) || key.toLowerCase(Locale.ROOT).contains("secret")) {
                throw new IllegalArgumentException("property '" + key + "' is a credential: pass it as Credentials (or through"
                        + " RepositorySpec.fromDorisProperties), not as a property");
            }
        }
        properties = Collections.unmodifiableMap(new TreeMap<>(properties));
    }

    /** A spec without credentials (anonymous S3, or a filesystem). */
    public static RepositorySpec of(URI location, Map<String, String> properties) {
        return new RepositorySpec(location, properties, Optional.empty());
    }

    /** A filesystem repository at this directory. */
    public static RepositorySpec ofDirectory(Path dir) {
        return of(dir.toAbsolutePath().normalize().toUri(), Map.of());
    }

    /**
     * A spec from a Doris-style location and properties: BE keys ({@code AWS_ENDPOINT}, {@code AWS_REGION},
     * {@code AWS_ACCESS_KEY}, {@code AWS_SECRET_KEY}, {@code AWS_TOKEN}, {@code use_path_style}, {@code AWS_MAX_CONN_SIZE},
     * {@code AWS_REQUEST_TIMEOUT_MS}, {@code AWS_CONNECTION_TIMEOUT_MS}) and our own keys (see the class doc, plus
     * {@value #S3_ACCESS_KEY}, {@value #S3_SECRET_KEY}, {@value #S3_SESSION_TOKEN}). Other keys are dropped, since they
     * could hold secrets we do not know how to hide. An endpoint without a scheme gets {@code http://}, as Doris's BE
     * does by default. A location that is a bare absolute path becomes a {@code file:} URI.
     */
    public static RepositorySpec fromDorisProperties(String location, Map<String, String> props) {
        Objects.requireNonNull(location, "location");
        Map<String, String> given = props == null ? Map.of() : props;
        Map<String, String> properties = new TreeMap<>();
        given.forEach((key, value) -> {
            if (value == null || value.isBlank()) {
                return;
            }
            String ours = DORIS_KEYS.getOrDefault(key, OWN_KEYS.contains(key) ? key : null);
            if (ours != null) {
                properties.put(ours, value.trim());
            }
        });
        properties.computeIfPresent(S3_ENDPOINT, (k, endpoint) -> endpoint.contains("://") ? endpoint : "http://" + endpoint);
        String accessKey = firstPresent(given, "AWS_ACCESS_KEY", S3_ACCESS_KEY);
        String secretKey = firstPresent(given, "AWS_SECRET_KEY", S3_SECRET_KEY);
        String token = firstPresent(given, "AWS_TOKEN", S3_SESSION_TOKEN);
        Optional<Credentials> credentials = Optional.empty();
        if (accessKey != null || secretKey != null) {
            if (accessKey == null || secretKey == null) {
                throw new IllegalArgumentException("S3 credentials need both an access key (AWS_ACCESS_KEY or " + S3_ACCESS_KEY
                        + ") and a secret key (AWS_SECRET_KEY or " + S3_SECRET_KEY + "); only the "
                        + (accessKey == null ? "secret key" : "access key") + " was given");
            }
            credentials = Optional.of(new Credentials(accessKey, secretKey, token));
        }
        return new RepositorySpec(parseLocation(location), properties, credentials);
    }

    /** The URI scheme in lower case. */
    public String scheme() {
        return location.getScheme().toLowerCase(Locale.ROOT);
    }

    /** A property, or the default. */
    public String property(String key, String defaultValue) {
        return properties.getOrDefault(key, defaultValue);
    }

    @Override
    public String toString() {
        return "RepositorySpec[location=" + location + ", properties=" + properties + ", credentials="
                + credentials.map(Credentials::toString).orElse("none") + "]";
    }

    private static URI parseLocation(String location) {
        String trimmed = location.trim();
        if (trimmed.startsWith("/")) {
            return Path.of(trimmed).toAbsolutePath().normalize().toUri();
        }
        try {
            return new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("repository location is not a valid URI (file:///absolute/dir or s3://bucket[/prefix]): "
                    + location + " (" + e.getReason() + ")", e);
        }
    }

    private static String firstPresent(Map<String, String> props, String... keys) {
        for (String key : keys) {
            String value = props.get(key);
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        return null;
    }

    /** Static S3 credentials; {@link #toString()} shows the access key id only. */
    public record Credentials(String accessKey, String secretKey, String sessionToken) {

        public Credentials {
            Objects.requireNonNull(accessKey, "accessKey");
            Objects.requireNonNull(secretKey, "secretKey");
        }

        public Optional<String> token() {
            return Optional.ofNullable(sessionToken);
        }

        @Override
        public String toString() {
            return "Credentials[accessKey=" + accessKey + ", secretKey=***" + (sessionToken == null ? "" : ", sessionToken=***") + "]";
        }
    }
}
