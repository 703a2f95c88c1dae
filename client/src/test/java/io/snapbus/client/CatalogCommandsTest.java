package io.snapbus.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo data ({@code db}, {@code table}, {@code load}, {@code rows}) and local snapshots. */
class CatalogCommandsTest extends CannedJobServiceTestBase {

    @Test
    void dbCreateListAndDrop() {
        service.answer("POST", "/databases", "{\"id\":10001,\"name\":\"demo\"}");
        service.answer("GET", "/databases", "[{\"id\":10001,\"name\":\"demo\"}]");
        service.answer("DELETE", "/databases/demo?force=true", "{\"dropped\":\"demo\"}");

        ClientRun created = run("db", "create", "demo");
        ClientRun listed = run("db", "list");
        ClientRun dropped = run("db", "drop", "demo", "--force");

        assertThat(created.exitCode()).isZero();
        assertThat(body(service.received().get(0))).isEqualTo(MAPPER.readTree("{\"name\": \"demo\"}"));
        assertThat(listed.out().lines().toList()).containsExactly("Id     Database", "10001  demo");
        assertThat(dropped.exitCode()).isZero();
        assertThat(service.received().get(2).method()).isEqualTo("DELETE");
    }

    @Test
    void tableCreateSendsColumnsPartitionsAndDistribution() {
        service.answer("POST", "/databases/demo/tables", Canned.table("orders"));

        ClientRun run = run("table", "create", "demo", "orders", "--column", "id:BIGINT:key", "--column",
                "day:DATE:key", "--column", "amount:INT", "--keys-type", "DUP_KEYS", "--partition-by", "day",
                "--partition", "p1::2026-02-01", "--partition", "p2:2026-02-01:", "--distributed-by", "id",
                "--buckets", "4", "--replication-num", "1");

        assertThat(run.exitCode()).isZero();
        assertThat(body(service.only())).isEqualTo(MAPPER.readTree("""
                {"name": "orders", "tableType": null, "keysType": "DUP_KEYS",
                 "columns": [
                   {"name": "id", "type": "BIGINT", "isKey": true, "nullable": null, "aggregation": null,
                    "defaultValue": null, "comment": null},
                   {"name": "day", "type": "DATE", "isKey": true, "nullable": null, "aggregation": null,
                    "defaultValue": null, "comment": null},
                   {"name": "amount", "type": "INT", "isKey": null, "nullable": null, "aggregation": null,
                    "defaultValue": null, "comment": null}],
                 "partitionColumn": "day",
                 "partitions": [
                   {"name": "p1", "lower": null, "upper": "2026-02-01", "temporary": null, "buckets": null},
                   {"name": "p2", "lower": "2026-02-01", "upper": null, "temporary": null, "buckets": null}],
                 "distributionColumns": ["id"], "buckets": 4, "replicationNum": 1, "rollups": null,
                 "properties": null, "comment": null}"""));
        assertThat(run.out()).contains("KeysType: DUP_KEYS").contains("Field   Type    Key    Null")
                .contains("id      BIGINT  true   false");
    }

    @Test
    void tableCreateWithAMalformedColumnIsAUsageError() {
        ClientRun run = run("table", "create", "demo", "orders", "--column", "id");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("a column is NAME:TYPE or NAME:TYPE:key, got 'id'");
        assertThat(service.received()).isEmpty();
    }

    @Test
    void tableListShowAndDrop() {
        service.answer("GET", "/databases/demo/tables", """
                {"tables": [%s], "views": [{"id": 3, "dbId": 1, "name": "v_orders", "sql": "SELECT 1",
                 "columns": []}], "odbcTables": []}""".formatted(MAPPER.writeValueAsString(Canned.table("orders"))));
        service.answer("GET", "/databases/demo/tables/orders", Canned.table("orders"));
        service.answer("DELETE", "/databases/demo/tables/orders?force=false", "{\"dropped\":\"orders\"}");

        ClientRun listed = run("table", "list", "demo");
        ClientRun shown = run("table", "show", "demo", "orders", "-o", "json");
        ClientRun dropped = run("table", "drop", "demo", "orders");

        assertThat(listed.out().lines().toList()).containsExactly("Table     Type  KeysType  State",
                "orders    OLAP  DUP_KEYS  NORMAL", "v_orders  VIEW");
        assertThat(shown.json()).isEqualTo(sent(Canned.table("orders")));
        assertThat(dropped.exitCode()).isZero();
    }

    @Test
    void loadSendsACsvFileAsCsv() throws Exception {
        Path rows = Files.writeString(dir.resolve("rows.csv"), "1,2026-01-05,10\n2,2026-01-06,20\n");
        service.answer("POST", "/databases/demo/tables/orders/loads", Canned.load(2));

        ClientRun run = run("load", "demo", "orders", "--file", rows.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(service.only().contentType()).isEqualTo("text/csv");
        assertThat(service.only().body()).isEqualTo("1,2026-01-05,10\n2,2026-01-06,20\n");
        assertThat(run.out()).contains("Rows: 2").contains("Partition  Version  Rows");
    }

    @Test
    void loadReadsNdjsonFromStdin() {
        service.answer("POST", "/databases/demo/tables/orders/loads", Canned.load(1));

        ClientRun run = runWithStdin("{\"id\":1,\"amount\":10}\n", "load", "demo", "orders", "--file", "-", "-o",
                "json");

        assertThat(run.exitCode()).isZero();
        assertThat(service.only().contentType()).isEqualTo("application/x-ndjson");
        assertThat(service.only().body()).isEqualTo("{\"id\":1,\"amount\":10}\n");
        assertThat(run.json()).isEqualTo(sent(Canned.load(1)));
    }

    @Test
    void loadOfAMissingFileIsAUsageError() {
        ClientRun run = run("load", "demo", "orders", "--file", dir.resolve("none.ndjson").toString());

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(service.received()).isEmpty();
    }

    @Test
    void rowsPrintsTheRowsAsOneJsonArrayOrInColumns() {
        service.answer("GET", "/databases/demo/tables/orders/rows?partition=p1&limit=2", 200,
                "application/x-ndjson", "{\"id\":1,\"amount\":10}\n{\"id\":2,\"amount\":20}\n");

        ClientRun json = run("rows", "demo", "orders", "--partition", "p1", "--limit", "2", "-o", "json");
        ClientRun table = run("rows", "demo", "orders", "--partition", "p1", "--limit", "2");

        assertThat(json.json()).isEqualTo(MAPPER.readTree("[{\"id\":1,\"amount\":10},{\"id\":2,\"amount\":20}]"));
        assertThat(table.out().lines().toList()).containsExactly("id  amount", "1   10", "2   20");
    }

    @Test
    void localSnapshotListAndGet() {
        service.answer("GET", "/databases/demo/local-snapshots", List.of(Canned.localSnapshot("hourly", false)));
        service.answer("GET", "/databases/demo/local-snapshots/hourly", Canned.localSnapshot("hourly", true));

        ClientRun listed = run("local-snapshot", "list", "demo");
        ClientRun got = run("local-snapshot", "get", "demo", "hourly");
        ClientRun json = run("local-snapshot", "get", "demo", "hourly", "-o", "json");

        assertThat(listed.out()).startsWith("Label   JobId  CreateTimeMs   ExpiredAtMs    Expired");
        assertThat(got.out()).contains("Label: hourly", "Meta: 1 keys").doesNotContain("version");
        assertThat(json.json()).isEqualTo(sent(Canned.localSnapshot("hourly", true)));
    }
}
