package io.snapbus.node.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.snapbus.thrift.TFinishTaskRequest;
import java.time.Duration;
import java.util.List;

/**
 * A storage node's meters (docs/observability.md), in its own Prometheus registry (no Spring here; several nodes may
 * share a JVM in tests): tasks run by type and outcome with their duration, and files and bytes uploaded and
 * downloaded, taken from each finished task's report.
 */
public final class NodeMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public NodeMetrics() {
        registry.config().commonTags("application", "snapbus-storage-node");
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
    }

    /** A task ran to its finish report ({@code ok}: its status is OK). */
    public void taskFinished(String type, boolean ok, long nanos, TFinishTaskRequest report) {
        String outcome = ok ? "ok" : "failed";
        Counter.builder("snapbus.node.tasks.run").description("Agent tasks run, by type and outcome")
                .tags("type", type, "outcome", outcome).register(registry).increment();
        Timer.builder("snapbus.node.task.duration").description("From a task's start on a worker to its report")
                .tags("type", type, "outcome", outcome).register(registry).record(Duration.ofNanos(nanos));
        if (!ok) {
            return;
        }
        if (report.isSetTablet_files()) {
            moved("snapbus.node.files.moved", "Files uploaded or downloaded", "upload",
                    report.getTablet_files().values().stream().mapToLong(List::size).sum());
        }
        if (report.isSetCopy_size() && ("UPLOAD".equals(type) || "DOWNLOAD".equals(type))) {
            moved("snapbus.node.bytes.moved", "Bytes copied to or from the repository (files already there count 0)",
                    "UPLOAD".equals(type) ? "upload" : "download", report.getCopy_size());
        }
        if (report.isSetDownloaded_tablet_ids()) {
            moved("snapbus.node.tablets.moved", "Tablets uploaded or downloaded", "download",
                    report.getDownloaded_tablet_ids().size());
        }
        if (report.isSetTablet_files()) {
            moved("snapbus.node.tablets.moved", "Tablets uploaded or downloaded", "upload",
                    report.getTablet_files().size());
        }
    }

    private void moved(String name, String description, String direction, long amount) {
        Counter.builder(name).description(description).tags("direction", direction).register(registry)
                .increment(amount);
    }

    /** The scrape: every meter in Prometheus's text format. */
    public String scrape() {
        return registry.scrape();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }
}
