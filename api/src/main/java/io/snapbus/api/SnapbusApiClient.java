package io.snapbus.api;

import io.snapbus.api.backup.BackupJob;
import io.snapbus.api.backup.CancelResult;
import io.snapbus.api.backup.CreateBackupRequest;
import io.snapbus.api.backup.LocalSnapshot;
import io.snapbus.api.catalog.AddBackendRequest;
import io.snapbus.api.catalog.Backend;
import io.snapbus.api.catalog.CreateDatabaseRequest;
import io.snapbus.api.catalog.CreateOdbcTableRequest;
import io.snapbus.api.catalog.CreateResourceRequest;
import io.snapbus.api.catalog.CreateTableRequest;
import io.snapbus.api.catalog.CreateViewRequest;
import io.snapbus.api.catalog.Database;
import io.snapbus.api.catalog.DatabaseObjects;
import io.snapbus.api.catalog.LoadResult;
import io.snapbus.api.catalog.OdbcTable;
import io.snapbus.api.catalog.Partition;
import io.snapbus.api.catalog.PartitionSpec;
import io.snapbus.api.catalog.RecoverRequest;
import io.snapbus.api.catalog.Recovered;
import io.snapbus.api.catalog.RecycleBinEntry;
import io.snapbus.api.catalog.Resource;
import io.snapbus.api.catalog.Table;
import io.snapbus.api.catalog.View;
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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A typed client of a job-service's {@code /api/v1}: one method per operation, answers as the records of this module.
 * An error answer is thrown as {@link SnapbusApiException} carrying the RFC 9457 problem; a failure to reach the
 * service as {@link UncheckedIOException}. Thread-safe; one instance per service.
 */
public final class SnapbusApiClient {
    private static final String JSON = "application/json";
    private static final String NDJSON = "application/x-ndjson";
    private static final String CSV = "text/csv";
    private static final String EVENT_STREAM = "text/event-stream";
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private final HttpClient http;
    private final String base;
    private final Duration timeout;

