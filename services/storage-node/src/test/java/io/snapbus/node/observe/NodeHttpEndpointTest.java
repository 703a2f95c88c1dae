package io.snapbus.node.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.thrift.TFinishTaskRequest;
import io.snapbus.thrift.TStatus;
import io.snapbus.thrift.TStatusCode;
import io.snapbus.thrift.TTaskType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NodeHttpEndpointTest {
    private final NodeMetrics metrics = new NodeMetrics();
    private final AtomicBoolean loaded = new AtomicBoolean();
    private final NodeHttpEndpoint endpoint = NodeHttpEndpoint.start("127.0.0.1", 0, metrics, loaded::get);
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        endpoint.close();
    }

    @Test
    void readinessIsDownUntilTheTabletsAreLoadedWhileLivenessIsUp() throws Exception {
        assertThat(get("/health/liveness").statusCode()).isEqualTo(200);
        HttpResponse<String> loading = get("/health/readiness");
        assertThat(loading.statusCode()).isEqualTo(503);
        assertThat(loading.body()).contains("\"DOWN\"");

        loaded.set(true);

        HttpResponse<String> ready = get("/health/readiness");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"UP\"");
    }

    @Test
    void theMetricsCountTasksByTypeAndOutcomeAndTheFilesAndBytesUploaded() throws Exception {
        TFinishTaskRequest upload = report(TTaskType.UPLOAD, TStatusCode.OK);
        upload.setTablet_files(Map.of(5L, List.of("a.1", "b.2"), 6L, List.of("c.3")));
        upload.setCopy_size(4096);
        metrics.taskFinished("UPLOAD", true, 2_000_000, upload);
        metrics.taskFinished("MAKE_SNAPSHOT", false, 1_000_000, report(TTaskType.MAKE_SNAPSHOT,
                TStatusCode.TABLET_MISSING));

        String scrape = get("/metrics").body();
        assertThat(scrape).contains("snapbus_node_tasks_run_total{application=\"snapbus-storage-node\","
                + "outcome=\"ok\",type=\"UPLOAD\"} 1.0");
        assertThat(scrape).contains("snapbus_node_tasks_run_total{application=\"snapbus-storage-node\","
                + "outcome=\"failed\",type=\"MAKE_SNAPSHOT\"} 1.0");
        assertThat(scrape).contains("snapbus_node_files_moved_total{application=\"snapbus-storage-node\","
                + "direction=\"upload\"} 3.0");
        assertThat(scrape).contains("snapbus_node_tablets_moved_total{application=\"snapbus-storage-node\","
                + "direction=\"upload\"} 2.0");
        assertThat(scrape).contains("snapbus_node_bytes_moved_total{application=\"snapbus-storage-node\","
                + "direction=\"upload\"} 4096.0");
        assertThat(scrape).contains("snapbus_node_task_duration_seconds_count{application=\"snapbus-storage-node\","
                + "outcome=\"ok\",type=\"UPLOAD\"} 1");
    }

    private static TFinishTaskRequest report(TTaskType type, TStatusCode code) {
        TFinishTaskRequest report = new TFinishTaskRequest();
        report.setTask_type(type);
        report.setSignature(1);
        report.setTask_status(new TStatus(code));
        return report;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
