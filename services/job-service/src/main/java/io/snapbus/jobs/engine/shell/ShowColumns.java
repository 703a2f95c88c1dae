package io.snapbus.jobs.engine.shell;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

/** How SHOW BACKUP and SHOW RESTORE write their columns, as Doris does: times, and task lists capped at 100. */
public final class ShowColumns {
    /** Entries a task column shows at most (Doris's cap). */
    public static final int CAP = 100;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private ShowColumns() {}

    /** {@code yyyy-MM-dd HH:mm:ss}, or NULL for a time not reached. */
    public static String time(long ms) {
        return ms <= 0 ? "NULL" : TIME.format(Instant.ofEpochMilli(ms));
    }

    /** {@code [a, b, ...]}, the first {@value #CAP}. */
    public static String capped(Collection<Long> ids) {
        return "[" + ids.stream().limit(CAP).map(String::valueOf).collect(Collectors.joining(", ")) + "]";
    }

    /** {@code [key: value, ...]}, the first {@value #CAP} in the map's order. */
    public static String capped(Map<Long, String> entries) {
        return "[" + entries.entrySet().stream().limit(CAP).map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", ")) + "]";
    }
}
