package io.snapbus.jobs.engine;

import io.snapbus.avro.TabletRef;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * Agent tasks a job wants sent, as plain values; the shell turns them into AgentTaskBatch records. The vocabulary is
 * shared by the job types: backup sends MAKE_SNAPSHOT, UPLOAD and RELEASE_SNAPSHOT; a restore sends CREATE,
 * MAKE_SNAPSHOT, DOWNLOAD, MOVE, CHECK_CONSISTENCY and RELEASE_SNAPSHOT.
 */
public final class AgentWork {
    private AgentWork() {}

    /** Which task type; the order is the order a retry round sends its batches in (snapshots before uploads). */
    public enum Kind {
        MAKE_SNAPSHOT, UPLOAD, RELEASE_SNAPSHOT, CREATE, DOWNLOAD, MOVE, CHECK_CONSISTENCY;

        /** Whether a result is awaited: a RELEASE_SNAPSHOT is sent and forgotten, as in Doris. */
        public boolean awaited() {
            return this != RELEASE_SNAPSHOT;
        }
    }

    /** Tasks of one kind for one backend. */
    public record Batch(long backendId, Kind kind, List<Task> tasks) {
        public Batch {
            tasks = List.copyOf(tasks);
        }
    }

    /** One batch per backend of {@code byBackend}, in its order. */
    /**
     * What a task window sends, cut into tasks: {@code items} grouped by their backend (ascending), ordered by
     * {@code id} within it, {@code perTask} to a task.
     */
    public static <T> Map<Long, List<List<T>>> perBackend(Collection<T> items, ToLongFunction<T> backend,
            ToLongFunction<T> id, int perTask) {
        Map<Long, List<T>> grouped = new TreeMap<>();
        items.stream().sorted(Comparator.comparingLong(id))
                .forEach(item -> grouped.computeIfAbsent(backend.applyAsLong(item), b -> new ArrayList<>()).add(item));
        Map<Long, List<List<T>>> tasks = new TreeMap<>();
        grouped.forEach((b, all) -> {
            List<List<T>> slices = new ArrayList<>();
            for (int i = 0; i < all.size(); i += perTask) {
                slices.add(all.subList(i, Math.min(all.size(), i + perTask)));
            }
            tasks.put(b, slices);
        });
        return tasks;
    }

    public static List<Batch> batches(Map<Long, List<Task>> byBackend, Kind kind) {
        List<Batch> batches = new ArrayList<>();
        byBackend.forEach((backend, tasks) -> batches.add(new Batch(backend, kind, tasks)));
        return batches;
    }

    /** One task. */
    public sealed interface Task permits Snapshot, Upload, Release, Create, Download, Move, Check {
        long signature();
    }

    /** MAKE_SNAPSHOT of one tablet at a version. */
    public record Snapshot(long signature, TabletRef tablet, long version, long timeoutSeconds) implements Task {}

    /** UPLOAD of snapshot tablet dirs: local dir to remote dir (full URI under the repository location). */
    public record Upload(long signature, Map<String, String> srcDest, List<Long> tabletIds) implements Task {
        public Upload {
            srcDest = Map.copyOf(srcDest);
            tabletIds = List.copyOf(tabletIds);
        }
    }

    /** RELEASE_SNAPSHOT of one snapshot root. */
    public record Release(long signature, long tabletId, String snapshotPath) implements Task {}

    /** CREATE of one replica of a new tablet at {@code version} (a restore's: the backup's visible version). */
    public record Create(long signature, TabletRef tablet, long replicaId, long version) implements Task {}

    /**
     * DOWNLOAD of backed-up tablet dirs: remote dir (full URI under the repository location) to local snapshot tablet
     * dir; {@code tabletIds} are the local tablets, in the map's order.
     */
    public record Download(long signature, Map<String, String> srcDest, List<Long> tabletIds) implements Task {
        public Download {
            srcDest = Collections.unmodifiableMap(new LinkedHashMap<>(srcDest));
            tabletIds = List.copyOf(tabletIds);
        }
    }

    /** MOVE of a downloaded snapshot tablet dir into its tablet. */
    public record Move(long signature, TabletRef tablet, String src) implements Task {}

    /** CHECK_CONSISTENCY of one tablet at {@code version}: its rows read back and checksummed. */
    public record Check(long signature, TabletRef tablet, long version) implements Task {}
}
