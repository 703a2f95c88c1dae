package io.snapbus.client;

import io.snapbus.api.Page;
import io.snapbus.api.backup.BackupJob;
import io.snapbus.api.backup.LocalSnapshot;
import io.snapbus.api.catalog.LoadResult;
import io.snapbus.api.catalog.Table;
import io.snapbus.api.catalog.TableColumn;
import io.snapbus.api.repository.Repository;
import io.snapbus.api.repository.Snapshot;
import io.snapbus.api.restore.RestoreJob;
import io.snapbus.api.verify.Verification;
import java.util.List;
import java.util.Map;

/** The v1 records the canned job-service answers, as a real one would fill them. */
final class Canned {
    private Canned() {}

    static BackupJob backup(long id, String state) {
        return new BackupJob(id, "nightly", "demo", state, "[orders, customers]", "2026-12-06 22:00:00",
                "2026-12-06 22:00:05", "", "", "[]", state.equals("UPLOADING") ? "3/8" : "8/8", "[]", "[OK]", 86400,
                8, 8, state.equals("UPLOADING") ? 3 : 8, 40, 4096, "");
    }

    static RestoreJob restore(long id, String state) {
        return new RestoreJob(id, "nightly", "2026-12-06-22-00-00", "demo", state, "false", "3",
                "tag.location.default: 3", "false", "false", "[orders]", "2026-12-06 23:00:00", "", "", "", "",
                "[]", "2/4", "[]", "[OK]", 86400, "", 12, 12, 6, 0, 0, 2048, "");
    }

    static Repository repository(String name) {
        return new Repository(10001, name, "FILESYSTEM", "file:///var/backups/" + name, Map.of(), null, false, 1,
                1_765_000_000_000L);
    }

    static Snapshot snapshot(String label) {
        return new Snapshot(label, List.of("2026-12-05-22-00-00", "2026-12-06-22-00-00"),
                List.of("__info_2026-12-05-22-00-00.aa11", "__info_2026-12-06-22-00-00.bb22"));
    }

    static <T> Page<T> page(List<T> items, long total, int offset, Integer next) {
        return new Page<>(items, total, offset, Page.DEFAULT_LIMIT, next);
    }

    static Verification verification(long id, String state) {
        List<Verification.Finding> problems = state.equals("FAILED")
                ? List.of(new Verification.Finding("MD5_MISMATCH", "snapbus/nightly/t1.dat", 70001L, "aa", "bb"))
                : List.of();
        return new Verification(id, "backups", "nightly", "2026-12-06-22-00-00", "files", state,
                new Verification.Counts(40, 40, 4096, 0, 0, 0), new Verification.Progress(40, 40, 100.0), problems,
                problems.size(), problems.isEmpty() ? Map.of() : Map.of("MD5_MISMATCH", 1L), 1_765_000_000_000L,
                state.equals("RUNNING") ? null : 1_765_000_001_000L,
                problems.isEmpty() ? "no problems" : "1 MD5_MISMATCH");
    }

    static Table table(String name) {
        return new Table(20001, 10001, name, "OLAP", "DUP_KEYS",
                List.of(new TableColumn("id", "BIGINT", true, false, null, null, ""),
                        new TableColumn("amount", "INT", false, true, null, null, "")),
                List.of(), List.of("id"), 4, 3, List.of(), "NORMAL", Map.of(), "", null, null);
    }

    static LocalSnapshot localSnapshot(String label, boolean withFiles) {
        return new LocalSnapshot(label, 5, 1_765_000_000_000L, 1_765_086_400_000L, false, Map.of(20001L, 7L),
                "__info_2026-12-06-22-00-00", withFiles ? Map.of("version", 1) : null,
                withFiles ? Map.of("label", label) : null);
    }

    static io.snapbus.api.catalog.Partition partition(String name, String lower, String upper) {
        return new io.snapbus.api.catalog.Partition(30001, 20001, name, false, lower, upper, 1, 1_765_000_000_000L, 2,
                4, Map.of());
    }

    static LoadResult load(long rows) {
        return new LoadResult(1, "demo", "orders", rows,
                List.of(new LoadResult.PartitionLoad("orders", 30001, 501, 2, rows, List.of())), 1, 2, 3, 6);
    }
}
