package io.snapbus.node.observe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The node's health and metrics over HTTP (the JDK's small server; the node has no Spring): {@code /health/liveness}
 * (UP while the process serves), {@code /health/readiness} (UP once its tablets are loaded and its Thrift port
 * serves, 503 DOWN before) and {@code /metrics} (Prometheus text format). Started before the tablets are loaded, so
 * readiness can say DOWN meanwhile.
 */
public final class NodeHttpEndpoint implements AutoCloseable {
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService threads;

    private NodeHttpEndpoint(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /** Listens on {@code host:port} (0 picks a free port). */
    public static NodeHttpEndpoint start(String host, int port, NodeMetrics metrics, BooleanSupplier ready) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("storage node cannot serve its metrics on " + host + ":" + port + " ("
                    + e.getMessage() + "); free the port or set snapbus.node.metrics_port", e);
        }
        server.createContext("/health/liveness", exchange -> answer(exchange, 200, "application/json",
                "{\"status\":\"UP\"}"));
        server.createContext("/health/readiness", exchange -> {
            boolean up = ready.getAsBoolean();
            answer(exchange, up ? 200 : 503, "application/json", "{\"status\":\"" + (up ? "UP" : "DOWN")
                    + "\",\"details\":{\"tablets\":\"" + (up ? "loaded" : "loading") + "\"}}");
        });
        server.createContext("/metrics", exchange -> answer(exchange, 200, PROMETHEUS_TEXT, metrics.scrape()));
        ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "node-metrics-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.start();
        return new NodeHttpEndpoint(server, threads);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange, int status, String contentType, String body)
            throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
