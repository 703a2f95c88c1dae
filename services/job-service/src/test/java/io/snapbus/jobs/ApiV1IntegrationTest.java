package io.snapbus.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.snapbus.api.ApiProblem;
import io.snapbus.api.Dropped;
import io.snapbus.api.Page;
import io.snapbus.api.ProblemType;
import io.snapbus.api.SnapbusApiClient;
import io.snapbus.api.SnapbusApiException;
import io.snapbus.api.backup.BackupJob;
import io.snapbus.api.backup.BackupTable;
import io.snapbus.api.backup.CreateBackupRequest;
import io.snapbus.api.catalog.AddBackendRequest;
import io.snapbus.api.catalog.Backend;
import io.snapbus.api.catalog.ColumnSpec;
import io.snapbus.api.catalog.CreateDatabaseRequest;
import io.snapbus.api.catalog.CreateOdbcTableRequest;
import io.snapbus.api.catalog.CreateResourceRequest;
import io.snapbus.api.catalog.CreateTableRequest;
import io.snapbus.api.catalog.CreateViewRequest;
import io.snapbus.api.catalog.DatabaseObjects;
import io.snapbus.api.catalog.LoadResult;
import io.snapbus.api.catalog.Partition;
import io.snapbus.api.catalog.PartitionSpec;
import io.snapbus.api.catalog.RecoverRequest;
import io.snapbus.api.catalog.Recovered;
import io.snapbus.api.catalog.Table;
import io.snapbus.api.event.JobEvent;
import io.snapbus.api.repository.AlterRepositoryRequest;
import io.snapbus.api.repository.CreateRepositoryRequest;
import io.snapbus.api.repository.Repository;
import io.snapbus.api.repository.Snapshot;
import io.snapbus.api.repository.SnapshotContent;
import io.snapbus.api.repository.SnapshotDeleted;
import io.snapbus.api.restore.CreateRestoreRequest;
import io.snapbus.api.restore.RestoreJob;
import io.snapbus.api.retention.CreateRetentionPolicyRequest;
import io.snapbus.api.retention.RetentionPolicy;
import io.snapbus.api.retention.RetentionRun;
import io.snapbus.api.schedule.CreateScheduleRequest;
import io.snapbus.api.schedule.Schedule;
import io.snapbus.api.verify.StartVerificationRequest;
import io.snapbus.api.verify.Verification;
import io.snapbus.api.verify.VerificationStarted;
import io.snapbus.jobs.backup.shell.BackupService;
import io.snapbus.kafka.KafkaClients;
import io.snapbus.kafka.SnapbusKafkaProperties;
import io.snapbus.local.LocalStack;
import io.snapbus.node.StorageNode;
import io.snapbus.node.StorageNodeConfig;
import io.snapbus.repository.Md5;
import io.snapbus.repository.RepositoryLayout;
import io.snapbus.testing.SnapbusInfra;
import io.snapbus.testing.SnapbusInfraExtension;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Every /api/v1 operation through {@link SnapbusApiClient} against one live job-service (a real broker, registry and
 * storage node, a stand-in agent that runs no snapshots): typed answers, RFC 9457 problems per error family, pages,
 * and the served OpenAPI document equal to the committed one.
 */
