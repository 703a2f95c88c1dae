package io.snapbus.bench;

import io.snapbus.cli.JobServiceClient;
import io.snapbus.cli.NdjsonRows;
import io.snapbus.local.JavaService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The data of {@code snapbus bench incremental}: one table whose partitions each hold exactly the share of tablets a
 * day changes, so a day's load into one partition touches --change-percent of the tablets and no other.
 */
final class IncrementalData {
    static final String DB = "incr";
    static final String TABLE = "events";
    static final int REPLICATION = 1;
    /** NDJSON bytes per load request: big enough to be few, small enough for the job-service's heap. */
    private static final long LOAD_BYTES = 16L * 1024 * 1024;
    private static final int PAYLOAD_HEX_CHARS = 200;
    /** Bytes of one NDJSON row: the payload, the ids and the JSON around them. */
    private static final int ROW_BYTES = PAYLOAD_HEX_CHARS + 40;
    private static final long SEED = 20_261_207L;

    /** The table: {@code partitions} range partitions (an INT column, one value each) x {@code buckets} buckets. */
    record Shape(int partitions, int buckets) {
        int tablets() {
            return partitions * buckets;
        }

        /** Buckets = the tablets a day changes (at least 1), partitions = as many as make about {@code tablets}. */
        static Shape of(int tablets, double changePercent) {
            int changed = (int) Math.max(1, Math.round(tablets * changePercent / 100));
            int buckets = Math.min(changed, tablets);
            return new Shape(Math.max(1, tablets / buckets), buckets);
        }

        String describe() {
            return partitions + " partitions x " + buckets + " buckets, replication " + REPLICATION;
        }
    }

    private final JobServiceClient api;
    private final Shape shape;
    private final long rowsPerPartition;
    private final SplittableRandom random = new SplittableRandom(SEED);
    private long nextId;
    private int daysLoaded;

    /** {@code sizeBytes}: the NDJSON the first load spreads over every partition. */
    IncrementalData(JobServiceClient api, Shape shape, long sizeBytes) {
        this.api = api;
        this.shape = shape;
        this.rowsPerPartition = Math.max(1, sizeBytes / ROW_BYTES / shape.partitions());
    }

    Shape shape() {
        return shape;
    }

    /** Creates the database, backends and table, then loads every partition once; returns the NDJSON bytes. */
    long create(List<JavaService> nodes, Consumer<String> progress) {
        api.post("/api/databases", Map.of("name", DB));
        for (JavaService node : nodes) {
            api.post("/api/backends", Map.of("host", "127.0.0.1", "bePort", node.port()));
        }
        api.post("/api/databases/" + DB + "/tables", tableRequest());
        // Whole partitions per request, so each tablet gets exactly one rowset (no compaction is due).
        int perLoad = (int) Math.max(1, LOAD_BYTES / (rowsPerPartition * ROW_BYTES));
        long bytes = 0;
        for (int first = 0; first < shape.partitions(); first += perLoad) {
            int last = Math.min(shape.partitions(), first + perLoad);
            bytes += load(first, last);
            progress.accept("loaded partitions " + first + ".." + (last - 1) + " of " + shape.partitions());
        }
        return bytes;
    }

    /**
     * The next day's change: as many new rows into the next partition (in turn, so each day's tablets are others) as
     * it got at first; returns the NDJSON bytes.
     */
    long loadNextDay() {
        int partition = daysLoaded++ % shape.partitions();
        return load(partition, partition + 1);
    }

    private long load(int firstPartition, int endPartition) {
        NdjsonRows out = new NdjsonRows((int) ((endPartition - firstPartition) * rowsPerPartition * ROW_BYTES));
        for (int p = firstPartition; p < endPartition; p++) {
            int partition = p;
            for (long r = 0; r < rowsPerPartition; r++) {
                long id = nextId++;
                String payload = payload();
                out.row(row -> {
                    row.writeNumberField("id", id);
                    row.writeNumberField("p", partition);
                    row.writeStringField("v", payload);
                });
            }
        }
        byte[] body = out.toBytes();
        api.postRows("/api/databases/" + DB + "/tables/" + TABLE + "/loads", "application/x-ndjson", body);
        return body.length;
    }

    /** Random hex, so the rowsets do not shrink to nothing if a layer compresses them. */
    private String payload() {
        StringBuilder hex = new StringBuilder(PAYLOAD_HEX_CHARS);
        while (hex.length() < PAYLOAD_HEX_CHARS) {
            hex.append(Long.toHexString(random.nextLong() | Long.MIN_VALUE));
        }
        hex.setLength(PAYLOAD_HEX_CHARS);
        return hex.toString();
    }

    private Map<String, Object> tableRequest() {
        List<Map<String, Object>> partitions = new ArrayList<>();
        for (int p = 0; p < shape.partitions(); p++) {
            partitions.add(Map.of("name", "p" + p, "lower", Integer.toString(p), "upper", Integer.toString(p + 1)));
        }
        return Map.of("name", TABLE, "keysType", "DUP_KEYS", "columns", List.of(
                ScaleData.column("id", "BIGINT", true), ScaleData.column("p", "INT", true),
                ScaleData.column("v", "VARCHAR(" + PAYLOAD_HEX_CHARS + ")", false)),
                "partitionColumn", "p", "partitions", partitions, "distributionColumns", List.of("id"),
                "buckets", shape.buckets(), "replicationNum", REPLICATION);
    }
}
