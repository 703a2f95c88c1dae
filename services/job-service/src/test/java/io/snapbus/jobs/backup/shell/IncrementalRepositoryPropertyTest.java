package io.snapbus.jobs.backup.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.avro.RetentionPolicyDef;
import io.snapbus.avro.TabletRef;
import io.snapbus.jobs.backup.BackupPlan;
import io.snapbus.jobs.backup.TabletProgress;
import io.snapbus.jobs.restore.SnapshotInfo;
import io.snapbus.jobs.retention.RetentionRules;
import io.snapbus.repository.Md5;
import io.snapbus.repository.RepositoryLayout;
import io.snapbus.repository.RepositorySpec;
import io.snapbus.repository.RepositoryStorage;
import io.snapbus.repository.RepositoryStorages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random sequences of loads, compactions, full and incremental backups, deletes (also of the snapshot an incremental
 * backup is reusing, and deletes stopped half-way then finished) and retention runs, on a real filesystem repository
 * with the real reuse plan ({@link BaseSeeding#plan}) and copies ({@link RepositoryStorage#copyWithin}): after every
 * step, every remaining snapshot holds each file of its tablets with the bytes the tablet had at its backup, so it
 * restores to the data of its time; deleting one never takes a file from another.
 */
class IncrementalRepositoryPropertyTest {
    private static final String REPO = "prop";
    private static final int TABLETS = 5;
    private static final int SEQUENCES = 60;
    private static final int STEPS = 30;

    @TempDir
    Path dir;

    @Test
    void everyRemainingSnapshotHoldsItsTabletsAsTheyWereAtItsBackup() throws IOException {
        for (int sequence = 0; sequence < SEQUENCES; sequence++) {
            long seed = 20_261_207L + sequence;
            Path root = dir.resolve("repo-" + sequence);
            try (RepositoryStorage storage = RepositoryStorages.open(RepositorySpec.ofDirectory(root))) {
                new Sequence(storage, new Random(seed), seed).run();
            }
        }
    }

    /** One random sequence and the model it is checked against. */
    private static final class Sequence {
        private final RepositoryStorage storage;
        private final Random random;
        private final long seed;
        /** Tablet id to its rowset files now: bare name to content. */
        private final Map<Long, Map<String, byte[]>> tablets = new TreeMap<>();
        /** Finished snapshots, oldest first: label to tablet to stored name (with md5) to content. */
        private final Map<String, Map<Long, Map<String, byte[]>>> snapshots = new LinkedHashMap<>();
        private final Map<String, Long> backupTimes = new HashMap<>();
        private final List<String> trace = new ArrayList<>();
        private long nextRowset = 1;
        private int nextLabel = 1;

        Sequence(RepositoryStorage storage, Random random, long seed) {
            this.storage = storage;
            this.random = random;
            this.seed = seed;
            for (long id = 101; id < 101 + TABLETS; id++) {
                tablets.put(id, new LinkedHashMap<>());
                load(id);
            }
        }

        void run() {
            for (int step = 0; step < STEPS; step++) {
                int dice = random.nextInt(100);
                if (dice < 30) {
                    long tablet = 101 + random.nextInt(TABLETS);
                    load(tablet);
                    trace.add("load " + tablet);
                } else if (dice < 40) {
                    long tablet = 101 + random.nextInt(TABLETS);
                    compact(tablet);
                    trace.add("compact " + tablet);
                } else if (dice < 70) {
                    backup(random.nextInt(4) == 0, random.nextInt(5) == 0);
                } else if (dice < 85 && !snapshots.isEmpty()) {
                    String label = pick();
                    boolean stopped = random.nextInt(3) == 0;
                    delete(label, stopped);
                    if (stopped && random.nextBoolean()) {
                        delete(label, false); // the same delete again finishes it
                    }
                } else {
                    retention(1 + random.nextInt(3));
                }
                check();
            }
        }

        private void load(long tablet) {
            byte[] rows = new byte[1 + random.nextInt(64)];
            random.nextBytes(rows);
            tablets.get(tablet).put(String.format("02%016x_0.dat", nextRowset++), rows);
        }

        private void compact(long tablet) {
            java.io.ByteArrayOutputStream merged = new java.io.ByteArrayOutputStream();
            tablets.get(tablet).values().forEach(merged::writeBytes);
            tablets.get(tablet).clear();
            tablets.get(tablet).put(String.format("02%016x_0.dat", nextRowset++), merged.toByteArray());
        }

        /**
         * A backup: the reuse plan from the finished snapshots (incremental), the copies, then the node's upload of
         * what its destination lacks, the header always, the job info last. {@code deleteBase}: the newest snapshot
         * is deleted between the plan and the copies, as a concurrent delete would.
         */
        private void backup(boolean full, boolean deleteBase) {
            String label = "L" + nextLabel++;
            Map<Long, TabletProgress> wanted = new HashMap<>();
            tablets.forEach((id, files) -> {
                List<String> names = new ArrayList<>(files.keySet());
                names.add(id + ".hdr");
                wanted.put(id, new TabletProgress(new BackupPlan.PlannedTablet(ref(id), 1, 10001L, id * 10),
                        TabletProgress.Phase.SNAPSHOT_DONE, "/snap", names));
            });
            List<BaseSeeding.Finished> finished = new ArrayList<>();
            List<String> newestFirst = new ArrayList<>(snapshots.keySet());
            java.util.Collections.reverse(newestFirst);
            newestFirst.forEach(l -> finished.add(new BaseSeeding.Finished(l, info(l))));
            BaseSeeding.Plan plan = full ? new BaseSeeding.Plan(List.of(), List.of())
                    : BaseSeeding.plan(REPO, label, wanted, finished);
            if (deleteBase && !newestFirst.isEmpty()) {
                delete(newestFirst.get(0), false);
            }
            plan.copies().forEach(copy -> storage.copyWithin(copy.from(), copy.to()));
            Map<Long, Map<String, byte[]>> stored = new TreeMap<>();
            tablets.forEach((id, files) -> {
                String tabletDir = tabletDir(label, id);
                Map<String, Long> present = storage.list(tabletDir);
                Map<String, byte[]> kept = new TreeMap<>();
                Map<String, byte[]> all = new LinkedHashMap<>(files);
                all.put(id + ".hdr", ("header of " + id + " at " + label).getBytes(StandardCharsets.UTF_8));
                all.forEach((name, content) -> {
                    String checksummed = name + "." + Md5.of(content);
                    if (!present.containsKey(checksummed)) {
                        storage.write(tabletDir + "/" + checksummed, content);
                    }
                    kept.put(checksummed, content);
                });
                stored.put(id, kept);
            });
            storage.write(RepositoryLayout.snapshotDir(REPO, label) + "/" + RepositoryLayout.PREFIX_JOB_INFO + label,
                    "{}".getBytes(StandardCharsets.UTF_8));
            snapshots.put(label, stored);
            backupTimes.put(label, (long) nextLabel);
            trace.add((full ? "full " : "incremental ") + label + " reusing " + plan.copies().size() + " files"
                    + (deleteBase ? ", its newest base deleted meanwhile" : ""));
        }

        /** Job info first, then the files; {@code stopped}: the delete stops after some of them (a crash). */
        private void delete(String label, boolean stopped) {
            String snapshotDir = RepositoryLayout.snapshotDir(REPO, label);
            storage.delete(snapshotDir + "/" + RepositoryLayout.PREFIX_JOB_INFO + label);
            snapshots.remove(label);
            if (stopped) {
                for (long id : tablets.keySet()) {
                    String tabletDir = tabletDir(label, id);
                    for (String file : storage.list(tabletDir).keySet()) {
                        if (random.nextBoolean()) {
                            storage.delete(tabletDir + "/" + file);
                        }
                    }
                }
                trace.add("delete " + label + ", stopped half-way");
            } else {
                storage.deleteRecursively(snapshotDir);
                trace.add("delete " + label);
            }
        }

        private void retention(int maxCount) {
            RetentionPolicyDef policy = new RetentionPolicyDef("p", REPO, 0L, 0, maxCount, 0L);
            List<RetentionRules.Snapshot> own = new ArrayList<>();
            snapshots.keySet().forEach(l -> own.add(new RetentionRules.Snapshot(l, backupTimes.get(l))));
            List<String> doomed = RetentionRules.toDelete(policy, own, Long.MAX_VALUE).stream()
                    .map(RetentionRules.Snapshot::label).toList();
            doomed.forEach(l -> delete(l, false));
            trace.add("retention max " + maxCount + ": " + doomed);
        }

        /** Every remaining snapshot holds exactly its files with the bytes of its backup's time. */
        private void check() {
            for (Map.Entry<String, Map<Long, Map<String, byte[]>>> snapshot : snapshots.entrySet()) {
                for (Map.Entry<Long, Map<String, byte[]>> tablet : snapshot.getValue().entrySet()) {
                    String tabletDir = tabletDir(snapshot.getKey(), tablet.getKey());
                    assertThat(storage.list(tabletDir).keySet()).as("files of tablet %s in %s (seed %s): %s",
                            tablet.getKey(), snapshot.getKey(), seed, trace)
                            .containsExactlyInAnyOrderElementsOf(tablet.getValue().keySet());
                    tablet.getValue().forEach((name, content) -> assertThat(storage.read(tabletDir + "/" + name))
                            .as("%s of tablet %s in %s (seed %s): %s", name, tablet.getKey(), snapshot.getKey(), seed,
                                    trace).isEqualTo(content));
                }
            }
        }

        /** The job info a finished snapshot's reuse plan reads: each tablet's stored names. */
        private SnapshotInfo info(String label) {
            Map<Long, List<String>> files = new HashMap<>();
            snapshots.get(label).forEach((id, stored) -> files.put(id, new ArrayList<>(stored.keySet())));
            SnapshotInfo.Index index = new SnapshotInfo.Index("t", 4, 77, new ArrayList<>(tablets.keySet()), files);
            SnapshotInfo.Partition partition = new SnapshotInfo.Partition("p", 3, 1, Map.of("t", index));
            SnapshotInfo.Table table = new SnapshotInfo.Table("t", 2, Map.of("p", partition));
            return new SnapshotInfo(label, "db", 1, 0, SnapshotInfo.Content.ALL, Map.of("t", table), List.of(),
                    List.of(), List.of(), 1, List.of());
        }

        private String pick() {
            List<String> labels = new ArrayList<>(snapshots.keySet());
            return labels.get(random.nextInt(labels.size()));
        }

        private static TabletRef ref(long id) {
            return new TabletRef(1L, 2L, 3L, 4L, id, 77);
        }

        private static String tabletDir(String label, long id) {
            return RepositoryLayout.tabletDir(REPO, label, 1, 2, 3, 4, id);
        }
    }
}
