package io.snapbus.jobs.retention;

import io.snapbus.avro.RetentionPolicyDef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Elasticsearch SLM's retention as a function: which of a policy's own successful snapshots to delete now. Newest
 * first, the first {@code minCount} are kept whatever their age; after them, a snapshot beyond {@code maxCount} or
 * older than {@code expireAfterMs} goes. Failed backups never count here (they have no job info).
 */
public final class RetentionRules {
    private RetentionRules() {}

    /** A successful snapshot of the policy: its label and when its backup was taken. */
    public record Snapshot(String label, long backupTimeMs) {}

    /** The snapshots to delete, oldest first. */
    public static List<Snapshot> toDelete(RetentionPolicyDef policy, List<Snapshot> own, long nowMs) {
        List<Snapshot> newestFirst = own.stream().sorted(Comparator.comparingLong(Snapshot::backupTimeMs).reversed()
                .thenComparing(Snapshot::label)).toList();
        List<Snapshot> doomed = new ArrayList<>();
        for (int i = policy.getMinCount(); i < newestFirst.size(); i++) {
            Snapshot snapshot = newestFirst.get(i);
            boolean overCount = policy.getMaxCount() > 0 && i >= policy.getMaxCount();
            boolean expired = policy.getExpireAfterMs() > 0
                    && snapshot.backupTimeMs() < nowMs - policy.getExpireAfterMs();
            if (overCount || expired) {
                doomed.add(snapshot);
            }
        }
        Collections.reverse(doomed);
        return doomed;
    }
}
