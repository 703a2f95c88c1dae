package io.snapbus.jobs.retention;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapbus.api.retention.CreateRetentionPolicyRequest;
import io.snapbus.api.retention.RetentionRun;
import io.snapbus.avro.RetentionPolicyDef;
import io.snapbus.jobs.api.ApiException;
import io.snapbus.jobs.backup.BackupJob;
import io.snapbus.jobs.backup.BackupJobInfo;
import io.snapbus.jobs.backup.BackupRequest;
import io.snapbus.jobs.backup.BackupState;
import io.snapbus.jobs.backup.shell.BackupService;
import io.snapbus.jobs.catalog.Catalog;
import io.snapbus.jobs.catalog.CatalogKeys;
import io.snapbus.jobs.repository.RepositoryService;
import io.snapbus.jobs.repository.SnapshotEntry;
import io.snapbus.repository.RepositoryLayout;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention policies (Elasticsearch SLM's retention): kept in the catalog topic, so a restarted job-service has them;
 * applied on demand and every {@code snapbus.retention.interval}, each run within a time budget. Only the policy's
 * own snapshots count (their job info names it); failed backups of the policy never count, and their leftovers are
 * deleted once a newer backup of the policy succeeded. Every deletion goes through {@link SnapshotDeletions}, so it
 * never touches a label a running job uses, and is an event.
 */
public final class RetentionService {
    private static final Logger log = LoggerFactory.getLogger(RetentionService.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Catalog catalog;
    private final RepositoryService repositories;
    private final BackupService backups;
    private final SnapshotDeletions deletions;
    private final DeletionEvents events;
    private final Duration budget;
    private final Duration leftoverGrace;
    private final Clock clock;

    public RetentionService(Catalog catalog, RepositoryService repositories, BackupService backups,
            SnapshotDeletions deletions, DeletionEvents events, Duration budget, Duration leftoverGrace, Clock clock) {
        this.catalog = catalog;
        this.repositories = repositories;
        this.backups = backups;
        this.deletions = deletions;
        this.events = events;
        this.budget = budget;
        this.leftoverGrace = leftoverGrace;
        this.clock = clock;
    }

    /** Creates a policy; 400 for a bad name or limits, 404 for an unknown repository, 409 if the name is taken. */
    public RetentionPolicyDef create(CreateRetentionPolicyRequest request) {
        if (!NAME.matcher(request.name()).matches()) {
            throw ApiException.badRequest("Invalid retention policy name '" + request.name() + "': a letter, then up "
                    + "to 63 letters, digits, '_' or '-'");
        }
        repositories.require(request.repository());
        long expireAfterMs = request.expireAfterSeconds() == null ? 0 : request.expireAfterSeconds() * 1000;
        int minCount = request.minCount() == null ? 0 : request.minCount();
        int maxCount = request.maxCount() == null ? 0 : request.maxCount();
        if (expireAfterMs == 0 && maxCount == 0) {
            throw ApiException.badRequest("A retention policy needs expireAfterSeconds or maxCount; with neither it "
                    + "would delete nothing");
        }
        if (maxCount > 0 && maxCount < minCount) {
            throw ApiException.badRequest("maxCount (" + maxCount + ") must be at least minCount (" + minCount + ")");
        }
        RetentionPolicyDef policy = new RetentionPolicyDef(request.name(), request.repository(), expireAfterMs,
                minCount, maxCount, clock.millis());
        catalog.update(change -> {
            if (catalog.retentionPolicy(request.name()).isPresent()) {
                throw ApiException.conflict("Retention policy " + request.name() + " already exists");
            }
            return change.put(CatalogKeys.retentionPolicy(request.name()), policy);
        });
        log.info("created retention policy {} on repository {}: expire after {} ms, min {}, max {}",
                policy.getName(), policy.getRepository(), expireAfterMs, minCount, maxCount);
        return policy;
    }

    public List<RetentionPolicyDef> list() {
        return catalog.retentionPolicies();
    }

    public RetentionPolicyDef require(String name) {
        return catalog.retentionPolicy(name).orElseThrow(() -> ApiException.notFound("UNKNOWN_RETENTION_POLICY",
                "Retention policy " + name + " does not exist"));
    }

    /** Deletes the policy; its snapshots stay (no later run deletes them). */
    public void delete(String name) {
        catalog.update(change -> {
            require(name);
            return change.delete(CatalogKeys.retentionPolicy(name));
        });
        log.info("deleted retention policy {} (its snapshots stay)", name);
    }

    /** Every policy in turn, each within the time budget; one failing does not stop the others. */
    public List<RetentionRun> runAll() {
        List<RetentionRun> runs = new ArrayList<>();
        for (RetentionPolicyDef policy : list()) {
            try {
                runs.add(run(policy.getName()));
            } catch (RuntimeException e) {
                log.warn("retention policy {}: run failed, tried again at the next interval: {}", policy.getName(),
                        e.toString());
            }
        }
        return runs;
    }

    /** Applies the policy now: what it deletes, keeps and could not delete, within the time budget. */
    public synchronized RetentionRun run(String name) {
        RetentionPolicyDef policy = require(name);
        long started = clock.millis();
        long deadline = started + budget.toMillis();
        Listing listing = repositories.withStorage(policy.getRepository(), storage -> {
            List<SnapshotEntry> found = RepositoryService.snapshots(storage, policy.getRepository());
            return new Listing(found, ownSnapshots(policy, found, storage));
        });
        List<SnapshotEntry> entries = listing.entries();
        List<RetentionRules.Snapshot> own = listing.own();
        List<String> deleted = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        boolean exhausted = false;
        for (RetentionRules.Snapshot doomed : RetentionRules.toDelete(policy, own, started)) {
            if (clock.millis() >= deadline) {
                exhausted = true;
                break;
            }
            deleteOne(policy, doomed.label(), deleted, refused);
        }
        List<String> failedDeleted = new ArrayList<>();
        OptionalLong newestSuccess = own.stream().mapToLong(RetentionRules.Snapshot::backupTimeMs).max();
        for (String leftover : failedLeftovers(policy, entries, newestSuccess, started)) {
            if (clock.millis() >= deadline) {
                exhausted = true;
                break;
            }
            deleteOne(policy, leftover, failedDeleted, refused);
        }
        RetentionRun run = new RetentionRun(policy.getName(), policy.getRepository(), deleted, failedDeleted,
                own.size() - deleted.size(), refused, exhausted, started, clock.millis());
        log.info("retention policy {}: deleted {}, failed backups deleted {}, kept {}, refused {}{}", name, deleted,
                failedDeleted, run.kept(), refused, exhausted ? ", time budget used up" : "");
        events.retentionRun(catalog.nextId(), run);
        return run;
    }

    /** The repository's snapshots and, of them, the policy's own successful ones: one opening of the storage. */
    private record Listing(List<SnapshotEntry> entries, List<RetentionRules.Snapshot> own) {}

    private void deleteOne(RetentionPolicyDef policy, String label, List<String> deleted, List<String> refused) {
        try {
            deletions.delete(policy.getRepository(), label, "retention policy " + policy.getName());
            deleted.add(label);
        } catch (ApiException e) {
            refused.add(label + ": " + e.getMessage());
        }
    }

    /** The policy's successful snapshots: labels whose newest job info names the policy. */
    private static List<RetentionRules.Snapshot> ownSnapshots(RetentionPolicyDef policy, List<SnapshotEntry> entries,
            io.snapbus.repository.RepositoryStorage storage) {
        List<RetentionRules.Snapshot> own = new ArrayList<>();
        for (SnapshotEntry entry : entries) {
            if (entry.infoFiles().isEmpty()) {
                continue;
            }
            String newest = entry.infoFiles().stream().max(Comparator.naturalOrder()).orElseThrow();
            JsonNode info;
            try {
                info = JSON.readTree(storage.read(RepositoryLayout.snapshotDir(policy.getRepository(), entry.label())
                        + "/" + newest));
            } catch (IOException e) {
                log.warn("retention policy {}: job info {} of {} unreadable, the snapshot is left alone: {}",
                        policy.getName(), newest, entry.label(), e.toString());
                continue;
            }
            if (policy.getName().equals(info.path(BackupJobInfo.RETENTION_POLICY_KEY).asText(null))
                    && "succeed".equals(info.path("backup_result").asText())) {
                own.add(new RetentionRules.Snapshot(entry.label(), info.path("backup_time").asLong()));
            }
        }
        return own;
    }

    /**
     * Labels left by backups of the policy that were cancelled (no job info), once a newer backup of the policy
     * succeeded (SLM: failed snapshots never count, and go once a success follows) and the grace after the job's end
     * passed: a second barrier, behind the job's own state, against removing files a backup may still write.
     */
    private List<String> failedLeftovers(RetentionPolicyDef policy, List<SnapshotEntry> entries,
            OptionalLong newestSuccess, long nowMs) {
        if (newestSuccess.isEmpty()) {
            return List.of();
        }
        List<String> leftovers = entries.stream().filter(e -> e.infoFiles().isEmpty()).map(SnapshotEntry::label)
                .toList();
        List<String> failed = new ArrayList<>();
        for (BackupJob job : backups.jobs()) {
            if (job.state() == BackupState.CANCELLED && leftovers.contains(job.label())
                    && job.repository().getName().equals(policy.getRepository())
                    && policy.getName().equals(job.request().properties().get(BackupRequest.RETENTION_POLICY))
                    && job.createTimeMs() < newestSuccess.getAsLong()
                    && job.finishedTimeMs() + leftoverGrace.toMillis() <= nowMs && !failed.contains(job.label())) {
                failed.add(job.label());
            }
        }
        return failed;
    }
}
