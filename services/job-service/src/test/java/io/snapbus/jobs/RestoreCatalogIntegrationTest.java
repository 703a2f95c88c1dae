package io.snapbus.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.avro.Column;
import io.snapbus.avro.IndexMeta;
import io.snapbus.avro.OlapTableDef;
import io.snapbus.avro.PartitionDef;
import io.snapbus.avro.Replica;
import io.snapbus.avro.RepositoryRef;
import io.snapbus.avro.StorageType;
import io.snapbus.avro.TabletDef;
import io.snapbus.jobs.backup.BackupPlanner;
import io.snapbus.jobs.backup.BackupRequest;
import io.snapbus.jobs.catalog.Catalog;
import io.snapbus.jobs.catalog.CatalogKeys;
import io.snapbus.jobs.catalog.RestoreCatalog;
import io.snapbus.jobs.catalog.RestoreCatalog.Outcome;
import io.snapbus.jobs.restore.RestoreOptions;
import io.snapbus.jobs.restore.RestorePlan;
import io.snapbus.jobs.restore.RestorePlan.PartitionPlan;
import io.snapbus.jobs.restore.RestorePlan.TableKind;
import io.snapbus.jobs.restore.RestorePlan.TablePlan;
import io.snapbus.jobs.restore.RestorePlan.TabletPlan;
import io.snapbus.jobs.restore.SnapshotInfo;
import io.snapbus.local.LocalStack;
import io.snapbus.testing.SnapbusInfra;
import io.snapbus.testing.SnapbusInfraExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A restore's catalog changes on the real catalog topic: prepare hides the restored partitions and holds the table
 * (loads, DDL and backups refused), commit swaps them in and the replaced ones are erased, a cancelled restore leaves
 * nothing, and a job-service restarted afterwards replays the topic into the same catalog. No storage node is
 * involved: the catalog is what is tested, and an erase of replicas on no known backend completes at once.
 */
