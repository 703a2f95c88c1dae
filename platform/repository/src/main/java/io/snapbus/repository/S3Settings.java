package io.snapbus.repository;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The typed S3 properties of a {@link RepositorySpec}, with their defaults, and the synchronous client they describe. */
record S3Settings(Optional<URI> endpoint, String region, boolean pathStyle, long multipartThreshold, long partSize,
        Duration connectionTimeout, Duration requestTimeout, int maxConnections) {

    static final long MIB = 1024 * 1024;
    static final long DEFAULT_MULTIPART_THRESHOLD = 64 * MIB;
    static final long DEFAULT_PART_SIZE = 16 * MIB;
    /** S3's smallest part (all but the last). */
    static final long MIN_PART_SIZE = 5 * MIB;
    /** A part is held in memory while it is sent, so keep it well inside an int and a small heap. */
    static final long MAX_PART_SIZE = 512 * MIB;

    static S3Settings from(RepositorySpec spec) {
        Optional<URI> endpoint = Optional.ofNullable(spec.properties().get(RepositorySpec.S3_ENDPOINT)).map(S3Settings::endpointUri);
        String region = spec.property(RepositorySpec.S3_REGION, RepositorySpec.DEFAULT_REGION);
        boolean pathStyle = PropertyValues.parseBoolean(RepositorySpec.S3_PATH_STYLE,
                spec.property(RepositorySpec.S3_PATH_STYLE, String.valueOf(endpoint.isPresent())));
        long threshold = longProperty(spec, RepositorySpec.S3_MULTIPART_THRESHOLD, DEFAULT_MULTIPART_THRESHOLD, 0);
        long partSize = longProperty(spec, RepositorySpec.S3_PART_SIZE, DEFAULT_PART_SIZE, MIN_PART_SIZE);
        if (partSize > MAX_PART_SIZE) {
            throw new IllegalArgumentException("repository property " + RepositorySpec.S3_PART_SIZE + " must be at most " + MAX_PART_SIZE
                    + " bytes, got " + partSize);
        }
        Duration connect = Duration.ofMillis(longProperty(spec, RepositorySpec.S3_CONNECTION_TIMEOUT_MS, 10_000, 1));
        Duration request = Duration.ofMillis(longProperty(spec, RepositorySpec.S3_REQUEST_TIMEOUT_MS, 120_000, 1));
        int maxConnections = (int) Math.min(Integer.MAX_VALUE, longProperty(spec, RepositorySpec.S3_MAX_CONNECTIONS, 50, 1));
        return new S3Settings(endpoint, region, pathStyle, threshold, partSize, connect, request, maxConnections);
    }

    /** A synchronous client over Apache HttpClient (the async client's ranged downloads are not universally supported). */
    S3Client newClient(Optional<RepositorySpec.Credentials> credentials) {
        var builder = S3Client.builder()
                .region(Region.of(region))
                .forcePathStyle(pathStyle)
                .credentialsProvider(credentialsProvider(credentials))
                // Our own Content-MD5 covers every PUT and part; the SDK's newer default checksums (CRC trailers on
                // chunked bodies) are not understood by every S3-compatible server.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(ApacheHttpClient.builder()
                        .connectionTimeout(connectionTimeout)
                        .socketTimeout(requestTimeout)
                        .connectionAcquisitionTimeout(requestTimeout)
                        .maxConnections(maxConnections));
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private static AwsCredentialsProvider credentialsProvider(Optional<RepositorySpec.Credentials> credentials) {
        return credentials.<AwsCredentialsProvider>map(c -> StaticCredentialsProvider.create(c.sessionToken() == null
                        ? AwsBasicCredentials.create(c.accessKey(), c.secretKey())
                        : AwsSessionCredentials.create(c.accessKey(), c.secretKey(), c.sessionToken())))
                .orElseGet(AnonymousCredentialsProvider::create);
    }

    private static URI endpointUri(String value) {
        URI uri = URI.create(value.contains("://") ? value : "http://" + value);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("repository property " + RepositorySpec.S3_ENDPOINT + " must look like http://host:port, got "
                    + value);
        }
        return uri;
    }

    private static long longProperty(RepositorySpec spec, String key, long defaultValue, long min) {
        String value = spec.properties().get(key);
        return value == null ? defaultValue : PropertyValues.parseLong(key, value, min);
    }
}
