package io.snapbus.api.catalog;

/**
 * One row of SHOW CATALOG RECYCLE BIN (Doris's columns, plus when it is erased and whether RECOVER may).
 *
 * @param type        Database, Table or Partition
 * @param partitionId the partition's id, -1 for a table or database
 */
public record RecycleBinEntry(String type, String name, long dbId, long tableId, long partitionId, long dropTimeMs,
        long expireTimeMs, boolean force, boolean recoverable) {}
