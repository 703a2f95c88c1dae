package io.snapbus.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stand-in for a job-service, for the client's unit tests only: a real HTTP server on 127.0.0.1 (a free port)
 * that answers each {@code METHOD /api/v1/path} with the JSON or problem+json it was given, and records what it
 * received. The live-stack test against a real job-service is the CLI module's integration test.
 */
final class CannedJobService implements AutoCloseable {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** A request as the server received it: method, path with its query, body. */
    record Received(String method, String path, String contentType, String body) {}

    private record Answer(int status, String contentType, String body) {}

    private final HttpServer server;
    private final Map<String, ConcurrentLinkedDeque<Answer>> answers = new ConcurrentHashMap<>();
    private final List<Received> received = java.util.Collections.synchronizedList(new ArrayList<>());

    CannedJobService() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Answers {@code METHOD path} (path under /api/v1, with its query) with the record as JSON, status 200. */
    CannedJobService answer(String method, String path, Object record) {
        return answer(method, path, 200, "application/json", record instanceof String text ? text
                : MAPPER.writeValueAsString(record));
    }

    /** Answers with an RFC 9457 problem. */
    CannedJobService problem(String method, String path, int status, String code, String title, String detail) {
        String type = io.snapbus.api.ProblemType.uriOf(code);
        return answer(method, path, status, "application/problem+json", MAPPER.writeValueAsString(Map.of(
                "type", type, "title", title, "status", status, "detail", detail, "instance", "/api/v1" + path,
                "code", code)));
    }

    /**
     * Answers {@code METHOD path} with this; several answers to one path are given in turn, the last one again and
     * again.
     */
    CannedJobService answer(String method, String path, int status, String contentType, String body) {
        answers.computeIfAbsent(method + " /api/v1" + path, k -> new ConcurrentLinkedDeque<>())
                .add(new Answer(status, contentType, body));
        return this;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    /** The one request the server received. */
    Received only() {
        org.assertj.core.api.Assertions.assertThat(received).hasSize(1);
        return received.get(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getRawPath() + (exchange.getRequestURI().getRawQuery() == null ? ""
                : "?" + exchange.getRequestURI().getRawQuery());
        received.add(new Received(exchange.getRequestMethod(), path,
                exchange.getRequestHeaders().getFirst("Content-Type"), body));
        ConcurrentLinkedDeque<Answer> queue = answers.get(exchange.getRequestMethod() + " " + path);
        Answer answer = queue == null ? new Answer(404, "application/problem+json", "{\"type\":\""
                + io.snapbus.api.ProblemType.NOT_FOUND.uri() + "\",\"title\":\"Not found\",\"status\":404,"
                + "\"detail\":\"no canned answer for " + path + "\",\"code\":\"NOT_FOUND\"}")
                : queue.size() > 1 ? queue.poll() : queue.peek();
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