@SnapbusInfra
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiV1IntegrationTest {
    /** The committed OpenAPI document of v1, relative to this module. */
    static final Path COMMITTED_DOCUMENT = Path.of("../../docs/openapi/snapbus-v1.json");
    /** Set to true to write the served document over the committed one instead of comparing. */
    static final String WRITE_PROPERTY = "snapbus.openapi.write";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String prefix = SnapbusInfraExtension.uniqueName("api-v1") + ".";
    private Path dir;
    private StorageNode node;
    private ConfigurableApplicationContext app;
    private KafkaClients agentClients;
    private StandInAgent agent;
    private Http http;
    private SnapbusApiClient api;
    private long backendId;

    @BeforeAll
    void start(LocalStack stack) throws Exception {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "api-v1-");
        node = StorageNode.start(StorageNodeConfig.defaults(dir.resolve("node")).toBuilder().bePort(0).build());
        app = new SpringApplicationBuilder(JobServiceApplication.class).run("--server.port=0",
                "--server.address=127.0.0.1", "--snapbus.kafka.bootstrap-servers=" + stack.bootstrapServers(),
                "--snapbus.kafka.registry.url=" + stack.registryUrl(), "--snapbus.kafka.topic-prefix=" + prefix,
                "--snapbus.backup.work-dir=" + dir.resolve("work"), "--snapbus.retention.leftover-grace=0s");
        int port = ((WebServerApplicationContext) app).getWebServer().getPort();
        http = new Http(port);
        api = new SnapbusApiClient(URI.create("http://127.0.0.1:" + port), Duration.ofSeconds(90));
        agentClients = new KafkaClients(SnapbusKafkaProperties.local(stack.bootstrapServers(), stack.registryUrl())
                .withTopicPrefix(prefix));
        agent = new StandInAgent(agentClients);
        Backend backend = api.addBackend(new AddBackendRequest("127.0.0.1", node.port(), null));
        backendId = backend.id();
        agent.attach(backendId, node.endpoint());
    }

    @AfterAll
    void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
        if (agentClients != null) {
            agentClients.close();
        }
        if (app != null) {
            app.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void servesTheCommittedOpenApiDocumentOfV1() throws Exception {
        Http.Answer served = http.get("/v3/api-docs/v1");
        assertThat(served.status()).isEqualTo(200);
        String canonical = canonical(JSON.convertValue(served.body(), Object.class));
        if (Boolean.getBoolean(WRITE_PROPERTY)) {
            Files.createDirectories(COMMITTED_DOCUMENT.getParent());
            Files.writeString(COMMITTED_DOCUMENT, canonical, StandardCharsets.UTF_8);
        }
        String committed = Files.exists(COMMITTED_DOCUMENT)
                ? canonical(JSON.readValue(COMMITTED_DOCUMENT.toFile(), Object.class)) : "(missing)";
        assertThat(canonical).as("%s differs from the served /v3/api-docs/v1; if the change is intended, regenerate"
                + " it: mvn -o verify -pl services/job-service -Dit.test=ApiV1IntegrationTest -Dtest=NONE"
                + " -Dsurefire.failIfNoSpecifiedTests=false -D%s=true, and commit it", COMMITTED_DOCUMENT,
                WRITE_PROPERTY).isEqualTo(committed);

        Http.Answer all = http.get("/v3/api-docs");
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.body().get("paths").get("/api/databases").get("get").path("deprecated").asBoolean())
                .as("an old path is a deprecated alias").isTrue();
        assertThat(all.body().get("paths").get("/api/v1/databases").get("get").has("deprecated")).isFalse();
    }

    @Test
    void catalogOperationsAnswerTypedRecords() {
        assertThat(api.createDatabase(new CreateDatabaseRequest("shop")).name()).isEqualTo("shop");
        assertThat(api.databases()).extracting(d -> d.name()).contains("shop");
        assertThat(api.backends()).extracting(Backend::id).contains(backendId);

        Table created = api.createTable("shop", ordersTable("orders"));
        assertThat(created.partitions()).extracting(Partition::name).containsExactly("p1");
        assertThat(created.partitions().get(0).tablets().get("orders")).hasSize(2)
                .allSatisfy(t -> assertThat(t.replicas()).extracting(r -> r.backendId()).containsExactly(backendId));
        assertThat(created.columns().get(0).isKey()).isTrue();
        assertThat(created.commitSeq()).isPositive();

        Partition added = api.addPartition("shop", "orders", new PartitionSpec("p2", "100", "200", null, null));
        assertThat(added.tablets().get("orders")).hasSize(2);
        LoadResult loaded = api.loadNdjson("shop", "orders", "{\"id\":1,\"v\":\"a\"}\n{\"id\":150,\"v\":\"b\"}\n");
        assertThat(loaded.rows()).isEqualTo(2);
        assertThat(loaded.partitions()).extracting(LoadResult.PartitionLoad::name).containsExactlyInAnyOrder("p1",
                "p2");
        assertThat(api.loadCsv("shop", "orders", "2,c\n").rows()).isEqualTo(1);
        assertThat(api.rows("shop", "orders", null, null).lines()).hasSize(3);
        assertThat(api.rows("shop", "orders", "p2", 5).lines()).containsExactly("{\"id\":150,\"v\":\"b\"}");
        assertThat(api.table("shop", "orders").partitions().get(0).visibleVersion()).isGreaterThan(1);

        Partition truncated = api.truncatePartition("shop", "orders", "p2");
        assertThat(truncated.name()).isEqualTo("p2");
        assertThat(truncated.id()).isNotEqualTo(added.id());
        assertThat(api.dropPartition("shop", "orders", "p2", false)).isEqualTo(new Dropped("p2"));

        assertThat(api.createView("shop", new CreateViewRequest("recent", "SELECT * FROM orders", null)).sql())
                .isEqualTo("SELECT * FROM orders");
        assertThat(api.createResource(new CreateResourceRequest("mysql_res", Map.of("type", "odbc_catalog", "host",
                "127.0.0.1", "port", "3306", "driver", "MySQL"), null)).name()).isEqualTo("mysql_res");
        assertThat(api.resources()).extracting(r -> r.name()).contains("mysql_res");
        assertThat(api.createOdbcTable("shop", new CreateOdbcTableRequest("ext", "mysql_res", "remote_db",
                "remote_t", List.of(ColumnSpec.key("id", "INT")))).resourceName()).isEqualTo("mysql_res");
        DatabaseObjects objects = api.tables("shop");
        assertThat(objects.tables()).extracting(Table::name).containsExactly("orders");
        assertThat(objects.tables().get(0).partitions()).as("a list leaves partitions out").isNull();
        assertThat(objects.views()).extracting(v -> v.name()).containsExactly("recent");
        assertThat(objects.odbcTables()).extracting(t -> t.name()).containsExactly("ext");

        api.createTable("shop", ordersTable("scratch"));
        assertThat(api.dropTable("shop", "scratch", false)).isEqualTo(new Dropped("scratch"));
        assertThat(api.recycleBin()).anySatisfy(e -> {
            assertThat(e.name()).isEqualTo("scratch");
            assertThat(e.recoverable()).isTrue();
        });
        Recovered recovered = api.recover("shop", new RecoverRequest("scratch", null, null));
        assertThat(recovered.kind()).isEqualTo(Recovered.Kind.TABLE);
        assertThat(recovered.table().name()).isEqualTo("scratch");

        api.createDatabase(new CreateDatabaseRequest("gone"));
        assertThat(api.dropDatabase("gone", true)).isEqualTo(new Dropped("gone"));
    }

    @Test
    void backupsArePagedNewestFirstAndCancelled() throws Exception {
        api.createDatabase(new CreateDatabaseRequest("paged"));
        api.createTable("paged", ordersTable("items"));
        api.createRepository(new CreateRepositoryRequest("paged_repo", dir.resolve("paged_repo").toUri().toString(),
                null, null, null));
        List<Long> jobIds = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            // The stand-in agent runs no snapshots: each job waits in SNAPSHOTING until cancelled.
            BackupJob job = api.createBackup("paged", new CreateBackupRequest("b" + i, "paged_repo",
                    List.of(new BackupTable("items", null)), 3600L, null));
            assertThat(job.state()).isIn("PENDING", "SNAPSHOTING");
            assertThat(api.cancelBackup(job.jobId()).jobIds()).containsExactly(job.jobId());
            jobIds.add(job.jobId());
        }
        Page<BackupJob> first = api.backups("paged", 0, 2);
        assertThat(first.total()).isEqualTo(3);
        assertThat(first.items()).extracting(BackupJob::jobId).containsExactly(jobIds.get(2), jobIds.get(1));
        assertThat(first.nextOffset()).isEqualTo(2);
        Page<BackupJob> second = api.backups("paged", first.nextOffset(), 2);
        assertThat(second.items()).extracting(BackupJob::jobId).containsExactly(jobIds.get(0));
        assertThat(second.nextOffset()).isNull();
        assertThat(api.backup(jobIds.get(0)).status()).isEqualTo("[COMMON_ERROR, msg: user cancelled]");
        // A done job's tablets leave the service's memory (the topic holds them); what SHOW shows of them stays.
        io.snapbus.jobs.backup.BackupJob kept = app.getBean(BackupService.class).job(jobIds.get(0)).orElseThrow();
        assertThat(kept.tablets()).isEmpty();
        assertThat(kept.isRetired()).isTrue();
        assertThat(api.backup(jobIds.get(0)).tablets()).isEqualTo(kept.counts().tablets()).isEqualTo(2);

        SnapbusApiException again = catchThrowableOfType(SnapbusApiException.class,
                () -> api.cancelBackup(jobIds.get(0)));
        assertProblem(again.problem(), 409, ProblemType.ALREADY_EXISTS,
                "Job with label b1 can not be cancelled. state: CANCELLED");
        assertThat(again.problem().instance()).isEqualTo("/api/v1/backups/" + jobIds.get(0) + "/cancel");

        assertThat(api.localSnapshots("paged")).isEmpty();
        SnapbusApiException noLocal = catchThrowableOfType(SnapbusApiException.class,
                () -> api.localSnapshot("paged", "b1"));
        assertProblem(noLocal.problem(), 404, ProblemType.UNKNOWN_LOCAL_SNAPSHOT,
                "Local snapshot b1 of database paged does not exist");
    }

    @Test
    void aJobsEventStreamOpensWithTheJobAsItStandsAndEndsWithItsLastEvent() throws Exception {
        api.createDatabase(new CreateDatabaseRequest("watched"));
        api.createTable("watched", ordersTable("items"));
        api.createRepository(new CreateRepositoryRequest("watched_repo",
                dir.resolve("watched_repo").toUri().toString(), null, null, null));
        // The stand-in agent runs no snapshots: the job waits in SNAPSHOTING until cancelled.
        BackupJob job = api.createBackup("watched", new CreateBackupRequest("w1", "watched_repo",
                List.of(new BackupTable("items", null)), 3600L, null));
        List<JobEvent> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<JobEvent> last = CompletableFuture.supplyAsync(() -> api.watchBackup(job.jobId(), seen::add));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !seen.isEmpty());
        JobEvent current = seen.get(0);
        assertThat(current.kind()).isEqualTo("CURRENT");
        assertThat(current.jobId()).isEqualTo(job.jobId());
        assertThat(current.jobType()).isEqualTo("BACKUP");
        assertThat(current.label()).isEqualTo("w1");
        assertThat(current.dbName()).isEqualTo("watched");
        assertThat(current.repositoryName()).isEqualTo("watched_repo");
        assertThat(current.state()).isIn("PENDING", "SNAPSHOTING");
        assertThat(current.progress().snapshotsTotal()).isEqualTo(api.backup(job.jobId()).tablets()).isPositive();

        api.cancelBackup(job.jobId());
        JobEvent end = last.get(60, TimeUnit.SECONDS);
        assertThat(end.kind()).isEqualTo("CANCELLED");
        assertThat(end.state()).isEqualTo("CANCELLED");
        assertThat(end.status()).isEqualTo("COMMON_ERROR");
        assertThat(end.message()).contains("user cancelled");
        assertThat(seen.get(seen.size() - 1)).isEqualTo(end);
        assertThat(seen).extracting(JobEvent::seq).isSorted();
        assertThat(end.seq()).isGreaterThan(current.seq());

        // The stream of a job that has ended: the job as it stands, and nothing after.
        List<JobEvent> again = new ArrayList<>();
        JobEvent ended = api.watchBackup(job.jobId(), again::add);
        assertThat(again).containsExactly(ended);
        assertThat(ended.kind()).isEqualTo("CURRENT");
        assertThat(ended.state()).isEqualTo("CANCELLED");
        assertThat(ended.seq()).isEqualTo(end.seq());

        assertProblem(catchThrowableOfType(SnapbusApiException.class, () -> api.watchBackup(424242, e -> { }))
                .problem(), 404, ProblemType.NOT_FOUND, "backup job 424242 does not exist");
        assertProblem(catchThrowableOfType(SnapbusApiException.class, () -> api.watchRestore(424242, e -> { }))
                .problem(), 404, ProblemType.NOT_FOUND, "restore job 424242 does not exist");
    }

    @Test
    void repositorySnapshotsArePagedAndVerified() throws Exception {
        Path location = dir.resolve("snap_repo");
        Repository repository = api.createRepository(new CreateRepositoryRequest("snap_repo",
                location.toUri().toString(), null, null, false));
        assertThat(repository.storageType()).isEqualTo("FILESYSTEM");
        assertThat(api.repositories()).extracting(Repository::name).contains("snap_repo");
        for (int day = 1; day <= 3; day++) {
            infoFile(location, "snap_repo", "daily" + day, "2026-01-0" + day + "-00-00-00");
        }
        Page<Snapshot> first = api.snapshots("snap_repo", 0, 2);
        assertThat(first.total()).isEqualTo(3);
        assertThat(first.items()).extracting(Snapshot::label).containsExactly("daily3", "daily2");
        Page<Snapshot> last = api.snapshots("snap_repo", 2, 2);
        assertThat(last.items()).extracting(Snapshot::label).containsExactly("daily1");
        assertThat(last.nextOffset()).isNull();

        SnapshotContent content = api.snapshot("snap_repo", "shaped", shapedSnapshot(location, "snap_repo",
                "shaped", "2026-01-04-00-00-00"));
        assertThat(content.dbName()).isEqualTo("shop");
        assertThat(content.tables()).singleElement().satisfies(table -> {
            assertThat(table.name()).isEqualTo("orders");
            assertThat(table.partitions()).singleElement().satisfies(p -> {
                assertThat(p.version()).isEqualTo(3);
                assertThat(p.tablets()).containsExactly(new SnapshotContent.SnapshotTablet(14, "orders", 1, 5, 5L,
                        "99"));
            });
        });
        assertThat(List.of(content.bytes(), content.files(), (long) content.tablets())).containsExactly(5L, 1L, 1L);
        assertProblem(catchThrowableOfType(SnapbusApiException.class, () -> api.snapshot("snap_repo", "shaped",
                "2026-01-05-00-00-00")).problem(), 404, ProblemType.NOT_FOUND,
                "Failed to get info of snapshot 'shaped' because: there is no job info file");

        VerificationStarted started = api.verify("snap_repo", "daily2", new StartVerificationRequest(null, "files"));
        assertThat(started.timestamp()).isEqualTo("2026-01-02-00-00-00");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                !api.verification(started.id()).state().equals("RUNNING"));
        Verification report = api.verification(started.id());
        assertThat(report.label()).isEqualTo("daily2");
        assertThat(report.state()).as("an empty job info is no snapshot: %s", report).isEqualTo("FAILED");

        SnapshotDeleted deleted = api.deleteSnapshot("snap_repo", "daily3");
        assertThat(deleted).isEqualTo(new SnapshotDeleted(deleted.deletionId(), "snap_repo", "daily3",
                List.of("2026-01-03-00-00-00"), "user"));
        assertThat(api.snapshots("snap_repo", 0, 10).items()).extracting(Snapshot::label)
                .containsExactlyInAnyOrder("daily1", "daily2", "shaped");
        assertProblem(catchThrowableOfType(SnapbusApiException.class, () -> api.deleteSnapshot("snap_repo",
                "daily3")).problem(), 404, ProblemType.UNKNOWN_SNAPSHOT,
                "Snapshot daily3 does not exist in repository");
        // A delete that stopped after the job info: the label is left without one, and the same delete finishes it.
        Files.createDirectories(location.resolve(RepositoryLayout.snapshotDir("snap_repo", "leftover")).resolve("x"));
        assertThat(api.deleteSnapshot("snap_repo", "leftover").timestamps()).isEmpty();
        assertThat(location.resolve(RepositoryLayout.snapshotDir("snap_repo", "leftover"))).doesNotExist();
        api.createDatabase(new CreateDatabaseRequest("deleting"));
        api.createTable("deleting", ordersTable("items"));
        // The stand-in agent runs no snapshots: the backup keeps writing its label until cancelled.
        BackupJob writer = api.createBackup("deleting", new CreateBackupRequest("live", "snap_repo",
                List.of(new BackupTable("items", null)), 3600L, null));
        assertProblem(catchThrowableOfType(SnapbusApiException.class, () -> api.deleteSnapshot("snap_repo",
                "live")).problem(), 409, ProblemType.ALREADY_EXISTS,
                "Snapshot live is being written by backup job " + writer.jobId());
        api.cancelBackup(writer.jobId());

        SnapbusApiException alter = catchThrowableOfType(SnapbusApiException.class, () -> api.alterRepository(
                "snap_repo", new AlterRepositoryRequest(Map.of("s3.region", "x"), null, null, null, null, null)));
        assertThat(alter.status()).isEqualTo(400);
        assertThat(api.dropRepository("snap_repo")).isEqualTo(new Dropped("snap_repo"));
    }

    @Test
    void aRetentionPolicyDeletesOnlyItsOwnSnapshotsBeyondItsLimits() throws Exception {
        Path location = dir.resolve("kept_repo");
        api.createRepository(new CreateRepositoryRequest("kept_repo", location.toUri().toString(), null, null,
                null));
        api.createRepository(new CreateRepositoryRequest("other_repo", dir.resolve("other_repo").toUri().toString(),
                null, null, null));
        long day = 86_400_000L;
        long now = System.currentTimeMillis();
        for (int d = 1; d <= 5; d++) {
            policyInfo(location, "kept_repo", "nightly" + d, now - (6 - d) * day, "nightly");
        }
        policyInfo(location, "kept_repo", "adhoc", now - 30 * day, null);
        assertProblem(catchThrowableOfType(SnapbusApiException.class, () -> api.createRetentionPolicy(
                new CreateRetentionPolicyRequest("nightly", "kept_repo", null, 1, null))).problem(), 400,
                ProblemType.BAD_REQUEST, "A retention policy needs expireAfterSeconds or maxCount");
        assertProblem(catchThrowableOfType(SnapbusApiException.class, () -> api.createRetentionPolicy(
                new CreateRetentionPolicyRequest("nightly", "kept_repo", null, 3, 2))).problem(), 400,
                ProblemType.BAD_REQUEST, "maxCount (2) must be at least minCount (3)");
        assertThat(catchThrowableOfType(SnapbusApiException.class, () -> api.createRetentionPolicy(
                new CreateRetentionPolicyRequest("nightly", "nowhere", null, null, 2))).status()).isEqualTo(404);

        RetentionPolicy policy = api.createRetentionPolicy(new CreateRetentionPolicyRequest("nightly", "kept_repo",
                4 * 86_400L, 1, 3));
        assertThat(api.retentionPolicies()).containsExactly(policy);
        assertThat(api.retentionPolicy("nightly").maxCount()).isEqualTo(3);
        assertThat(catchThrowableOfType(SnapbusApiException.class, () -> api.createRetentionPolicy(
                new CreateRetentionPolicyRequest("nightly", "kept_repo", null, null, 2))).status()).isEqualTo(409);
        api.createDatabase(new CreateDatabaseRequest("kept"));
        api.createTable("kept", ordersTable("items"));
        assertProblem(catchThrowableOfType(SnapbusApiException.class, () -> api.createBackup("kept",
                new CreateBackupRequest("n6", "other_repo", List.of(new BackupTable("items", null)), 3600L, null,
                        null, "nightly"))).problem(), 400, ProblemType.BAD_REQUEST,
                "Retention policy nightly keeps the snapshots of repository kept_repo, not of other_repo");

        // A backup of the policy that failed after writing part of its label, then a newer one that succeeded.
        BackupJob failed = api.createBackup("kept", new CreateBackupRequest("n0", "kept_repo",
                List.of(new BackupTable("items", null)), 3600L, null, null, "nightly"));
        api.cancelBackup(failed.jobId());
        Files.createDirectories(location.resolve(RepositoryLayout.snapshotDir("kept_repo", "n0")).resolve("part"));
        policyInfo(location, "kept_repo", "nightly6", now + 60_000, "nightly");

        RetentionRun run = api.runRetentionPolicy("nightly");

        // Newest first: nightly6, 5 (1 day), 4 kept by max_count 3; 3, 2, 1 beyond it. adhoc is no policy's.
        assertThat(run.deleted()).containsExactly("nightly1", "nightly2", "nightly3");
        assertThat(run.failedDeleted()).containsExactly("n0");
        assertThat(run.kept()).isEqualTo(3);
        assertThat(run.refused()).isEmpty();
        assertThat(run.budgetExhausted()).isFalse();
        assertThat(api.snapshots("kept_repo", 0, 10).items()).extracting(Snapshot::label)
                .containsExactlyInAnyOrder("nightly4", "nightly5", "nightly6", "adhoc");
        assertThat(api.runRetentionPolicy("nightly").deleted()).as("a second run").isEmpty();
        // The history: each deletion an event naming the policy, each run one with what it did.
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<JobEvent> deletions = api.events(List.of("DELETE"), null, 1000);
            assertThat(deletions).filteredOn(e -> e.repositoryName().equals("kept_repo")).extracting(JobEvent::label)
                    .contains("nightly1", "nightly2", "nightly3", "n0");
            assertThat(deletions).filteredOn(e -> e.label().equals("nightly1")).singleElement().satisfies(e -> {
                assertThat(e.state()).isEqualTo("DELETED");
                assertThat(e.message()).contains("retention policy nightly");
            });
            assertThat(api.events(List.of("RETENTION"), "nightly", 10)).hasSize(2).first()
                    .satisfies(e -> assertThat(e.message()).contains("deleted []"));
        });
        assertThat(api.deleteRetentionPolicy("nightly")).isEqualTo(new Dropped("nightly"));
        assertProblem(catchThrowableOfType(SnapbusApiException.class, () -> api.retentionPolicy("nightly"))
                .problem(), 404, ProblemType.UNKNOWN_RETENTION_POLICY, "Retention policy nightly does not exist");
        assertThat(api.snapshots("kept_repo", 0, 10).total()).as("a deleted policy's snapshots stay").isEqualTo(4);
    }

    /**
     * A schedule firing every second against the stand-in agent, whose backups run until cancelled: it waits for the
     * running one (WAIT), counts each cancelled one as a failure and starts the next, raises the alarm after two,
     * fires nothing while paused and again once resumed.
     */
    @Test
    void aScheduleFiresAtItsCronTimesWaitsForItsRunningBackupAndRaisesTheAlarm() throws Exception {
        api.createDatabase(new CreateDatabaseRequest("sched"));
        api.createTable("sched", ordersTable("items"));
        api.createRepository(new CreateRepositoryRequest("sched_repo", dir.resolve("sched_repo").toUri().toString(),
                null, null, null));
        assertProblem(catchThrowableOfType(SnapbusApiException.class, () -> api.createSchedule(
                new CreateScheduleRequest("bad", "sched", List.of("items"), "sched_repo", "every second", null, null,
                        null, null, null))).problem(), 400, ProblemType.BAD_REQUEST,
                "Invalid cron expression 'every second': it needs 5 fields");
        assertProblem(catchThrowableOfType(SnapbusApiException.class, () -> api.createSchedule(
                new CreateScheduleRequest("bad", "sched", List.of("items"), "sched_repo", "* * * * *", null, null,
                        "later", null, null))).problem(), 400, ProblemType.BAD_REQUEST,
                "onPreviousRunning must be one of [SKIP, WAIT], got 'later'");

        Schedule created = api.createSchedule(new CreateScheduleRequest("every_second", "sched", List.of("items"),
                "sched_repo", "* * * * * *", null, null, null, null, 2));
        try {
            assertThat(created.onPreviousRunning()).isEqualTo("WAIT");
            assertThat(created.onExecutionFailure()).isEqualTo("RESCHEDULE");
            long first = awaitScheduledRun("every_second", 1);
            BackupJob job = api.backup(first);
            assertThat(job.snapshotName()).startsWith("every_second_");
            assertThat(job.state()).isIn("PENDING", "SNAPSHOTING");

            // WAIT: due every second, but the first backup still runs, so nothing else starts.
            long due = api.schedule("every_second").nextRunMs();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> System.currentTimeMillis() > due + 2_500);
            assertThat(api.schedule("every_second").runs()).isEqualTo(1);

            api.cancelBackup(first);
            long second = awaitScheduledRun("every_second", 2);
            assertThat(api.schedule("every_second").consecutiveFailures()).isEqualTo(1);
            assertThat(api.schedule("every_second").lastOutcome()).isEmpty();
            api.cancelBackup(second);
            awaitScheduledRun("every_second", 3);
            Schedule alarmed = api.schedule("every_second");
            assertThat(alarmed.consecutiveFailures()).isEqualTo(2);
            assertThat(alarmed.alarm()).isTrue();
            assertThat(http.text("/actuator/prometheus"))
                    .containsPattern("snapbus_schedule_alarm\\{[^}]*schedule=\"every_second\"} 1\\.0")
                    .containsPattern("snapbus_schedule_consecutive_failures\\{[^}]*schedule=\"every_second\"} 2\\.0");

            Schedule paused = api.pauseSchedule("every_second", true);
            assertThat(paused.paused()).isTrue();
            api.cancelBackup(alarmed.lastJobId());
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                    api.schedule("every_second").lastOutcome().equals("FAILED"));
            long pausedAt = System.currentTimeMillis();
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> System.currentTimeMillis() > pausedAt + 2_500);
            assertThat(api.schedule("every_second").runs()).as("nothing fires while paused").isEqualTo(3);

            Schedule resumed = api.pauseSchedule("every_second", false);
            assertThat(resumed.consecutiveFailures()).isZero();
            awaitScheduledRun("every_second", 4);
            api.deleteSchedule("every_second");
            assertProblem(catchThrowableOfType(SnapbusApiException.class, () -> api.schedule("every_second"))
                    .problem(), 404, ProblemType.UNKNOWN_SCHEDULE, "Schedule every_second does not exist");
        } finally {
            // A failed assertion leaves no schedule firing and no backup running for the next test.
            if (api.schedules().stream().anyMatch(x -> x.name().equals("every_second"))) {
                api.deleteSchedule("every_second");
            }
            api.backups("sched", 0, 100).items().stream().filter(b -> !b.state().equals("FINISHED")
                    && !b.state().equals("CANCELLED")).forEach(b -> api.cancelBackup(b.jobId()));
        }
    }

    /** Waits until the schedule started its {@code run}-th backup; answers that backup's job id. */
    private long awaitScheduledRun(String name, long run) {
        return Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> api.schedule(name), s -> s.runs() >= run && s.lastJobId() >= 0
                        && s.lastOutcome().isEmpty()).lastJobId();
    }

    @Test
    void restoresAnswerTypedRecordsAndProblems() {
        api.createDatabase(new CreateDatabaseRequest("target"));
        api.createRepository(new CreateRepositoryRequest("empty_repo", dir.resolve("empty_repo").toUri().toString(),
                null, null, null));
        Page<RestoreJob> none = api.restores("target", 0, 10);
        assertThat(none.items()).isEmpty();
        assertThat(none.total()).isZero();
        SnapbusApiException missing = catchThrowableOfType(SnapbusApiException.class, () -> api.createRestore(
                "target", new CreateRestoreRequest("nothing", "empty_repo", null, null,
                        Map.of("backup_timestamp", "2026-01-01-00-00-00"))));
        assertThat(missing.status()).isIn(400, 404);
        assertThat(missing.problem().type()).startsWith(ProblemType.URN_PREFIX);
        assertProblem(catchThrowableOfType(SnapbusApiException.class, () -> api.restore(424242)).problem(), 404,
                ProblemType.NOT_FOUND, "restore job 424242 does not exist");
        assertProblem(catchThrowableOfType(SnapbusApiException.class, () -> api.cancelRestores("target")).problem(),
                404, ProblemType.NOT_FOUND, "No restore job is currently running");
        assertThat(catchThrowableOfType(SnapbusApiException.class, () -> api.cancelRestore(424242)).status())
                .isIn(404, 409);
        assertProblem(catchThrowableOfType(SnapbusApiException.class, () -> api.verification(424242)).problem(), 404,
                ProblemType.UNKNOWN_VERIFICATION, "Verification 424242 does not exist");
    }

    @Test
    void errorsAreProblemsWithStableTypesAndTheOldPathsKeepTheirBody() {
        SnapbusApiException invalid = catchThrowableOfType(SnapbusApiException.class, () -> api.createTable("shop_x",
                new CreateTableRequest(null, null, null, List.of(ColumnSpec.key("id", "x".repeat(65))), null, null,
                        List.of("id"), 1, 1, null, null, null)));
        assertProblem(invalid.problem(), 400, ProblemType.INVALID_REQUEST,
                "columns[0].type: a type has at most 64 characters; name: a table needs a name");
        assertThat(invalid.problem().errors()).extracting(ApiProblem.FieldError::field)
                .containsExactly("columns[0].type", "name");
        SnapbusApiException badLimit = catchThrowableOfType(SnapbusApiException.class,
                () -> api.backups("nodb", 0, Page.MAX_LIMIT + 1));
        assertThat(badLimit.problem().errors()).extracting(ApiProblem.FieldError::field).containsExactly("limit");

        assertProblem(catchThrowableOfType(SnapbusApiException.class, () -> api.table("nodb", "t")).problem(), 404,
                ProblemType.UNKNOWN_DATABASE, "Unknown database 'nodb'");
        api.createDatabase(new CreateDatabaseRequest("twice"));
        SnapbusApiException conflict = catchThrowableOfType(SnapbusApiException.class,
                () -> api.createDatabase(new CreateDatabaseRequest("twice")));
        assertProblem(conflict.problem(), 409, ProblemType.ALREADY_EXISTS,
                "Can't create database 'twice'; database exists");
        assertThat(conflict.problem().type()).isEqualTo("urn:snapbus:problem:already-exists");
        assertThat(conflict.problem().title()).isEqualTo(ProblemType.ALREADY_EXISTS.title());

        Http.Answer unknownPath = http.get("/api/v1/no-such-thing");
        assertThat(unknownPath.status()).isEqualTo(404);
        assertThat(unknownPath.body().get("type").asText()).isEqualTo("urn:snapbus:problem:not-found");
        Http.Answer old = http.post("/api/databases", Map.of("name", "twice"));
        assertThat(old.status()).isEqualTo(409);
        assertThat(old.body().fieldNames()).toIterable().containsExactly("error", "message");
        assertThat(old.error()).isEqualTo("ALREADY_EXISTS");
    }

    private static void assertProblem(ApiProblem problem, int status, ProblemType type, String detailPrefix) {
        assertThat(problem.status()).as("%s", problem).isEqualTo(status);
        assertThat(problem.problemType()).as("%s", problem).isEqualTo(type);
        assertThat(problem.code()).isEqualTo(type.code());
        assertThat(problem.detail()).startsWith(detailPrefix);
        assertThat(problem.instance()).startsWith("/api/v1/");
    }

    private static CreateTableRequest ordersTable(String name) {
        return new CreateTableRequest(name, null, null, List.of(ColumnSpec.key("id", "BIGINT"),
                ColumnSpec.of("v", "VARCHAR(16)")), "id", List.of(new PartitionSpec("p1", "0", "100", null, null)),
                List.of("id"), 2, 1, null, null, null);
    }

    /** A finished snapshot's job info taken at {@code backupTimeMs}, naming {@code policy} (none when null). */
    private static void policyInfo(Path location, String repository, String label, long backupTimeMs, String policy)
            throws Exception {
        String json = "{\"name\": \"" + label + "\", \"backup_time\": " + backupTimeMs
                + ", \"backup_result\": \"succeed\"" + (policy == null ? "" : ", \"snapbus_retention_policy\": \""
                + policy + "\"") + "}";
        byte[] content = json.getBytes(StandardCharsets.UTF_8);
        Path snapshot = location.resolve(RepositoryLayout.snapshotDir(repository, label));
        Files.createDirectories(snapshot);
        String timestamp = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss")
                .withZone(java.time.ZoneId.systemDefault()).format(java.time.Instant.ofEpochMilli(backupTimeMs));
        Files.write(snapshot.resolve(RepositoryLayout.PREFIX_JOB_INFO + timestamp + "." + Md5.of(content)), content);
    }

    /** A job info file of {@code label} at {@code timestamp} in a filesystem repository, named as backups name it. */
    private static void infoFile(Path location, String repository, String label, String timestamp) throws Exception {
        byte[] content = "{}".getBytes(StandardCharsets.UTF_8);
        Path snapshot = location.resolve(RepositoryLayout.repoDir(repository))
                .resolve(RepositoryLayout.PREFIX_SNAPSHOT_DIR + label);
        Files.createDirectories(snapshot);
        Files.write(snapshot.resolve(RepositoryLayout.PREFIX_JOB_INFO + timestamp + "." + Md5.of(content)), content);
    }

    /**
     * A job info of one table, partition and tablet (one 5-byte file, 5 rows recorded with checksum 99) with its
     * tablet's file, as a backup lays them out; answers the timestamp.
     */
    private static String shapedSnapshot(Path location, String repository, String label, String timestamp)
            throws Exception {
        byte[] data = "rows!".getBytes(StandardCharsets.UTF_8);
        String file = "14_0.dat." + Md5.of(data);
        Path tablet = location.resolve(RepositoryLayout.tabletDir(repository, label, 10, 11, 12, 13, 14));
        Files.createDirectories(tablet);
        Files.write(tablet.resolve(file), data);
        byte[] info = ("{\"name\": \"" + label + "\", \"database\": \"shop\", \"id\": 10, \"backup_time\": 1,"
                + " \"backup_objects\": {\"orders\": {\"id\": 11, \"partitions\": {\"p1\": {\"id\": 12,"
                + " \"version\": 3, \"indexes\": {\"orders\": {\"id\": 13, \"schema_hash\": 7,"
                + " \"tablets\": {\"14\": [\"" + file + "\"]}, \"tablets_order\": [14],"
                + " \"snapbus_tablet_checksums\": {\"14\": {\"rows\": 5, \"checksum\": 99}}}}}}}}}")
                .getBytes(StandardCharsets.UTF_8);
        Path snapshot = location.resolve(RepositoryLayout.snapshotDir(repository, label));
        Files.write(snapshot.resolve(RepositoryLayout.PREFIX_JOB_INFO + timestamp + "." + Md5.of(info)), info);
        return timestamp;
    }

    /** JSON with every object's keys sorted, indented: the same document always reads the same. */
    static String canonical(Object json) throws Exception {
        return JSON.writeValueAsString(sorted(json)) + "\n";
    }

    private static Object sorted(Object json) {
        if (json instanceof Map<?, ?> map) {
            Map<String, Object> out = new TreeMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), sorted(v)));
            return out;
        }
        if (json instanceof List<?> list) {
            return list.stream().map(ApiV1IntegrationTest::sorted).toList();
        }
        return json;
    }
}
