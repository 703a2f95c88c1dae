package io.snapbus.jobs.restore;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A restore's PROPERTIES, parsed with Doris's RestoreCommand rules and messages (doris-restore-facts.md §1.1).
 *
 * @param backupTimestamp   the {@code __info_<ts>} suffix of the snapshot to restore ({@code yyyy-MM-dd-HH-mm-ss})
 * @param timeoutMs         the job is cancelled with TIMEOUT once it runs longer (at least 10 minutes)
 * @param replicaAllocation replicas per tag for new partitions ({@code replication_num} is the default tag's)
 * @param reserveReplica    new partitions keep the backup's allocation instead
 * @param metaVersion       the meta format version to read {@code __meta} with; -1: the job info's
 */
public record RestoreOptions(String backupTimestamp, long timeoutMs, Map<String, Integer> replicaAllocation,
        boolean reserveReplica, boolean reserveDynamicPartitionEnable, boolean allowLoad, int metaVersion,
        boolean cleanTables, boolean cleanPartitions, boolean atomicRestore, boolean forceReplace) {

    /** Doris's backup_job_default_timeout_ms. */
    public static final long DEFAULT_TIMEOUT_MS = 86_400_000L;
    static final long MIN_TIMEOUT_MS = 600_000L;
    static final String DEFAULT_TAG = "default";
    static final int DEFAULT_REPLICATION_NUM = 3;
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{2}");
    private static final Pattern ALLOCATION = Pattern.compile("\\s*tag\\.location\\.([A-Za-z0-9_]+)\\s*:\\s*(\\d+)\\s*");

    /** Whether {@code text} has a backup timestamp's form, yyyy-MM-dd-HH-mm-ss. */
    public static boolean isBackupTimestamp(String text) {
        return TIMESTAMP.matcher(text).matches();
    }

    /** The boolean properties, Doris's names. */
    private static List<String> booleans() {
        return List.of("reserve_replica", "reserve_dynamic_partition_enable", "allow_load", "clean_tables",
                "clean_partitions", "atomic_restore", "force_replace");
    }

    /** Every property a restore takes. */
    private static Set<String> known() {
        Set<String> known = new TreeSet<>(booleans());
        known.addAll(List.of("backup_timestamp", "timeout", "replication_num", "replication_allocation",
                "meta_version"));
        return known;
    }

    public RestoreOptions {
        replicaAllocation = Map.copyOf(replicaAllocation);
    }

    /** The replicas a new partition gets in total. */
    public int replicationNum() {
        return replicaAllocation.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Shown as Doris's SHOW RESTORE shows ReplicaAllocation: {@code tag.location.default: 3}. */
    public String replicaAllocationText() {
        StringBuilder text = new StringBuilder();
        new java.util.TreeMap<>(replicaAllocation).forEach((tag, n) -> text.append(text.isEmpty() ? "" : ", ")
                .append("tag.location.").append(tag).append(": ").append(n));
        return text.toString();
    }

    /**
     * Parses the properties as given; {@code local} (a keep-on-local snapshot) needs no backup timestamp. Throws
     * {@link RestoreRequestException} (INVALID) with Doris's message for the first bad property.
     */
    public static RestoreOptions parse(Map<String, String> properties, boolean local) {
        Map<String, String> given = properties == null ? Map.of() : properties;
        Set<String> unknown = new TreeSet<>(given.keySet());
        unknown.removeAll(known());
        if (!unknown.isEmpty()) {
            throw RestoreRequestException.invalid("Unknown restore job properties: " + unknown);
        }
        String timestamp = given.get("backup_timestamp");
        if (timestamp == null && !local) {
            throw RestoreRequestException.invalid("Missing backup_timestamp property");
        }
        if (timestamp != null && !isBackupTimestamp(timestamp)) {
            throw RestoreRequestException.invalid("Invalid backup_timestamp format: " + timestamp
                    + ", expected yyyy-MM-dd-HH-mm-ss");
        }
        long timeoutMs = timeout(given.get("timeout"));
        Map<String, Boolean> flags = new LinkedHashMap<>();
        for (String name : booleans()) {
            flags.put(name, bool(name, given.get(name)));
        }
        int metaVersion = -1;
        if (given.containsKey("meta_version")) {
            try {
                metaVersion = Integer.parseInt(given.get("meta_version").trim());
            } catch (NumberFormatException e) {
                throw RestoreRequestException.invalid("Invalid meta version format: " + given.get("meta_version"));
            }
        }
        return new RestoreOptions(timestamp, timeoutMs, allocation(given), flags.get("reserve_replica"),
                flags.get("reserve_dynamic_partition_enable"), flags.get("allow_load"), metaVersion,
                flags.get("clean_tables"), flags.get("clean_partitions"), flags.get("atomic_restore"),
                // Doris honours force_replace only together with atomic_restore.
                flags.get("force_replace") && flags.get("atomic_restore"));
    }

    private static long timeout(String value) {
        if (value == null) {
            return DEFAULT_TIMEOUT_MS;
        }
        long seconds;
        try {
            seconds = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw RestoreRequestException.invalid("Invalid timeout format: " + value);
        }
        if (seconds > Long.MAX_VALUE / 1000) {
            throw RestoreRequestException.invalid("Invalid timeout format: " + value);
        }
        if (seconds * 1000 < MIN_TIMEOUT_MS) {
            throw RestoreRequestException.invalid("timeout must be at least 10 min");
        }
        return seconds * 1000;
    }

    private static boolean bool(String name, String value) {
        if (value == null) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw RestoreRequestException.invalid("Invalid boolean property " + name + " value: " + value);
    }

    private static Map<String, Integer> allocation(Map<String, String> given) {
        String allocation = given.get("replication_allocation");
        String num = given.get("replication_num");
        if (allocation != null && num != null) {
            throw RestoreRequestException.invalid("Only one of replication_num and replication_allocation can be set");
        }
        if (allocation != null) {
            Map<String, Integer> tags = new LinkedHashMap<>();
            for (String part : allocation.split(",")) {
                Matcher m = ALLOCATION.matcher(part);
                if (!m.matches()) {
                    throw RestoreRequestException.invalid("Invalid replication allocation property: " + allocation);
                }
                if (tags.put(m.group(1), replicas(m.group(2), allocation)) != null) {
                    throw RestoreRequestException.invalid("Duplicate tag in replication allocation: " + m.group(1));
                }
            }
            return tags;
        }
        return Map.of(DEFAULT_TAG, num == null ? DEFAULT_REPLICATION_NUM : replicas(num, num));
    }

    private static int replicas(String text, String shown) {
        int n;
        try {
            n = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n <= 0 || n > Short.MAX_VALUE) {
            throw RestoreRequestException.invalid("a replica count must be a whole number from 1 to 32767, got '"
                    + shown + "'");
        }
        return n;
    }
}
