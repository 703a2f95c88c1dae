package io.snapbus.jobs.verify;

import io.snapbus.avro.RepositoryDef;
import io.snapbus.jobs.api.ApiException;
import io.snapbus.jobs.catalog.CatalogView;
import io.snapbus.jobs.repository.RepositoryRegistry;
import io.snapbus.jobs.repository.RepositoryService;
import io.snapbus.repository.RepositoryException;
import io.snapbus.repository.RepositoryLayout;
import io.snapbus.repository.RepositoryStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

/**
 * Starts verifications of snapshots in the background and keeps their reports, in memory only (a restarted
 * job-service has forgotten them; the events on job-events stay). A verification reads the repository and never
 * changes it. Ids come from the catalog's id allocator, so they never collide with a job's.
 */
public final class VerificationService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VerificationService.class);
    private static final long PROGRESS_INTERVAL_MS = 1000;

    private final RepositoryService repositories;
    private final RepositoryRegistry registry;
    private final CatalogView catalog;
    private final VerificationEvents events;
    private final Path workDir;
    private final Clock clock;
    private final Map<Long, VerificationReport> reports = new ConcurrentHashMap<>();
    private final ExecutorService workers;

    public VerificationService(RepositoryService repositories, RepositoryRegistry registry, CatalogView catalog,
            VerificationEvents events, Path workDir, int parallelism, Clock clock) {
        this.repositories = repositories;
        this.registry = registry;
        this.catalog = catalog;
        this.events = events;
        this.workDir = workDir;
        this.clock = clock;
        AtomicInteger threads = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(parallelism, r -> {
            Thread thread = new Thread(r, "verify-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts verifying a backup of {@code label} ({@code timestamp}, or the newest when null) at {@code level}
     * ({@code files} when null); answers 404 for an unknown repository, label or timestamp, 400 for a bad level.
     */
    public VerificationReport start(String repository, String label, String timestamp, String level) {
        VerifyLevel verifyLevel;
        try {
            verifyLevel = VerifyLevel.parse(level);
            RepositoryLayout.validateLabel(label);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        RepositoryDef def = repositories.require(repository);
        String wanted = timestamp == null || timestamp.isBlank() ? null : timestamp.trim();
        SnapshotTarget target;
        RepositoryStorage storage = open(def);
        try {
            target = SnapshotTarget.locate(storage, repository, label, wanted);
        } catch (SnapshotTarget.NotFoundException e) {
            storage.close();
            throw ApiException.notFound(wanted != null && e.getMessage().contains("timestamp") ? "UNKNOWN_TIMESTAMP"
                    : "UNKNOWN_SNAPSHOT", e.getMessage());
        } catch (RepositoryException e) {
            storage.close();
            throw new ApiException(HttpStatus.BAD_GATEWAY, "REPOSITORY_" + e.kind(),
                    "Repository " + repository + ": " + e.getMessage());
        }
        VerificationReport report = new VerificationReport(catalog.nextId(), target, verifyLevel, clock.millis());
        reports.put(report.id(), report);
        log.info("verification {}: {} of {} ({}) in repository {} started", report.id(), verifyLevel, label,
                target.timestamp(), repository);
        events.created(report, clock.millis());
        workers.execute(() -> run(report, storage));
        return report;
    }

    /** Every verification of this run of the service, for the jobs-by-state gauge. */
    public List<VerificationView> views() {
        return reports.values().stream().map(VerificationReport::view).toList();
    }

    public Optional<VerificationReport> report(long id) {
        return Optional.ofNullable(reports.get(id));
    }

    private void run(VerificationReport report, RepositoryStorage storage) {
        Path dir = null;
        try (storage) {
            Files.createDirectories(workDir);
            dir = Files.createTempDirectory(workDir, "verify-" + report.id() + "-");
            new SnapshotVerifier(storage, dir).verify(report.target(), report.level(), new ProgressEvents(report));
            report.finished(clock.millis());
        } catch (IOException | RuntimeException e) {
            log.error("verification {} stopped", report.id(), e);
            report.crashed(e.toString(), clock.millis());
        } finally {
            if (dir != null) {
                dir.toFile().delete(); // the verifier removed each tablet's files already
            }
        }
        VerificationView view = report.view();
        log.info("verification {}: {} of {} ({}) {}: {}", report.id(), view.level(), view.label(), view.timestamp(),
                view.state(), view.message());
        events.finished(report, clock.millis());
    }

    private RepositoryStorage open(RepositoryDef def) {
        try {
            return registry.open(def);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Cannot open repository " + def.getRef().getName() + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }

    /** The report as the verifier's sink, with a PROGRESS event at most once a second while files are read. */
    private final class ProgressEvents implements VerificationSink {
        private final VerificationReport report;
        private long lastEventMs;

        ProgressEvents(VerificationReport report) {
            this.report = report;
            this.lastEventMs = clock.millis();
        }

        @Override
        public void planned(String dbName, long files, long tablets) {
            report.planned(dbName, files, tablets);
        }

        @Override
        public void problem(Problem problem) {
            report.problem(problem);
        }

        @Override
        public void fileChecked(long bytesRead) {
            report.fileChecked(bytesRead);
            progressIfDue();
        }

        @Override
        public void tabletChecked(long rows) {
            report.tabletChecked(rows);
            progressIfDue();
        }

        private void progressIfDue() {
            long now = clock.millis();
            if (now - lastEventMs >= PROGRESS_INTERVAL_MS) {
                lastEventMs = now;
                events.progress(report, now);
            }
        }
    }
}