    /**
     * @param baseUri the job-service, such as {@code http://127.0.0.1:8080}
     * @param timeout the longest a request may take (creating a table waits for its tablets, a load for its rows)
     */
    public SnapbusApiClient(URI baseUri, Duration timeout) {
        String text = baseUri.toString();
        this.base = (text.endsWith("/") ? text.substring(0, text.length() - 1) : text) + "/api/v1";
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** A client with a two-minute request timeout. */
    public SnapbusApiClient(URI baseUri) {
        this(baseUri, Duration.ofMinutes(2));
    }

    // --- catalog -------------------------------------------------------------------------------------------------

    public List<Database> databases() {
        return get("/databases", new TypeReference<>() {});
    }

    public Database createDatabase(CreateDatabaseRequest request) {
        return post("/databases", request, new TypeReference<>() {});
    }

    /** DROP DATABASE; {@code force} skips the recycle bin. */
    public Dropped dropDatabase(String db, boolean force) {
        return delete("/databases/" + segment(db) + "?force=" + force, new TypeReference<>() {});
    }

    public List<Backend> backends() {
        return get("/backends", new TypeReference<>() {});
    }

    public Backend addBackend(AddBackendRequest request) {
        return post("/backends", request, new TypeReference<>() {});
    }

    public View createView(String db, CreateViewRequest request) {
        return post("/databases/" + segment(db) + "/views", request, new TypeReference<>() {});
    }

    public List<Resource> resources() {
        return get("/resources", new TypeReference<>() {});
    }

    public Resource createResource(CreateResourceRequest request) {
        return post("/resources", request, new TypeReference<>() {});
    }

    public OdbcTable createOdbcTable(String db, CreateOdbcTableRequest request) {
        return post("/databases/" + segment(db) + "/odbc-tables", request, new TypeReference<>() {});
    }

    /** The tables, views and ODBC tables of a database (tables without their partitions). */
    public DatabaseObjects tables(String db) {
        return get(tablesPath(db), new TypeReference<>() {});
    }

    public Table createTable(String db, CreateTableRequest request) {
        return post(tablesPath(db), request, new TypeReference<>() {});
    }

    /** A table with its partitions, tablets and replicas. */
    public Table table(String db, String table) {
        return get(tablePath(db, table), new TypeReference<>() {});
    }

    public Dropped dropTable(String db, String table, boolean force) {
        return delete(tablePath(db, table) + "?force=" + force, new TypeReference<>() {});
    }

    public Partition addPartition(String db, String table, PartitionSpec partition) {
        return post(tablePath(db, table) + "/partitions", partition, new TypeReference<>() {});
    }

    public Dropped dropPartition(String db, String table, String partition, boolean force) {
        return delete(tablePath(db, table) + "/partitions/" + segment(partition) + "?force=" + force,
                new TypeReference<>() {});
    }

    /** TRUNCATE TABLE ... PARTITION: the partition that replaced it, empty. */
    public Partition truncatePartition(String db, String table, String partition) {
        return post(tablePath(db, table) + "/partitions/" + segment(partition) + "/truncate", null,
                new TypeReference<>() {});
    }

    /** Loads NDJSON rows (one JSON object per line, keys are column names). */
    public LoadResult loadNdjson(String db, String table, String rows) {
        return send(request(tablePath(db, table) + "/loads").header("Content-Type", NDJSON)
                .POST(BodyPublishers.ofString(rows, StandardCharsets.UTF_8)), new TypeReference<>() {});
    }

    /** Loads CSV rows (the columns in the table's order, no header). */
    public LoadResult loadCsv(String db, String table, String rows) {
        return send(request(tablePath(db, table) + "/loads").header("Content-Type", CSV)
                .POST(BodyPublishers.ofString(rows, StandardCharsets.UTF_8)), new TypeReference<>() {});
    }

    /**
     * The table's rows as NDJSON in the load format, in partition and bucket order.
     *
     * @param partition null for every partition
     * @param limit     null for every row
     */
    public String rows(String db, String table, String partition, Integer limit) {
        StringBuilder path = new StringBuilder(tablePath(db, table)).append("/rows");
        String sep = "?";
        if (partition != null) {
            path.append(sep).append("partition=").append(segment(partition));
            sep = "&";
        }
        if (limit != null) {
            path.append(sep).append("limit=").append(limit);
        }
        HttpResponse<String> response = exchange(request(path.toString()).GET());
        return response.body();
    }

    public List<RecycleBinEntry> recycleBin() {
        return get("/recycle-bin", new TypeReference<>() {});
    }

    /** RECOVER DATABASE, TABLE or PARTITION from a database's recycle bin. */
    public Recovered recover(String db, RecoverRequest request) {
        return post("/databases/" + segment(db) + "/recover", request, new TypeReference<>() {});
    }

    // --- repositories --------------------------------------------------------------------------------------------

    public List<Repository> repositories() {
        return get("/repositories", new TypeReference<>() {});
    }

    public Repository createRepository(CreateRepositoryRequest request) {
        return post("/repositories", request, new TypeReference<>() {});
    }

    public Repository alterRepository(String name, AlterRepositoryRequest request) {
        return send(request("/repositories/" + segment(name)).header("Content-Type", JSON)
                .method("PATCH", json(request)), new TypeReference<>() {});
    }

    public Dropped dropRepository(String name) {
        return delete("/repositories/" + segment(name), new TypeReference<>() {});
    }

    /**
     * The newest events of job-events, newest first: of these job types (BACKUP, RESTORE, VERIFY, DELETE, RETENTION,
     * SCHEDULE; all when empty) and this label (any when null).
     */
    public List<JobEvent> events(List<String> jobTypes, String label, int limit) {
        StringBuilder query = new StringBuilder("?limit=" + limit);
        jobTypes.forEach(t -> query.append("&type=").append(URLEncoder.encode(t, StandardCharsets.UTF_8)));
        if (label != null) {
            query.append("&label=").append(URLEncoder.encode(label, StandardCharsets.UTF_8));
        }
        return get("/events" + query, new TypeReference<>() {});
    }

    /** Creates a backup schedule (CockroachDB's CREATE SCHEDULE FOR BACKUP). */
    public Schedule createSchedule(CreateScheduleRequest request) {
        return post("/schedules", request, new TypeReference<>() {});
    }

    public List<Schedule> schedules() {
        return get("/schedules", new TypeReference<>() {});
    }

    public Schedule schedule(String name) {
        return get("/schedules/" + segment(name), new TypeReference<>() {});
    }

    /** Pauses ({@code true}) or resumes a schedule. */
    public Schedule pauseSchedule(String name, boolean pause) {
        return post("/schedules/" + segment(name) + (pause ? "/pause" : "/resume"), null, new TypeReference<>() {});
    }

    /** Deletes a schedule; its snapshots stay. */
    public Dropped deleteSchedule(String name) {
        return delete("/schedules/" + segment(name), new TypeReference<>() {});
    }

    /** Creates a retention policy (SLM's retention) over a repository's snapshots. */
    public RetentionPolicy createRetentionPolicy(CreateRetentionPolicyRequest request) {
        return post("/retention-policies", request, new TypeReference<>() {});
    }

    public List<RetentionPolicy> retentionPolicies() {
        return get("/retention-policies", new TypeReference<>() {});
    }

    public RetentionPolicy retentionPolicy(String name) {
        return get("/retention-policies/" + segment(name), new TypeReference<>() {});
    }

    /** Deletes a retention policy; its snapshots stay. */
    public Dropped deleteRetentionPolicy(String name) {
        return delete("/retention-policies/" + segment(name), new TypeReference<>() {});
    }

    /** Applies a retention policy now and answers what it deleted and kept. */
    public RetentionRun runRetentionPolicy(String name) {
        return post("/retention-policies/" + segment(name) + "/run", null, new TypeReference<>() {});
    }

    /**
     * Deletes a snapshot (409 while a running backup writes it or a running restore reads it); other snapshots lose
     * nothing.
     */
    public SnapshotDeleted deleteSnapshot(String repository, String label) {
        return delete("/repositories/" + segment(repository) + "/snapshots/" + segment(label),
                new TypeReference<>() {});
    }

    /** A page of the repository's snapshots, newest first. */
    public Page<Snapshot> snapshots(String repository, int offset, int limit) {
        return get("/repositories/" + segment(repository) + "/snapshots" + page(offset, limit),
                new TypeReference<>() {});
    }

    /**
     * What one backup ({@code timestamp}, {@code yyyy-MM-dd-HH-mm-ss}) of the snapshot holds: tables, partitions,
     * tablets, sizes and recorded checksums.
     */
    public SnapshotContent snapshot(String repository, String label, String timestamp) {
        return get("/repositories/" + segment(repository) + "/snapshots/" + segment(label) + "/" + segment(timestamp),
                new TypeReference<>() {});
    }

    // --- backups -------------------------------------------------------------------------------------------------

    public BackupJob createBackup(String db, CreateBackupRequest request) {
        return post("/databases/" + segment(db) + "/backups", request, new TypeReference<>() {});
    }

    /** A page of the database's backup jobs, newest first. */
    public Page<BackupJob> backups(String db, int offset, int limit) {
        return get("/databases/" + segment(db) + "/backups" + page(offset, limit), new TypeReference<>() {});
    }

    public BackupJob backup(long jobId) {
        return get("/backups/" + jobId, new TypeReference<>() {});
    }

    public CancelResult cancelBackup(long jobId) {
        return post("/backups/" + jobId + "/cancel", null, new TypeReference<>() {});
    }

    /** The database's local snapshots (backups to {@code __keep_on_local__}), without their files. */
    public List<LocalSnapshot> localSnapshots(String db) {
        return get("/databases/" + segment(db) + "/local-snapshots", new TypeReference<>() {});
    }

    /** A local snapshot with its meta and job info files (none once expired). */
    public LocalSnapshot localSnapshot(String db, String label) {
        return get("/databases/" + segment(db) + "/local-snapshots/" + segment(label), new TypeReference<>() {});
    }

    // --- restores ------------------------------------------------------------------------------------------------

    public RestoreJob createRestore(String db, CreateRestoreRequest request) {
        return post("/databases/" + segment(db) + "/restores", request, new TypeReference<>() {});
    }

    /** A page of the database's restore jobs, newest first. */
    public Page<RestoreJob> restores(String db, int offset, int limit) {
        return get("/databases/" + segment(db) + "/restores" + page(offset, limit), new TypeReference<>() {});
    }

    public RestoreJob restore(long jobId) {
        return get("/restores/" + jobId, new TypeReference<>() {});
    }

    public CancelResult cancelRestore(long jobId) {
        return post("/restores/" + jobId + "/cancel", null, new TypeReference<>() {});
    }

    /** CANCEL RESTORE FROM db: every unfinished restore of the database. */
    public CancelResult cancelRestores(String db) {
        return post("/databases/" + segment(db) + "/restores/cancel", null, new TypeReference<>() {});
    }

    // --- verifications -------------------------------------------------------------------------------------------

    public VerificationStarted verify(String repository, String label, StartVerificationRequest request) {
        return post("/repositories/" + segment(repository) + "/snapshots/" + segment(label) + "/verify", request,
                new TypeReference<>() {});
    }

    public Verification verification(long id) {
        return get("/verifications/" + id, new TypeReference<>() {});
    }

    // --- events --------------------------------------------------------------------------------------------------

    /**
     * Follows a backup job's events until it ends: {@code onEvent} gets the CURRENT one, then each as it happens; returns
     * the last (FINISHED or CANCELLED). Throws {@link UncheckedIOException} when the stream ends before the job does
     * (the job-service went away: watch again, the CURRENT event says where the job is).
     */
    public JobEvent watchBackup(long jobId, Consumer<JobEvent> onEvent) {
        return watch("/backups/" + jobId + "/events", onEvent);
    }

    /** As {@link #watchBackup}, for a restore job. */
    public JobEvent watchRestore(long jobId, Consumer<JobEvent> onEvent) {
        return watch("/restores/" + jobId + "/events", onEvent);
    }

    private JobEvent watch(String path, Consumer<JobEvent> onEvent) {
        HttpRequest request = request(path).setHeader("Accept", EVENT_STREAM + ", application/problem+json").GET()
                .build();
        HttpResponse<Stream<String>> response;
        try {
            response = http.send(request, BodyHandlers.ofLines());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted", e));
        }
        try (Stream<String> lines = response.body()) {
            if (response.statusCode() >= 400) {
                throw new SnapbusApiException(problemOf(response.statusCode(), String.join("\n", lines.toList()),
                        request.uri()));
            }
            StringBuilder data = new StringBuilder();
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.startsWith("data:")) {
                    data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).stripLeading());
                } else if (line.isEmpty() && !data.isEmpty()) {
                    JobEvent event = MAPPER.readValue(data.toString(), JobEvent.class);
                    data.setLength(0);
                    onEvent.accept(event);
                    if (event.ends()) {
                        return event;
                    }
                }
                // "event:" names the kind the data carries too; ":" lines keep the connection alive
            }
        } catch (JacksonException e) {
            throw new UncheckedIOException(new IOException("unreadable event of " + request.uri() + ": "
                    + e.getOriginalMessage(), e));
        }
        throw new UncheckedIOException(new IOException("the event stream of " + request.uri()
                + " ended before the job did"));
    }

    // --- transport -----------------------------------------------------------------------------------------------

    private static String tablesPath(String db) {
        return "/databases/" + segment(db) + "/tables";
    }

    private static String tablePath(String db, String table) {
        return tablesPath(db) + "/" + segment(table);
    }

    private static String page(int offset, int limit) {
        return "?offset=" + offset + "&limit=" + limit;
    }

    /** A path segment or query value, percent-encoded. */
    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout).header("Accept",
                JSON + ", application/problem+json, " + NDJSON);
    }

    private <T> T get(String path, TypeReference<T> type) {
        return send(request(path).GET(), type);
    }

    private <T> T delete(String path, TypeReference<T> type) {
        return send(request(path).DELETE(), type);
    }

    private <T> T post(String path, Object body, TypeReference<T> type) {
        return send(request(path).header("Content-Type", JSON)
                .POST(body == null ? BodyPublishers.ofString("{}") : json(body)), type);
    }

    private static BodyPublisher json(Object body) {
        return BodyPublishers.ofString(MAPPER.writeValueAsString(body), StandardCharsets.UTF_8);
    }

    private <T> T send(HttpRequest.Builder request, TypeReference<T> type) {
        HttpResponse<String> response = exchange(request);
        try {
            return MAPPER.readValue(response.body(), type);
        } catch (JacksonException e) {
            throw new UncheckedIOException(new IOException("unreadable answer of " + response.request().uri() + ": "
                    + e.getOriginalMessage(), e));
        }
    }

    private HttpResponse<String> exchange(HttpRequest.Builder request) {
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted", e));
        }
        if (response.statusCode() >= 400) {
            throw new SnapbusApiException(problemOf(response.statusCode(), response.body(), response.request().uri()));
        }
        return response;
    }

    /** The answer's problem; a body that is none (a proxy's page, say) becomes one of type OTHER. */
    private static ApiProblem problemOf(int status, String answer, URI uri) {
        try {
            ApiProblem problem = MAPPER.readValue(answer, ApiProblem.class);
            if (problem.type() != null) {
                return problem;
            }
        } catch (JacksonException e) {
            // not a problem document: described below
        }
        String body = answer == null ? "" : answer;
        return new ApiProblem(ProblemType.uriOf(ProblemType.OTHER.code()), ProblemType.OTHER.title(),
                status, body.length() > 500 ? body.substring(0, 500) + "..." : body, uri.getPath(),
                ProblemType.OTHER.code(), List.of());
    }
}
