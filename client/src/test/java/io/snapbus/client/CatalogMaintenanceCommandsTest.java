package io.snapbus.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Backends, partitions and the recycle bin of the demo catalog against the canned job-service. */
class CatalogMaintenanceCommandsTest extends CannedJobServiceTestBase {

    @Test
    void backendAddSendsHostAndPortAndListShowsThem() {
        service.answer("POST", "/backends", "{\"id\":1,\"host\":\"127.0.0.1\",\"bePort\":9060,\"httpPort\":0,"
                + "\"decommissioned\":false}");
        service.answer("GET", "/backends", "[{\"id\":1,\"host\":\"127.0.0.1\",\"bePort\":9060,\"httpPort\":0,"
                + "\"decommissioned\":false}]");

        ClientRun added = run("backend", "add", "127.0.0.1:9060");
        ClientRun listed = run("backend", "list");

        assertThat(added.exitCode()).isZero();
        assertThat(body(service.received().get(0))).isEqualTo(MAPPER.readTree("""
                {"host": "127.0.0.1", "bePort": 9060, "httpPort": null}"""));
        assertThat(listed.out().lines().toList()).containsExactly(
                "BackendId  Host       HeartbeatPort  HttpPort  Decommissioned",
                "1          127.0.0.1  9060           0         false");
    }

    @Test
    void backendAddWithoutAPortIsAUsageError() {
        ClientRun run = run("backend", "add", "node-1");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("a backend is HOST:PORT, got 'node-1'");
        assertThat(service.received()).isEmpty();
    }

    @Test
    void partitionAddDropAndTruncate() {
        service.answer("POST", "/databases/demo/tables/orders/partitions",
                Canned.partition("p202603", "2026-03-01", "2026-04-01"));
        service.answer("DELETE", "/databases/demo/tables/orders/partitions/p202601?force=false",
                "{\"dropped\":\"p202601\"}");
        service.answer("POST", "/databases/demo/tables/orders/partitions/p202602/truncate",
                Canned.partition("p202602", "2026-02-01", "2026-03-01"));

        ClientRun added = run("partition", "add", "demo", "orders", "p202603:2026-03-01:2026-04-01", "--temporary");
        ClientRun dropped = run("partition", "drop", "demo", "orders", "p202601");
        ClientRun truncated = run("partition", "truncate", "demo", "orders", "p202602", "-o", "json");

        assertThat(added.exitCode()).isZero();
        assertThat(body(service.received().get(0))).isEqualTo(MAPPER.readTree("""
                {"name": "p202603", "lower": "2026-03-01", "upper": "2026-04-01", "temporary": true,
                 "buckets": null}"""));
        assertThat(added.out()).contains("RangeLower: 2026-03-01").doesNotContain("Tablets");
        assertThat(dropped.out().strip()).isEqualTo("Dropped: p202601");
        assertThat(truncated.json()).isEqualTo(sent(Canned.partition("p202602", "2026-02-01", "2026-03-01")));
        assertThat(service.received()).extracting(CannedJobService.Received::method)
                .containsExactly("POST", "DELETE", "POST");
    }

    @Test
    void recycleBinListAndRecoverATableUnderANewName() {
        service.answer("GET", "/recycle-bin", "[{\"type\":\"TABLE\",\"name\":\"orders\",\"dbId\":10001,"
                + "\"tableId\":20001,\"partitionId\":0,\"dropTimeMs\":1,\"expireTimeMs\":2,\"force\":false,"
                + "\"recoverable\":true}]");
        service.answer("POST", "/databases/demo/recover",
                "{\"kind\":\"TABLE\",\"table\":" + MAPPER.writeValueAsString(Canned.table("orders_back")) + "}");

        ClientRun listed = run("recycle-bin", "list");
        ClientRun recovered = run("recycle-bin", "recover", "demo", "--table", "orders", "--new-name", "orders_back");

        assertThat(listed.out()).startsWith("Type   Name    DbId   TableId").contains("TABLE  orders  10001");
        assertThat(body(service.received().get(1))).isEqualTo(MAPPER.readTree("""
                {"table": "orders", "partition": null, "newName": "orders_back"}"""));
        assertThat(recovered.out()).contains("Recovered: TABLE", "Name: orders_back");
    }

    @Test
    void recoveringWhatIsNotInTheBinExitsThree() {
        service.problem("POST", "/databases/demo/recover", 404, "UNKNOWN_TABLE", "Unknown table",
                "Unknown table 'orders'");

        ClientRun run = run("recycle-bin", "recover", "demo", "--table", "orders");

        assertFailed(run, ExitCode.NOT_FOUND, "Unknown table (404): Unknown table 'orders'");
    }
}
