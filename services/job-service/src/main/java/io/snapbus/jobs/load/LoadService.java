package io.snapbus.jobs.load;

import io.snapbus.api.catalog.LoadResult;
import io.snapbus.avro.AgentTask;
import io.snapbus.avro.AgentTaskBatch;
import io.snapbus.avro.Column;
import io.snapbus.avro.IndexMeta;
import io.snapbus.avro.LoadWriteRequest;
import io.snapbus.avro.OlapTableDef;
import io.snapbus.avro.OlapTableType;
import io.snapbus.avro.PartitionDef;
import io.snapbus.avro.PublishVersionRequest;
import io.snapbus.avro.Replica;
import io.snapbus.avro.RowFormat;
import io.snapbus.avro.TabletDef;
import io.snapbus.avro.TabletRef;
import io.snapbus.avro.TaskFinished;
import io.snapbus.avro.TaskType;
import io.snapbus.contract.TaskSignatures;
import io.snapbus.jobs.JobServiceProperties;
import io.snapbus.jobs.api.ApiException;
import io.snapbus.jobs.catalog.Catalog;
import io.snapbus.jobs.catalog.CatalogKeys;
import io.snapbus.jobs.catalog.RangeBounds;
import io.snapbus.jobs.catalog.RestoreCatalog;
import io.snapbus.jobs.catalog.TableOperations;
import io.snapbus.jobs.task.TaskGateway;
import io.snapbus.jobs.task.TaskTimeoutException;
import io.snapbus.rows.BadRowException;
import io.snapbus.rows.ColumnType;
import io.snapbus.rows.LoadFormat;
import io.snapbus.rows.ParsedRow;
import io.snapbus.rows.RowColumn;
import io.snapbus.rows.RowReader;
import io.snapbus.rows.RowSchema;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Loads rows into a table as Doris's two phases: every row is checked first (a bad row refuses the load, nothing is
 * sent), rows are routed to partitions (range) and buckets (hash), LOAD_WRITE goes to every replica of every tablet
 * of the touched partitions (tablets without rows get an empty write, so the whole partition moves to the new version),
 * then PUBLISH_VERSION to the replicas that wrote; the partitions' versions and the replicas' versions are persisted.
 */
@Component
public class LoadService {
    private static final Logger log = LoggerFactory.getLogger(LoadService.class);

    private final Catalog catalog;
    private final TableOperations tables;
    private final TaskGateway gateway;
    private final JobServiceProperties properties;
    private final Map<Long, ReentrantLock> tableLocks = new ConcurrentHashMap<>();

    public LoadService(Catalog catalog, TableOperations tables, TaskGateway gateway, JobServiceProperties properties) {
        this.catalog = catalog;
        this.tables = tables;
        this.gateway = gateway;
        this.properties = properties;
    }

    /** Tablet of one index of one touched partition, with its rows. */
    private record TabletWork(PartitionDef partition, long txnId, IndexMeta index, int bucket, TabletDef tablet,
                              List<ParsedRow> rows) {}

