package io.snapbus.thrift.rpc;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link ThriftServer}.
 *
 * @param bindHost address to listen on. Default {@code 127.0.0.1}: listening on other interfaces is a
 *     deliberate deployment choice.
 * @param port TCP port; 0 picks a free one (read it back with {@link ThriftServer#port()}). Default 0.
 * @param minWorkerThreads worker threads kept alive when idle. Default 2.
 * @param maxWorkerThreads upper bound on worker threads. Each open client connection occupies one worker
 *     while it stays open (that is how a thread-per-connection server works), and a connection arriving
 *     when all are busy is closed at once. Size it above the sum of the clients' pooled connections.
 *     Default 64.
 * @param idleConnectionTimeout a connection with no request for this long is closed, freeing its worker;
 *     keep it above the clients' {@link ThriftClientConfig#idleTimeout()}. Default 60 s.
 * @param stopTimeout how long {@link ThriftServer#stop()} waits for worker threads to end once it has closed
 *     the listening socket and every client connection (running handlers are interrupted). Default 5 s.
 */
public record ThriftServerConfig(
        String bindHost,
        int port,
        int minWorkerThreads,
        int maxWorkerThreads,
        Duration idleConnectionTimeout,
        Duration stopTimeout) {

    public static final String DEFAULT_BIND_HOST = "127.0.0.1";
    public static final int DEFAULT_MIN_WORKER_THREADS = 2;
    public static final int DEFAULT_MAX_WORKER_THREADS = 64;
    public static final Duration DEFAULT_IDLE_CONNECTION_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(5);

    public ThriftServerConfig {
        Objects.requireNonNull(bindHost, "bindHost");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port out of range 0-65535: " + port);
        }
        if (minWorkerThreads < 0 || maxWorkerThreads < 1 || minWorkerThreads > maxWorkerThreads) {
            throw new IllegalArgumentException("need 0 <= minWorkerThreads <= maxWorkerThreads and max >= 1, got "
                    + minWorkerThreads + ".." + maxWorkerThreads);
        }
        ThriftClientConfig.requirePositiveMillis(idleConnectionTimeout, "idleConnectionTimeout");
        Objects.requireNonNull(stopTimeout, "stopTimeout");
        if (stopTimeout.isNegative()) {
            throw new IllegalArgumentException("stopTimeout is negative: " + stopTimeout);
        }
    }

    /** Defaults: 127.0.0.1, a free port. */
    public static ThriftServerConfig defaults() {
        return new ThriftServerConfig(DEFAULT_BIND_HOST, 0, DEFAULT_MIN_WORKER_THREADS, DEFAULT_MAX_WORKER_THREADS,
                DEFAULT_IDLE_CONNECTION_TIMEOUT, DEFAULT_STOP_TIMEOUT);
    }

    public ThriftServerConfig withBindHost(String value) {
        return new ThriftServerConfig(value, port, minWorkerThreads, maxWorkerThreads, idleConnectionTimeout, stopTimeout);
    }

    public ThriftServerConfig withPort(int value) {
        return new ThriftServerConfig(bindHost, value, minWorkerThreads, maxWorkerThreads, idleConnectionTimeout, stopTimeout);
    }

    public ThriftServerConfig withWorkerThreads(int min, int max) {
        return new ThriftServerConfig(bindHost, port, min, max, idleConnectionTimeout, stopTimeout);
    }

    public ThriftServerConfig withIdleConnectionTimeout(Duration value) {
        return new ThriftServerConfig(bindHost, port, minWorkerThreads, maxWorkerThreads, value, stopTimeout);
    }

    public ThriftServerConfig withStopTimeout(Duration value) {
        return new ThriftServerConfig(bindHost, port, minWorkerThreads, maxWorkerThreads, idleConnectionTimeout, value);
    }
}
