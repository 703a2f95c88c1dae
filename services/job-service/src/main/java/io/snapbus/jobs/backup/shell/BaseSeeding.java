package io.snapbus.jobs.backup.shell;

import io.snapbus.avro.TabletRef;
import io.snapbus.jobs.backup.BackupInput;
import io.snapbus.jobs.backup.BackupJob;
import io.snapbus.jobs.backup.TabletProgress;
import io.snapbus.jobs.engine.shell.RepositoryOpener;
import io.snapbus.jobs.repository.RepositoryService;
import io.snapbus.jobs.repository.SnapshotEntry;
import io.snapbus.jobs.restore.SnapshotInfo;
import io.snapbus.jobs.restore.shell.SnapshotReader;
import io.snapbus.repository.ChecksummedName;
import io.snapbus.repository.RepositoryLayout;
import io.snapbus.repository.RepositoryStorage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The incremental part of a backup, at UPLOAD_SNAPSHOT before the uploads go out. For each tablet of the job, the
 * newest finished snapshot in the repository that holds the same tablet names the rowset files it stored; those the
 * node's new snapshot has too (same file name, which carries the rowset id; a rowset never changes) are stored under
 * the job's own label with {@link RepositoryStorage#copyWithin} (a hard link on a filesystem, a server-side copy on
 * S3). The node skips a file its destination already holds with the same md5, as Doris's BE does, so it uploads only
 * the new ones.
 *
 * <p>Reuse is decided from the committed job info files of finished snapshots, never from a listing of tablet dirs. A
 * file deleted meanwhile (its snapshot deleted during the backup) is not reused and the node uploads it; a failure
 * here costs only a full upload. Every label stays complete on its own: restore, verify and delete see a plain
 * snapshot, and deleting one never takes a file another still names.
 */
final class BaseSeeding {
    private static final Logger log = LoggerFactory.getLogger(BaseSeeding.class);
    /** Snapshots read at most, newest first; tablets none of them holds are uploaded whole. */
    static final int MAX_SNAPSHOTS_READ = 64;

    private final RepositoryOpener repositories;
    private final ExecutorService copies;
    private final Set<Long> running = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** @param copies runs the copies of many tablets at once (S3 takes one request per file) */
    BaseSeeding(RepositoryOpener repositories, ExecutorService copies) {
        this.repositories = repositories;
        this.copies = copies;
    }

    /** A file to store in the job's label: the same file of an earlier snapshot. */
    record Copy(String from, String to) {}

    /** What to copy, and from which snapshots. */
    record Plan(List<Copy> copies, List<String> labels) {}

    /** A finished snapshot's job info. */
    record Finished(String label, SnapshotInfo info) {}

    /**
     * Seeds the job's label and answers what was reused; empty when a seeding of the same job is still running (it
     * answers for both).
     */
    Optional<BackupInput.BaseSeeded> seed(BackupJob job, long nowMs) {
        if (!running.add(job.jobId())) {
            return Optional.empty();
        }
        long started = System.nanoTime();
        try (RepositoryStorage storage = repositories.open(job.repository())) {
            String repository = job.repository().getName();
            Map<Long, TabletProgress> wanted = new HashMap<>();
            job.tablets().values().stream().filter(t -> t.phase() == TabletProgress.Phase.SNAPSHOT_DONE
                    && !t.files().isEmpty()).forEach(t -> wanted.put(t.tablet().ref().getTabletId(), t));
            List<Finished> finished = new ArrayList<>();
            Set<Long> covered = new HashSet<>();
            for (SnapshotEntry entry : newestFirst(RepositoryService.snapshots(storage, repository), job.label())) {
                if (covered.size() == wanted.size() || finished.size() == MAX_SNAPSHOTS_READ) {
                    break;
                }
                String timestamp = entry.timestamps().stream().max(Comparator.naturalOrder()).orElseThrow();
                SnapshotInfo info;
                try {
                    info = SnapshotReader.info(storage, repository, entry.label(), timestamp);
                } catch (RuntimeException unreadable) {
                    log.warn("backup job {} ({}): snapshot {} is not reused, its job info is unreadable: {}",
                            job.jobId(), job.label(), entry.label(), unreadable.getMessage());
                    continue;
                }
                finished.add(new Finished(entry.label(), info));
                covered.addAll(tabletsOf(info));
            }
            Plan plan = plan(repository, job.label(), wanted, finished);
            int copied = copyAll(storage, plan.copies());
            log.info("backup job {} ({}): {} of {} files to reuse stored from snapshots {} in {} ms", job.jobId(),
                    job.label(), copied, plan.copies().size(), plan.labels(), (System.nanoTime() - started) / 1_000_000);
            return Optional.of(new BackupInput.BaseSeeded(copied, plan.labels(), null, nowMs));
        } catch (RuntimeException e) {
            log.warn("backup job {} ({}): reusing files of earlier snapshots failed, every file is uploaded: {}",
                    job.jobId(), job.label(), e.toString());
            return Optional.of(new BackupInput.BaseSeeded(0, List.of(), String.valueOf(e.getMessage()), nowMs));
        } finally {
            running.remove(job.jobId());
        }
    }

