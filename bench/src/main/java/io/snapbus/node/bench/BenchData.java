package io.snapbus.node.bench;

import io.snapbus.node.tablet.CreateTabletSpec;
import io.snapbus.node.tablet.TabletStore;
import io.snapbus.rows.LoadFormat;
import io.snapbus.tabletformat.TabletColumn;
import io.snapbus.tabletformat.TabletKeysType;
import io.snapbus.tabletformat.TabletSchema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The tablets the data-plane benchmarks build: incompressible rows, straight into the node's store. */
final class BenchData {
    static final int SCHEMA_HASH = 1_234_567;
    /** Characters of a row's payload: random, so zstd cannot shrink the rowsets. */
    static final int PAYLOAD_CHARS = 1000;
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final TabletSchema SCHEMA = new TabletSchema(List.of(new TabletColumn("id", "BIGINT", true, false),
            new TabletColumn("payload", "STRING", false, false)), TabletKeysType.DUP_KEYS);

    private BenchData() {}

    /** Rows per load that make {@code tablets x loadsPerTablet} loads hold about {@code sizeBytes} in all. */
    static int rowsPerLoad(long sizeBytes, int tablets, int loadsPerTablet) {
        long bytesPerLoad = Math.max(1, sizeBytes / ((long) tablets * loadsPerTablet));
        return (int) Math.max(1, bytesPerLoad / (PAYLOAD_CHARS * 0.75));
    }

    /** Creates empty tablets {@code firstTablet ..}, as CREATE would (the new replicas a restore fills). */
    static void create(TabletStore store, long firstTablet, int tablets) {
        for (int t = 0; t < tablets; t++) {
            long tabletId = firstTablet + t;
            store.create(new CreateTabletSpec(tabletId, SCHEMA_HASH, 1L, 2L, 3L, tabletId, 1, SCHEMA, "HDD"));
        }
    }

    /** Creates tablets and loads {@code loadsPerTablet} versions into every one, two threads. */
    static void generate(TabletStore store, long firstTablet, int tablets, int loadsPerTablet, int rowsPerLoad)
            throws Exception {
        create(store, firstTablet, tablets);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < tablets; t++) {
                long tabletId = firstTablet + t;
                work.add(pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(tabletId);
                    for (int load = 0; load < loadsPerTablet; load++) {
                        long txn = tabletId * 1000 + load;
                        store.writeRows(tabletId, txn, LoadFormat.CSV, csv(random, load * rowsPerLoad, rowsPerLoad));
                        store.publish(tabletId, txn, load + 2);
                    }
                    return null;
                }));
            }
            for (Future<?> future : work) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] csv(SplittableRandom random, long firstId, int rows) {
        StringBuilder out = new StringBuilder(rows * (PAYLOAD_CHARS + 16));
        char[] payload = new char[PAYLOAD_CHARS];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < PAYLOAD_CHARS; i++) {
                payload[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
            }
            out.append(firstId + r).append(',').append(payload).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
