package io.snapbus.jobs.rows;

import io.snapbus.avro.BackendDef;
import io.snapbus.avro.IndexMeta;
import io.snapbus.avro.OlapTableDef;
import io.snapbus.avro.PartitionDef;
import io.snapbus.avro.Replica;
import io.snapbus.avro.TabletDef;
import io.snapbus.jobs.api.ApiException;
import io.snapbus.jobs.catalog.Catalog;
import io.snapbus.jobs.catalog.TableOperations;
import io.snapbus.thrift.BackendService;
import io.snapbus.thrift.TSnapbusReadRowsRequest;
import io.snapbus.thrift.TSnapbusReadRowsResult;
import io.snapbus.thrift.TStatusCode;
import io.snapbus.thrift.rpc.ThriftClientConfig;
import io.snapbus.thrift.rpc.ThriftClientPool;
import io.snapbus.thrift.rpc.ThriftEndpoint;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.thrift.TException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Reads a table's rows back (GET .../rows): the base index's tablets of each (or one) partition, each from one healthy
 * replica at the partition's visible version, paged from the nodes with {@code snapbus_read_rows}, as NDJSON in the
 * load format. What to read is settled before the first byte ({@link #plan}), so unknown names and bad arguments are
 * answered with a status; a node that fails a page hands the tablet to the next healthy replica, at the same offset
 * (replicas of a version hold the same rows in the same order).
 */
@Component
public class TableRowsReader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TableRowsReader.class);
    /** Rows asked for per page; a node answers at most its own cap (10 000). */
    static final int PAGE_ROWS = 5_000;

    private final Catalog catalog;
    private final TableOperations tables;
    private final ThriftClientPool<BackendService.Client> nodes = ThriftClientPool.backendService(
            ThriftClientConfig.defaults());

    public TableRowsReader(Catalog catalog, TableOperations tables) {
        this.catalog = catalog;
        this.tables = tables;
    }

    /** One tablet to read: at a version, from the first of its healthy replicas that answers. */
    record TabletRead(long tabletId, long version, List<ThriftEndpoint> replicas) {}

    /** What a request reads, in partition and bucket order; {@code limit < 0} for every row. */
    public record ReadPlan(String table, List<TabletRead> tablets, long limit) {}

    /**
     * @param partition a partition name, or {@code null} for all
     * @param limit     the most rows to return as the request gave it, or {@code null} for all
     * @throws ApiException 404 UNKNOWN_DATABASE / UNKNOWN_TABLE / UNKNOWN_PARTITION; 400 for a bad limit;
     *                      503 NO_HEALTHY_REPLICA when a tablet has no replica at the visible version
     */
    public ReadPlan plan(String db, String tableName, String partition, String limit) {
        long maxRows = parseLimit(limit);
        OlapTableDef table = tables.requireTable(db, tableName);
        List<PartitionDef> partitions = partition == null
                ? catalog.partitions(table.getId()).stream().filter(p -> !p.getTemporary()).toList()
                : List.of(tables.requirePartition(table, partition));
        IndexMeta base = table.getIndexes().stream().filter(IndexMeta::getIsBase).findFirst()
                .orElse(table.getIndexes().get(0));
        Map<Long, BackendDef> backends = catalog.backends().stream()
                .collect(Collectors.toMap(BackendDef::getId, Function.identity()));
        List<TabletRead> reads = new ArrayList<>();
        for (PartitionDef p : partitions) {
            long version = p.getVisibleVersion();
            for (TabletDef tablet : catalog.tablets(p.getId(), base.getId())) {
                List<ThriftEndpoint> replicas = tablet.getReplicas().stream()
                        .filter(r -> r.getLastFailedVersion() < 0 && r.getVersion() >= version)
                        .sorted(Comparator.comparingLong(Replica::getId))
                        .map(r -> backends.get(r.getBackendId())).filter(b -> b != null)
                        .map(b -> new ThriftEndpoint(b.getHost(), b.getBePort())).toList();
                if (replicas.isEmpty()) {
                    throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "NO_HEALTHY_REPLICA", "Tablet "
                            + tablet.getId() + " of partition " + p.getName() + " has no healthy replica at version "
                            + version);
                }
                reads.add(new TabletRead(tablet.getId(), version, replicas));
            }
        }
        return new ReadPlan(table.getName(), reads, maxRows);
    }

    private static long parseLimit(String limit) {
        if (limit == null) {
            return -1;
        }
        try {
            long value = Long.parseLong(limit.strip());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest("limit must be a whole number of rows >= 0, got '" + limit + "'");
    }

    /** Writes the planned rows to {@code out}, one NDJSON line each, up to the plan's limit. */
    public void write(ReadPlan plan, OutputStream out) throws IOException {
        long remaining = plan.limit() < 0 ? Long.MAX_VALUE : plan.limit();
        for (TabletRead tablet : plan.tablets()) {
            long offset = 0;
            boolean eof = false;
            while (!eof && remaining > 0) {
                TSnapbusReadRowsResult page = page(tablet, offset, (int) Math.min(PAGE_ROWS, remaining));
                ByteBuffer rows = page.bufferForRows();
                out.write(rows.array(), rows.arrayOffset() + rows.position(), rows.remaining());
                remaining -= page.getRow_count();
                offset = page.getNext_offset();
                eof = page.isEof() || page.getRow_count() == 0;
            }
            if (remaining == 0) {
                break;
            }
        }
        out.flush();
    }

    private TSnapbusReadRowsResult page(TabletRead tablet, long offset, int maxRows) throws IOException {
        TSnapbusReadRowsRequest request = new TSnapbusReadRowsRequest(tablet.tabletId(), tablet.version(), offset,
                maxRows);
        List<String> failures = new ArrayList<>();
        for (ThriftEndpoint replica : tablet.replicas()) {
            try {
                TSnapbusReadRowsResult result = nodes.call(replica, c -> c.snapbus_read_rows(request));
                if (result.getStatus().getStatus_code() == TStatusCode.OK) {
                    return result;
                }
                failures.add(replica + ": " + result.getStatus());
            } catch (TException e) {
                failures.add(replica + ": " + e.getMessage());
            }
        }
        log.warn("rows of tablet {} at version {} from offset {}: no replica answered: {}", tablet.tabletId(),
                tablet.version(), offset, failures);
        throw new IOException("no replica of tablet " + tablet.tabletId() + " answered: " + failures);
    }

    @Override
    public void close() {
        nodes.close();
    }
}
