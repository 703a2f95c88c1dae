package io.snapbus.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapbus.cli.JobServiceClient;
import io.snapbus.cli.NdjsonRows;
import io.snapbus.local.JavaService;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;

/**
 * The data the scale benchmarks build through the job-service's REST API: {@code tables} tables of {@code partitions}
 * range partitions (an INT column, one value each) × {@code buckets} hash buckets, replication 1, then one load per
 * table that puts {@code rowsPerTablet} rows into every tablet (one version per partition).
 */
final class ScaleData {
    static final String DB = "scale";
    static final int TABLES = 10;
    static final int MAX_BUCKETS = 100;
    static final int ROWS_PER_TABLET = 4;
    private static final int LOAD_THREADS = 2;

    /** The tables' shape. */
    record Shape(int tables, int partitions, int buckets) {
        int tablets() {
            return tables * partitions * buckets;
        }

        /** 10 tables of up to 100 buckets, as many partitions as needed for at least {@code tablets} tablets. */
        static Shape forTablets(int tablets) {
            int perTable = Math.max(1, (tablets + TABLES - 1) / TABLES);
            int buckets = Math.min(MAX_BUCKETS, perTable);
            int partitions = (perTable + buckets - 1) / buckets;
            return new Shape(TABLES, partitions, buckets);
        }

        String describe() {
            return tables + " tables x " + partitions + " partitions x " + buckets + " buckets, replication 1";
        }
    }

    /** What building took. */
    record Built(double createSeconds, double loadSeconds, long rows, long loadBytes) {}

    private final JobServiceClient api;
    private final Shape shape;

    ScaleData(JobServiceClient api, Shape shape) {
        this.api = api;
        this.shape = shape;
    }

    static String table(int t) {
        return "t" + t;
    }

    Built build(List<JavaService> nodes, java.util.function.Consumer<String> progress) throws Exception {
        api.post("/api/databases", Map.of("name", DB));
        for (JavaService node : nodes) {
            api.post("/api/backends", Map.of("host", "127.0.0.1", "bePort", node.port()));
        }
        long started = System.nanoTime();
        for (int t = 0; t < shape.tables(); t++) {
            long one = System.nanoTime();
            api.post("/api/databases/" + DB + "/tables", tableRequest(table(t)));
            progress.accept(String.format(java.util.Locale.ROOT, "created %s (%d tablets) in %.1f s", table(t),
                    shape.partitions() * shape.buckets(), (System.nanoTime() - one) / 1e9));
        }
        double createSeconds = (System.nanoTime() - started) / 1e9;

        long[][] idsByBucket = idsByBucket(shape.buckets(), ROWS_PER_TABLET);
        long loadStarted = System.nanoTime();
        long rows = 0;
        long bytes = 0;
        ExecutorService pool = Executors.newFixedThreadPool(LOAD_THREADS);
        try {
            List<Future<long[]>> loads = new ArrayList<>();
            for (int t = 0; t < shape.tables(); t++) {
                String name = table(t);
                loads.add(pool.submit(() -> {
                    byte[] body = rows(idsByBucket);
                    long one = System.nanoTime();
                    JsonNode result = api.postRows("/api/databases/" + DB + "/tables/" + name + "/loads",
                            "application/x-ndjson", body);
                    long loaded = result.path("rows").asLong();
                    progress.accept(String.format(java.util.Locale.ROOT, "loaded %d rows into %s in %.1f s", loaded,
                            name, (System.nanoTime() - one) / 1e9));
                    return new long[] {loaded, body.length};
                }));
            }
            for (Future<long[]> load : loads) {
                long[] done = load.get();
                rows += done[0];
                bytes += done[1];
            }
        } finally {
            pool.shutdownNow();
        }
        long expected = (long) shape.tablets() * ROWS_PER_TABLET;
        if (rows != expected) {
            throw new IllegalStateException("loaded " + rows + " rows, expected " + expected);
        }
        return new Built(createSeconds, (System.nanoTime() - loadStarted) / 1e9, rows, bytes);
    }

    private Map<String, Object> tableRequest(String name) {
        List<Map<String, Object>> partitions = new ArrayList<>();
        for (int p = 0; p < shape.partitions(); p++) {
            partitions.add(Map.of("name", "p" + p, "lower", Integer.toString(p), "upper", Integer.toString(p + 1)));
        }
        return Map.of("name", name, "keysType", "DUP_KEYS", "columns", List.of(
                column("id", "BIGINT", true), column("p", "INT", true), column("v", "VARCHAR(32)", false)),
                "partitionColumn", "p", "partitions", partitions, "distributionColumns", List.of("id"),
                "buckets", shape.buckets(), "replicationNum", 1);
    }

    /** One table's rows: for every partition and bucket, the bucket's ids (so every tablet gets rows). */
    private byte[] rows(long[][] idsByBucket) {
        NdjsonRows out = new NdjsonRows(shape.partitions() * shape.buckets() * ROWS_PER_TABLET * 48);
        for (int p = 0; p < shape.partitions(); p++) {
            int partition = p;
            for (long[] ids : idsByBucket) {
                for (long id : ids) {
                    out.row(row -> {
                        row.writeNumberField("id", id);
                        row.writeNumberField("p", partition);
                        row.writeStringField("v", "row " + Long.toHexString(id * 31 + partition));
                    });
                }
            }
        }
        return out.toBytes();
    }

    /**
     * For each bucket, {@code perBucket} ids that hash to it as the job-service routes rows (LoadService.bucket: CRC32
     * of the distribution column's canonical text, then a 1 byte, modulo the buckets), so every tablet gets rows.
     */
    static long[][] idsByBucket(int buckets, int perBucket) {
        long[][] ids = new long[buckets][perBucket];
        int[] filled = new int[buckets];
        int done = 0;
        for (long id = 0; done < buckets; id++) {
            CRC32 crc = new CRC32();
            crc.update(Long.toString(id).getBytes(StandardCharsets.UTF_8));
            crc.update(1);
            int bucket = (int) (crc.getValue() % buckets);
            if (filled[bucket] < perBucket) {
                ids[bucket][filled[bucket]++] = id;
                if (filled[bucket] == perBucket) {
                    done++;
                }
            }
        }
        return ids;
    }

    /** A column of a create-table request. */
    static Map<String, Object> column(String name, String type, boolean key) {
        return Map.of("name", name, "type", type, "isKey", key, "nullable", !key);
    }
}