@SnapbusInfra
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestoreCatalogIntegrationTest {
    private final String prefix = SnapbusInfraExtension.uniqueName("restore-catalog") + ".";
    private LocalStack stack;
    private Path dir;
    private ConfigurableApplicationContext app;
    private Http http;

    @BeforeAll
    void start(LocalStack stack) throws Exception {
        this.stack = stack;
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "restore-catalog-it-");
        Files.writeString(dir.resolve("credentials.properties"), "");
        app = startApp();
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    private ConfigurableApplicationContext startApp() {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(CatalogServiceApplication.class).run(
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--snapbus.kafka.bootstrap-servers=" + stack.bootstrapServers(),
                "--snapbus.kafka.registry.url=" + stack.registryUrl(),
                "--snapbus.kafka.topic-prefix=" + prefix,
                "--snapbus.jobs.credentials-file=" + dir.resolve("credentials.properties"),
                "--snapbus.catalog.trash-check-interval=200ms",
                "--snapbus.catalog.replaced-read-grace=3s",
                "--snapbus.jobs.port-file=" + dir.resolve("job-service.port"));
        http = new Http(((WebServerApplicationContext) context).getWebServer().getPort());
        return context;
    }

    private Catalog catalog() {
        return app.getBean("catalog", Catalog.class);
    }

    private RestoreCatalog restoreCatalog() {
        return app.getBean(RestoreCatalog.class);
    }

    @Test
    void prepareThenCommitOnTheTopicAndAReplayGivesTheSameCatalog() throws Exception {
        assertThat(http.post("/api/databases", Map.of("name", "sales")).status()).isEqualTo(201);
        long db = catalog().database("sales").orElseThrow().getId();
        OlapTableDef orders = givenOrders(db);
        String table = "/api/databases/sales/tables/orders";
        long jan = partitionId(orders, "p202401");
        RestoreOptions options = options();

        RestorePlan plan = new RestorePlan(List.of(
                new TablePlan("orders", TableKind.EXISTING, orders, orders.getId(), List.of(
                        partitionPlan(orders, "p202401", "2024-01-01", "2024-02-01", 3, jan),
                        partitionPlan(orders, "p202403", "2024-03-01", "2024-04-01", 2, -1))),
                newTable(db, "events")), List.of(), List.of(), List.of());
        long restoredJan = plan.tables().get(0).partitions().get(0).target().getId();

        assertThat(restoreCatalog().prepare(db, plan, options)).isInstanceOf(Outcome.Applied.class);
        assertThat(restoreCatalog().prepare(db, plan, options)).isEqualTo(new Outcome.AlreadyApplied());
        assertThat(catalog().partitions(orders.getId())).extracting(PartitionDef::getName)
                .containsExactly("p202401", "p202402");
        assertThat(catalog().tablets(restoredJan, orders.getIndexes().get(0).getId())).hasSize(2);
        Http.Answer load = http.postRaw(table + "/loads", "application/x-ndjson",
                "{\"dt\":\"2024-01-09\",\"id\":9}\n");
        assertThat(load.status()).isEqualTo(409);
        assertThat(load.message()).isEqualTo("Table [orders] is in restore process, can't load into it");
        Http.Answer drop = http.delete(table + "/partitions/p202402");
        assertThat(drop.status()).isEqualTo(409);
        assertThat(drop.message()).isEqualTo("Table orders is in restore process");
        BackupRequest request = new BackupRequest("b1", "sales", "repo", List.of(new BackupRequest.TableRequest(
                "orders", List.of())), 3_600_000L, BackupRequest.Content.ALL, Map.of());
        BackupPlanner.Outcome backup = BackupPlanner.plan(request, repository(), catalog());
        assertThat(backup.ok()).isFalse();
        assertThat(backup.failure().message()).isEqualTo("Table orders's state is not NORMAL: RESTORE");

        assertThat(restoreCatalog().commit(db, plan, options, System.currentTimeMillis()))
                .isInstanceOf(Outcome.Applied.class);
        assertThat(restoreCatalog().commit(db, plan, options, System.currentTimeMillis()))
                .isEqualTo(new Outcome.AlreadyApplied());
        assertThat(catalog().recycleBin()).as("the old January, kept for reads begun on it").hasSize(1)
                .allSatisfy(entry -> assertThat(entry.getForce()).isTrue());
        assertThat(catalog().tablets(jan, orders.getIndexes().get(0).getId())).as("the old January's tablets")
                .isNotEmpty();

        // A second restore, cancelled after its prepare, leaves nothing behind once its tablets are erased.
        RestorePlan cancelled = new RestorePlan(List.of(newTable(db, "scratch")), List.of(), List.of(), List.of());
        assertThat(restoreCatalog().prepare(db, cancelled, options)).isInstanceOf(Outcome.Applied.class);
        assertThat(restoreCatalog().cancel(db, cancelled, System.currentTimeMillis()))
                .isInstanceOf(Outcome.Applied.class);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> catalog().recycleBin().isEmpty());

        assertThat(catalog().table(db, "scratch")).isEmpty();
        assertThat(catalog().table(db, "orders").orElseThrow().getState()).isEqualTo("NORMAL");
        assertThat(catalog().table(db, "events").orElseThrow().getState()).isEqualTo("NORMAL");
        List<PartitionDef> partitions = catalog().partitions(orders.getId());
        assertThat(partitions).extracting(PartitionDef::getName).containsExactly("p202401", "p202402", "p202403");
        assertThat(partitions.get(0).getId()).isEqualTo(restoredJan);
        assertThat(partitions.get(0).getVisibleVersion()).isEqualTo(3);
        assertThat(partitions.get(0).getNextVersion()).isEqualTo(4);
        assertThat(catalog().tablets(jan, orders.getIndexes().get(0).getId())).as("erased with the old January")
                .isEmpty();
        Map<String, Object> before = snapshot(db);

        app.close();
        app = startApp();

        assertThat(snapshot(db)).isEqualTo(before);
    }

    // ---- helpers ----

    /** Everything the catalog holds for the database, read through its public reads. */
    private Map<String, Object> snapshot(long db) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (OlapTableDef table : catalog().tables(db)) {
            out.put("table " + table.getName(), table);
            for (PartitionDef partition : catalog().partitions(table.getId())) {
                out.put("partition " + partition.getId(), partition);
                for (IndexMeta index : table.getIndexes()) {
                    out.put("tablets " + partition.getId() + "/" + index.getId(),
                            catalog().tablets(partition.getId(), index.getId()));
                }
            }
        }
        out.put("views", catalog().views(db));
        out.put("recycle bin", catalog().recycleBin());
        return out;
    }

    /** orders: January at version 5, February at 7, two buckets of three replicas, written as the DDL would. */
    private OlapTableDef givenOrders(long db) {
        OlapTableDef orders = table(db, catalog().nextId(), "orders", catalog().nextId());
        List<PartitionDef> partitions = List.of(
                partition(catalog().nextId(), orders.getId(), "p202401", "2024-01-01", "2024-02-01", 5),
                partition(catalog().nextId(), orders.getId(), "p202402", "2024-02-01", "2024-03-01", 7));
        long index = orders.getIndexes().get(0).getId();
        Map<Long, List<TabletDef>> tablets = new LinkedHashMap<>();
        for (PartitionDef partition : partitions) {
            tablets.put(partition.getId(), tablets(partition.getVisibleVersion()).stream()
                    .map(t -> new TabletDef(t.tabletId(), new ArrayList<>(t.replicas()))).toList());
        }
        catalog().update(change -> {
            change.put(CatalogKeys.table(orders.getId()), orders);
            for (PartitionDef partition : partitions) {
                change.put(CatalogKeys.partition(partition.getId()), partition);
                change.putTablets(orders.getId(), partition.getId(), index, tablets.get(partition.getId()));
            }
            return null;
        });
        return orders;
    }

    private TablePlan newTable(long db, String name) {
        OlapTableDef table = OlapTableDef.newBuilder(table(db, catalog().nextId(), name, catalog().nextId()))
                .setState("RESTORE").build();
        return new TablePlan(name, TableKind.NEW, table, -1, List.of(partitionPlan(table, "p1", "2024-01-01",
                "2024-02-01", 4, -1)));
    }

    private PartitionPlan partitionPlan(OlapTableDef table, String name, String lower, String upper, long version,
            long replaced) {
        PartitionDef target = partition(catalog().nextId(), table.getId(), name, lower, upper, version);
        return new PartitionPlan(new SnapshotInfo.Partition(name, 1, version, Map.of()), target, replaced,
                Map.of(table.getIndexes().get(0).getId(), tablets(version)));
    }

    private List<TabletPlan> tablets(long version) {
        List<TabletPlan> tablets = new ArrayList<>();
        for (int bucket = 0; bucket < 2; bucket++) {
            List<Replica> replicas = new ArrayList<>();
            for (long backend = 1; backend <= 3; backend++) {
                replicas.add(new Replica(catalog().nextId(), backend, version, -1L, version));
            }
            tablets.add(new TabletPlan(catalog().nextId(), 1, 77, replicas));
        }
        return tablets;
    }

    private long partitionId(OlapTableDef table, String name) {
        return catalog().partitions(table.getId()).stream().filter(p -> p.getName().equals(name)).findFirst()
                .orElseThrow().getId();
    }

    private static OlapTableDef table(long db, long id, String name, long index) {
        return OlapTableDef.newBuilder().setId(id).setDbId(db).setName(name)
                .setColumns(List.of(new Column("dt", "DATE", true, false, null, null, ""),
                        new Column("id", "BIGINT", true, false, null, null, "")))
                .setPartitionColumns(List.of("dt")).setDistributionColumns(List.of("id")).setDefaultBuckets(2)
                .setIndexes(List.of(IndexMeta.newBuilder().setId(index).setName(name).setSchemaHash(77)
                        .setColumns(List.of("dt", "id")).setIsBase(true).build()))
                .build();
    }

    private static PartitionDef partition(long id, long table, String name, String lower, String upper,
            long version) {
        return PartitionDef.newBuilder().setId(id).setTableId(table).setName(name).setRangeLower(lower)
                .setRangeUpper(upper).setVisibleVersion(version).setNextVersion(version + 1).setBuckets(2).build();
    }

    private static RestoreOptions options() {
        return RestoreOptions.parse(Map.of("backup_timestamp", "2024-05-01-00-00-00"), false);
    }

    private static RepositoryRef repository() {
        return RepositoryRef.newBuilder().setRepoId(1).setName("repo").setStorageType(StorageType.FILESYSTEM)
                .setLocation("file:///nowhere").build();
    }
}
