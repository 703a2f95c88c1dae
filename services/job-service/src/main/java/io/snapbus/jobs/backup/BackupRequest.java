package io.snapbus.jobs.backup;

import java.util.List;
import java.util.Map;

/**
 * A backup as the user asked for it (BACKUP SNAPSHOT db.label TO repo ON (tables) PROPERTIES(...)).
 *
 * @param tables     tables with optional partitions; all partitions when a list is empty
 * @param timeoutMs  the job is cancelled with TIMEOUT once it runs longer
 * @param properties the request's properties as given (content, timeout, type: full or incremental)
 */
public record BackupRequest(String label, String dbName, String repositoryName, List<TableRequest> tables,
        long timeoutMs, Content content, Map<String, String> properties) {

    /** The {@code type} property of a backup that uploads every file, reusing nothing the repository holds. */
    public static final String TYPE_FULL = "full";
    /** The {@code type} property of a backup that reuses the files earlier snapshots hold (the default). */
    public static final String TYPE_INCREMENTAL = "incremental";

    /** The property naming the retention policy whose snapshots this backup's counts among. */
    public static final String RETENTION_POLICY = "retention_policy";

    /** What a backup holds. */
    public enum Content { ALL, METADATA_ONLY }

    /** A table named in the request. */
    public record TableRequest(String name, List<String> partitions) {
        public TableRequest {
            partitions = partitions == null ? List.of() : List.copyOf(partitions);
        }
    }

    public BackupRequest {
        tables = List.copyOf(tables);
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }
}
