package io.snapbus.thrift.rpc;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link ThriftClientPool}.
 *
 * @param connectTimeout how long opening a TCP connection may take. Default 5 s.
 * @param socketTimeout how long a call may wait for the peer's answer (the socket read timeout); Doris's
 *     FE uses 60 s for calls to backends ({@code backend_rpc_timeout_ms}). Default 60 s.
 * @param maxIdlePerEndpoint idle connections kept per endpoint for reuse; more are closed when returned.
 *     Default 4.
 * @param idleTimeout an idle connection older than this is closed instead of reused. Keep it below the
 *     server's idle timeout ({@link ThriftServerConfig#idleConnectionTimeout()}), so the pool never hands
 *     out a connection the server already dropped. Default 30 s.
 */
public record ThriftClientConfig(
        Duration connectTimeout, Duration socketTimeout, int maxIdlePerEndpoint, Duration idleTimeout) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_IDLE_PER_ENDPOINT = 4;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

    public ThriftClientConfig {
        requirePositiveMillis(connectTimeout, "connectTimeout");
        requirePositiveMillis(socketTimeout, "socketTimeout");
        requirePositiveMillis(idleTimeout, "idleTimeout");
        if (maxIdlePerEndpoint < 0) {
            throw new IllegalArgumentException("maxIdlePerEndpoint must be >= 0: " + maxIdlePerEndpoint);
        }
    }

    public static ThriftClientConfig defaults() {
        return new ThriftClientConfig(
                DEFAULT_CONNECT_TIMEOUT, DEFAULT_SOCKET_TIMEOUT, DEFAULT_MAX_IDLE_PER_ENDPOINT, DEFAULT_IDLE_TIMEOUT);
    }

    public ThriftClientConfig withConnectTimeout(Duration value) {
        return new ThriftClientConfig(value, socketTimeout, maxIdlePerEndpoint, idleTimeout);
    }

    public ThriftClientConfig withSocketTimeout(Duration value) {
        return new ThriftClientConfig(connectTimeout, value, maxIdlePerEndpoint, idleTimeout);
    }

    public ThriftClientConfig withMaxIdlePerEndpoint(int value) {
        return new ThriftClientConfig(connectTimeout, socketTimeout, value, idleTimeout);
    }

    public ThriftClientConfig withIdleTimeout(Duration value) {
        return new ThriftClientConfig(connectTimeout, socketTimeout, maxIdlePerEndpoint, value);
    }

    static void requirePositiveMillis(Duration value, String name) {
        Objects.requireNonNull(value, name);
        // Socket timeouts are int milliseconds, and 0 would mean "wait forever".
        if (value.toMillis() < 1 || value.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " must be between 1 ms and ~24 days: " + value);
        }
    }
}