    public LoadResult load(String dbName, String tableName, RowFormat format, byte[] body) {
        long started = System.nanoTime();
        OlapTableDef table = tables.requireTable(dbName, tableName);
        if (table.getTableType() == OlapTableType.MATERIALIZED_VIEW) {
            throw ApiException.badRequest("Cannot load into materialized view " + tableName);
        }
        RowSchema schema = rowSchema(table.getColumns());
        List<ParsedRow> rows;
        try {
            rows = RowReader.readAll(schema, LoadFormat.valueOf(format.name()),
                    body == null ? new byte[0] : body);
        } catch (BadRowException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "MALFORMED_ROW", e.getMessage());
        }
        if (rows.isEmpty()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "NO_ROWS", "The load has no rows");
        }
        long parsed = System.nanoTime();
        ReentrantLock lock = tableLocks.computeIfAbsent(table.getId(), id -> new ReentrantLock());
        lock.lock();
        try {
            return loadLocked(dbName, table, schema, format, rows, started, parsed);
        } finally {
            lock.unlock();
        }
    }

    private LoadResult loadLocked(String dbName, OlapTableDef table, RowSchema schema, RowFormat format,
            List<ParsedRow> rows, long started, long parsed) {
        OlapTableDef current = catalog.table(table.getId()).orElseThrow(() -> ApiException.notFound("UNKNOWN_TABLE",
                "Unknown table '" + table.getName() + "' in database '" + dbName + "'"));
        requireLoadable(current);
        List<PartitionDef> partitions = catalog.partitions(current.getId()).stream()
                .filter(p -> !p.getTemporary()).toList();
        Map<Long, List<ParsedRow>> rowsByPartition = route(current, partitions, rows);

        long loadId = catalog.nextId();
        long[] sequence = {0};
        Map<Long, Long> txnByPartition = new LinkedHashMap<>();
        List<TabletWork> work = new ArrayList<>();
        Map<Long, PartitionDef> touched = new LinkedHashMap<>();
        for (PartitionDef partition : partitions) {
            List<ParsedRow> partitionRows = rowsByPartition.get(partition.getId());
            if (partitionRows == null) {
                continue;
            }
            touched.put(partition.getId(), partition);
            long txnId = catalog.nextId();
            txnByPartition.put(partition.getId(), txnId);
            Map<Integer, List<ParsedRow>> byBucket = bucket(current, schema.types(), partitionRows,
                    partition.getBuckets());
            for (IndexMeta index : current.getIndexes()) {
                List<TabletDef> tablets = catalog.tablets(partition.getId(), index.getId());
                for (int bucket = 0; bucket < tablets.size(); bucket++) {
                    work.add(new TabletWork(partition, txnId, index, bucket, tablets.get(bucket),
                            byBucket.getOrDefault(bucket, List.of())));
                }
            }
        }

        // Phase one: rows to every replica.
        Map<Long, List<AgentTask>> writes = new TreeMap<>();
        Map<Long, long[]> writeSignatures = new HashMap<>();
        for (TabletWork tablet : work) {
            byte[] payload = encode(current, tablet.index(), format, tablet.rows());
            long[] signatures = new long[tablet.tablet().getReplicas().size()];
            for (int r = 0; r < signatures.length; r++) {
                Replica replica = tablet.tablet().getReplicas().get(r);
                signatures[r] = TaskSignatures.of(loadId, sequence[0]++);
                writes.computeIfAbsent(replica.getBackendId(), id -> new ArrayList<>()).add(new AgentTask(
                        signatures[r], ref(current, tablet), new LoadWriteRequest(tablet.txnId(), format,
                                ByteBuffer.wrap(payload), (long) tablet.rows().size())));
            }
            writeSignatures.put(tablet.tablet().getId(), signatures);
        }
        Map<Long, TaskFinished> written = await(loadId, batches(loadId, "write", TaskType.LOAD_WRITE, writes));
        long wrote = System.nanoTime();
        List<String> failures = new ArrayList<>();
        Map<Long, boolean[]> wroteOk = new HashMap<>();
        for (TabletWork tablet : work) {
            long[] signatures = writeSignatures.get(tablet.tablet().getId());
            boolean[] ok = new boolean[signatures.length];
            List<String> errors = new ArrayList<>();
            for (int r = 0; r < signatures.length; r++) {
                TaskFinished finished = written.get(signatures[r]);
                ok[r] = finished.getStatus().getCode() == 0;
                if (!ok[r]) {
                    errors.add(describe(tablet.tablet().getReplicas().get(r), finished));
                }
            }
            wroteOk.put(tablet.tablet().getId(), ok);
            if (!anyTrue(ok)) {
                failures.add("tablet " + tablet.tablet().getId() + " of partition " + tablet.partition().getName()
                        + ": no replica took the rows (" + String.join("; ", errors) + ")");
            }
        }
        if (!failures.isEmpty()) {
            // Replicas gone because their partition was dropped, truncated or swapped out by a restore meanwhile
            // are the load's conflict, not the cluster's failure.
            requireUnchanged(current, touched, loadId);
            throw new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "LOAD_FAILED", "Load " + loadId + " failed: "
                    + String.join("; ", failures.stream().limit(5).toList()));
        }

        // Phase two: publish the new version on the replicas that wrote.
        Map<Long, List<AgentTask>> publishes = new TreeMap<>();
        Map<Long, long[]> publishSignatures = new HashMap<>();
        for (TabletWork tablet : work) {
            boolean[] ok = wroteOk.get(tablet.tablet().getId());
            long[] signatures = new long[ok.length];
            for (int r = 0; r < ok.length; r++) {
                if (!ok[r]) {
                    signatures[r] = -1;
                    continue;
                }
                Replica replica = tablet.tablet().getReplicas().get(r);
                signatures[r] = TaskSignatures.of(loadId, sequence[0]++);
                publishes.computeIfAbsent(replica.getBackendId(), id -> new ArrayList<>()).add(new AgentTask(
                        signatures[r], ref(current, tablet), new PublishVersionRequest(tablet.txnId(),
                                tablet.partition().getNextVersion())));
            }
            publishSignatures.put(tablet.tablet().getId(), signatures);
        }
        Map<Long, TaskFinished> published = await(loadId, batches(loadId, "publish", TaskType.PUBLISH_VERSION,
                publishes));
        long publishedAt = System.nanoTime();

        Map<Long, List<Long>> failedReplicas = new HashMap<>();
        Map<String, List<TabletDef>> newTablets = new LinkedHashMap<>();
        for (TabletWork tablet : work) {
            long version = tablet.partition().getNextVersion();
            long[] signatures = publishSignatures.get(tablet.tablet().getId());
            List<Replica> replicas = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            boolean anyPublished = false;
            for (int r = 0; r < signatures.length; r++) {
                Replica replica = tablet.tablet().getReplicas().get(r);
                TaskFinished finished = signatures[r] < 0 ? null : published.get(signatures[r]);
                if (finished != null && finished.getStatus().getCode() == 0) {
                    anyPublished = true;
                    replicas.add(Replica.newBuilder(replica).setVersion(version).setLastSuccessVersion(version)
                            .build());
                } else {
                    if (finished != null) {
                        errors.add(describe(replica, finished));
                    }
                    failedReplicas.computeIfAbsent(tablet.partition().getId(), id -> new ArrayList<>())
                            .add(replica.getId());
                    replicas.add(Replica.newBuilder(replica).setLastFailedVersion(
                            replica.getLastFailedVersion() < 0 ? version : replica.getLastFailedVersion()).build());
                }
            }
            if (!anyPublished) {
                failures.add("tablet " + tablet.tablet().getId() + " of partition " + tablet.partition().getName()
                        + ": no replica published version " + version + " (" + String.join("; ", errors) + ")");
            }
            newTablets.computeIfAbsent(tablet.partition().getId() + "/" + tablet.index().getId(),
                    k -> new ArrayList<>()).add(TabletDef.newBuilder(tablet.tablet()).setReplicas(replicas).build());
        }
        if (!failures.isEmpty()) {
            // Replicas gone because their partition was dropped, truncated or swapped out by a restore meanwhile
            // are the load's conflict, not the cluster's failure.
            requireUnchanged(current, touched, loadId);
            throw new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "LOAD_FAILED", "Load " + loadId + " failed: "
                    + String.join("; ", failures.stream().limit(5).toList()));
        }

        long now = System.currentTimeMillis();
        List<LoadResult.PartitionLoad> loaded = new ArrayList<>();
        catalog.update(change -> {
            catalog.table(current.getId()).ifPresent(LoadService::requireLoadable);
            requireUnchanged(current, touched, loadId);
            for (PartitionDef partition : touched.values()) {
                PartitionDef still = catalog.partitions(current.getId()).stream()
                        .filter(p -> p.getId() == partition.getId()).findFirst().orElseThrow();
                long version = partition.getNextVersion();
                change.put(CatalogKeys.partition(partition.getId()), PartitionDef.newBuilder(still)
                        .setVisibleVersion(version).setNextVersion(version + 1).setVisibleVersionTimeMs(now).build());
                for (IndexMeta index : current.getIndexes()) {
                    List<TabletDef> list = newTablets.get(partition.getId() + "/" + index.getId());
                    if (list != null) {
                        change.putTablets(current.getId(), partition.getId(), index.getId(), list);
                    }
                }
                loaded.add(new LoadResult.PartitionLoad(partition.getName(), partition.getId(),
                        txnByPartition.get(partition.getId()), version, rowsByPartition.get(partition.getId()).size(),
                        failedReplicas.getOrDefault(partition.getId(), List.of())));
            }
            return null;
        });
        long finished = System.nanoTime();
        log.info("load {} into {}.{}: {} rows, {} partitions, {} tablets", loadId, dbName, current.getName(),
                rows.size(), touched.size(), work.size());
        return new LoadResult(loadId, dbName, current.getName(), rows.size(), loaded, ms(parsed - started),
                ms(wrote - parsed), ms(publishedAt - wrote), ms(finished - started));
    }

    /** Refuses the load with a conflict when a partition it wrote to was dropped, truncated or replaced meanwhile. */
    private void requireUnchanged(OlapTableDef table, Map<Long, PartitionDef> touched, long loadId) {
        for (PartitionDef partition : touched.values()) {
            PartitionDef still = catalog.partitions(table.getId()).stream()
                    .filter(p -> p.getId() == partition.getId()).findFirst().orElse(null);
            if (still == null || still.getNextVersion() != partition.getNextVersion()) {
                throw new ApiException(HttpStatus.CONFLICT, "PARTITION_CHANGED", "Partition "
                        + partition.getName() + " was dropped, truncated or replaced by a restore during load " + loadId);
            }
        }
    }

    /** Doris: a table in RESTORE takes no load; with allow_load (RESTORE_WITH_LOAD) it does. */
    private static void requireLoadable(OlapTableDef table) {
        if (RestoreCatalog.RESTORE.equals(table.getState())) {
            throw new ApiException(HttpStatus.CONFLICT, "TABLE_IN_RESTORE", "Table [" + table.getName()
                    + "] is in restore process, can't load into it");
        }
    }

    private static Map<Long, List<ParsedRow>> route(OlapTableDef table, List<PartitionDef> partitions,
            List<ParsedRow> rows) {
        RangeBounds bounds = RangeBounds.of(table);
        Map<Long, List<ParsedRow>> routed = new HashMap<>();
        if (bounds == null) {
            if (partitions.isEmpty()) {
                throw new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "NO_PARTITION", "Table " + table.getName()
                        + " has no partition");
            }
            routed.put(partitions.get(0).getId(), rows);
            return routed;
        }
        int column = position(table, bounds.column());
        for (ParsedRow row : rows) {
            String value = row.texts()[column];
            PartitionDef target = null;
            if (value == null) {
                target = partitions.stream().filter(p -> p.getRangeLower() == null).findFirst().orElse(null);
            } else {
                @SuppressWarnings("rawtypes")
                Comparable key = (Comparable) row.values()[column];
                for (PartitionDef partition : partitions) {
                    if (bounds.contains(partition, key)) {
                        target = partition;
                        break;
                    }
                }
            }
            if (target == null) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "NO_PARTITION", "line " + row.line()
                        + ": no partition of table " + table.getName() + " holds value " + value + " of column "
                        + bounds.column());
            }
            routed.computeIfAbsent(target.getId(), id -> new ArrayList<>()).add(row);
        }
        return routed;
    }

    /** Rows by bucket: a CRC32 of the distribution columns' canonical values, modulo the buckets. */
    private static Map<Integer, List<ParsedRow>> bucket(OlapTableDef table, List<ColumnType> types,
            List<ParsedRow> rows, int buckets) {
        int[] columns = table.getDistributionColumns().stream().mapToInt(c -> position(table, c)).toArray();
        Map<Integer, List<ParsedRow>> byBucket = new HashMap<>();
        for (ParsedRow row : rows) {
            CRC32 crc = new CRC32();
            for (int column : columns) {
                Object value = row.values()[column];
                crc.update((value == null ? "\u0000" : types.get(column).canonical(value))
                        .getBytes(StandardCharsets.UTF_8));
                crc.update(1);
            }
            byBucket.computeIfAbsent((int) (crc.getValue() % buckets), b -> new ArrayList<>()).add(row);
        }
        return byBucket;
    }

    private static byte[] encode(OlapTableDef table, IndexMeta index, RowFormat format, List<ParsedRow> rows) {
        int[] positions = index.getColumns().stream().mapToInt(c -> position(table, c)).toArray();
        return RowEncoder.encode(format, rows, positions, index.getColumns());
    }

    /** The table's columns as a load reads rows against them: a left-out NDJSON key takes the column's default. */
    private static RowSchema rowSchema(List<Column> columns) {
        return new RowSchema(columns.stream().map(c -> RowColumn.of(c.getName(), c.getType(), c.getNullable(),
                c.getDefaultValue())).toList());
    }

    private static int position(OlapTableDef table, String column) {
        List<Column> columns = table.getColumns();
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).getName().equals(column)) {
                return i;
            }
        }
        throw new IllegalStateException("table " + table.getName() + " has no column " + column);
    }

    private static TabletRef ref(OlapTableDef table, TabletWork tablet) {
        return new TabletRef(table.getDbId(), table.getId(), tablet.partition().getId(), tablet.index().getId(),
                tablet.tablet().getId(), tablet.index().getSchemaHash());
    }

    private List<AgentTaskBatch> batches(long loadId, String phase, TaskType type, Map<Long, List<AgentTask>> tasks) {
        long now = System.currentTimeMillis();
        List<AgentTaskBatch> batches = new ArrayList<>();
        tasks.forEach((backendId, list) -> batches.add(new AgentTaskBatch(loadId + "-" + phase + "-" + backendId,
                loadId, backendId, type, 1, now, now + properties.taskTimeout().toMillis(), list)));
        return batches;
    }

    private Map<Long, TaskFinished> await(long loadId, List<AgentTaskBatch> batches) {
        try {
            return gateway.sendAndAwait(loadId, batches, properties.taskTimeout()).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "INTERRUPTED", "interrupted during load " + loadId);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TaskTimeoutException timeout) {
                throw timeout;
            }
            throw new ApiException(HttpStatus.BAD_GATEWAY, "AGENT_TASKS_FAILED", "cannot send the tasks of load "
                    + loadId + ": " + e.getCause().getMessage());
        }
    }

    private static String describe(Replica replica, TaskFinished finished) {
        return "replica " + replica.getId() + " on backend " + replica.getBackendId() + ": "
                + finished.getStatus().getCodeName() + " " + finished.getStatus().getErrorMsgs();
    }

    private static boolean anyTrue(boolean[] values) {
        for (boolean value : values) {
            if (value) {
                return true;
            }
        }
        return false;
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

}