    /**
     * The copies that give each wanted tablet the rowset files the newest snapshot holding it stored, for the files
     * the tablet's new snapshot has (headers change with every backup and are always uploaded).
     *
     * @param wanted   tablet id to its snapshot, whose {@code files} are the node's bare file names
     * @param finished finished snapshots, newest first
     */
    static Plan plan(String repository, String label, Map<Long, TabletProgress> wanted, List<Finished> finished) {
        List<Copy> copies = new ArrayList<>();
        Set<String> labels = new LinkedHashSet<>();
        Set<Long> done = new HashSet<>();
        for (Finished snapshot : finished) {
            SnapshotInfo info = snapshot.info();
            for (SnapshotInfo.Table table : info.tables().values()) {
                for (SnapshotInfo.Partition partition : table.partitions().values()) {
                    for (SnapshotInfo.Index index : partition.indexes().values()) {
                        index.tabletFiles().forEach((tabletId, stored) -> {
                            TabletProgress tablet = wanted.get(tabletId);
                            if (tablet == null || !done.add(tabletId)) {
                                return;
                            }
                            String from = RepositoryLayout.tabletDir(repository, snapshot.label(), info.dbId(),
                                    table.id(), partition.id(), index.id(), tabletId);
                            TabletRef ref = tablet.tablet().ref();
                            String to = RepositoryLayout.tabletDir(repository, label, ref.getDbId(),
                                    ref.getTableId(), ref.getPartitionId(), ref.getIndexId(), tabletId);
                            Set<String> present = Set.copyOf(tablet.files());
                            int before = copies.size();
                            for (String name : stored) {
                                Optional<ChecksummedName> parsed = RepositoryLayout.parseChecksummed(name);
                                if (parsed.isPresent() && present.contains(parsed.get().name())
                                        && !parsed.get().name().endsWith(".hdr")) {
                                    copies.add(new Copy(from + "/" + name, to + "/" + name));
                                }
                            }
                            if (copies.size() > before) {
                                labels.add(snapshot.label());
                            }
                        });
                    }
                }
            }
        }
        return new Plan(copies, List.copyOf(labels));
    }

    /** Finished snapshots (with a job info file) other than the job's own label, newest first. */
    private static List<SnapshotEntry> newestFirst(List<SnapshotEntry> snapshots, String ownLabel) {
        return snapshots.stream().filter(s -> !s.timestamps().isEmpty() && !s.label().equals(ownLabel))
                .sorted(Comparator.comparing((SnapshotEntry s) -> s.timestamps().stream()
                        .max(Comparator.naturalOrder()).orElseThrow()).reversed())
                .toList();
    }

    private static Set<Long> tabletsOf(SnapshotInfo info) {
        Set<Long> tablets = new HashSet<>();
        info.tables().values().forEach(t -> t.partitions().values().forEach(p -> p.indexes().values()
                .forEach(i -> tablets.addAll(i.tabletFiles().keySet()))));
        return tablets;
    }

    /** Runs the copies in parallel; returns how many were stored (a source gone meanwhile is not, nor a failure). */
    private int copyAll(RepositoryStorage storage, List<Copy> all) {
        int slices = Math.max(1, Math.min(64, all.size() / 16));
        AtomicInteger copied = new AtomicInteger();
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int s = 0; s < slices; s++) {
            List<Copy> slice = all.subList(all.size() * s / slices, all.size() * (s + 1) / slices);
            tasks.add(() -> {
                for (Copy copy : slice) {
                    if (storage.copyWithin(copy.from(), copy.to())) {
                        copied.incrementAndGet();
                    }
                }
                return null;
            });
        }
        try {
            for (Future<Void> done : copies.invokeAll(tasks)) {
                done.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing reused files", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
        }
        return copied.get();
    }
}
