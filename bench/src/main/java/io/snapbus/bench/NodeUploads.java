package io.snapbus.bench;

import io.snapbus.cli.LocalCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The bytes the storage nodes really sent to a repository: the sum over nodes of their Prometheus counter
 * {@code snapbus_node_bytes_moved_total{direction="upload"}}, in which a file already stored counts 0.
 */
final class NodeUploads {
    private static final String COUNTER = "snapbus_node_bytes_moved_total{";
    private static final String UPLOAD = "direction=\"upload\"";

    private final LocalCluster cluster;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    NodeUploads(LocalCluster cluster) {
        this.cluster = cluster;
    }

    /** Bytes uploaded by every node since it started. */
    long total() throws IOException, InterruptedException {
        long bytes = 0;
        for (int n = 1; n <= cluster.nodes().size(); n++) {
            bytes += uploaded(scrape(cluster.metricsUrl("node-" + n)));
        }
        return bytes;
    }

    /** The upload counter of one scrape; 0 before the first upload (Micrometer may not list it yet). */
    static long uploaded(String scrape) {
        double bytes = 0;
        for (String line : scrape.split("\n")) {
            if (line.startsWith(COUNTER) && line.contains(UPLOAD)) {
                bytes += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Math.round(bytes);
    }

    private String scrape(URI url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + response.statusCode());
        }
        return response.body();
    }
}
