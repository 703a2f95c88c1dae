package io.snapbus.cli;

import java.util.List;
import java.util.Map;

/** The small table the incremental tests load, back up and restore: two monthly partitions of 2026. */
final class Ledger {
    private Ledger() {}

    /** The create-table request: id, day and a note; partitions p202601 and p202602. */
    static Map<String, Object> table(String name, int buckets, int replication) {
        return Map.of("name", name, "keysType", "DUP_KEYS",
                "columns", List.of(QuickstartFlow.column("id", "BIGINT", true),
                        QuickstartFlow.column("day", "DATE", true), QuickstartFlow.column("note", "VARCHAR(64)", false)),
                "partitionColumn", "day", "partitions", List.of(
                        Map.of("name", "p202601", "lower", "2026-01-01", "upper", "2026-02-01"),
                        Map.of("name", "p202602", "lower", "2026-02-01", "upper", "2026-03-01")),
                "distributionColumns", List.of("id"), "buckets", buckets, "replicationNum", replication);
    }

    /** One NDJSON row (with its newline). */
    static String row(int id, String day) {
        return "{\"id\":" + id + ",\"day\":\"" + day + "\",\"note\":\"entry " + id + "\"}\n";
    }
}
