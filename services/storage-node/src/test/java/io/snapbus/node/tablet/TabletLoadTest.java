package io.snapbus.node.tablet;

import io.snapbus.tabletformat.RowsetFile;
import static io.snapbus.node.tablet.TabletFixtures.expectStatus;
import static io.snapbus.node.tablet.TabletFixtures.idsIn;
import static io.snapbus.node.tablet.TabletFixtures.idsUpTo;
import static io.snapbus.node.tablet.TabletFixtures.list;
import static io.snapbus.node.tablet.TabletFixtures.loadVersions;
import static io.snapbus.node.tablet.TabletFixtures.ndjson;
import static io.snapbus.node.tablet.TabletFixtures.quietConfig;
import static io.snapbus.node.tablet.TabletFixtures.ranges;
import static io.snapbus.node.tablet.TabletFixtures.spec;
import static io.snapbus.node.tablet.TabletFixtures.tabletDir;
import static io.snapbus.node.tablet.TabletFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.rows.LoadFormat;
import io.snapbus.thrift.TStatusCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Creating tablets, writing and publishing loads, and what survives a restart. */
class TabletLoadTest {
    private static final long TABLET = 15_001;

    @TempDir
    Path root;
    private TabletStore store;

    @BeforeEach
    void open() {
        store = TabletStore.open(root, quietConfig());
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void restart() {
        store.close();
        store = TabletStore.open(root, quietConfig());
    }

    @Test
    void tabletsOfOneSchemaShareOneCopyOfItAlsoWhenReadBackFromDisk() {
        store.create(spec(TABLET).build());
        store.create(spec(TABLET + 1).build());
        restart();

        TabletMeta first = store.meta(TABLET);
        TabletMeta second = store.meta(TABLET + 1);
        // A node holds every tablet's header in its heap; a copy of the schema per tablet was a third of it.
        assertThat(second.schema()).isEqualTo(first.schema()).isSameAs(first.schema());
    }

    @Test
    void aNewTabletHasOnlyTheEmptyInitialRowsetAndAHeader() {
        TabletMeta meta = store.create(spec(TABLET).version(3).build());

        assertThat(meta.version()).isEqualTo(3);
        assertThat(meta.lastFailedVersion()).isEqualTo(-1);
        assertThat(ranges(meta)).containsExactly("[0-3]");
        assertThat(meta.rowsets().get(0).files()).isEmpty();
        assertThat(meta.rowCount()).isZero();
        assertThat(meta.versionCount()).isEqualTo(1);
        assertThat(tabletDir(store, TABLET).resolve(TABLET + ".hdr")).isRegularFile();
        assertThat(store.get(TABLET)).contains(meta);
    }

    @Test
    void creatingTheSameTabletAgainIsIdempotentButADifferentSpecIsAlreadyExist() {
        TabletMeta created = store.create(spec(TABLET).build());
        loadVersions(store, TABLET, 2, 2, 3);

        assertThat(store.create(spec(TABLET).build())).isEqualTo(store.get(TABLET).orElseThrow());
        assertThat(store.create(spec(TABLET).build()).version()).isEqualTo(2);
        StoreException e = expectStatus(TStatusCode.ALREADY_EXIST,
                () -> store.create(spec(TABLET).replicaId(99).build()));
        assertThat(e).hasMessageContaining("tablet " + TABLET);
        expectStatus(TStatusCode.ALREADY_EXIST, () -> store.create(spec(TABLET).schemaHash(7).build()));
        assertThat(created.version()).isEqualTo(1);
    }

    @Test
    void aRestartedStoreHasIdenticalTablets() {
        store.create(spec(TABLET).build());
        store.create(spec(TABLET + 1).version(5).build());
        loadVersions(store, TABLET, 2, 4, 10);
        store.markFailedVersion(TABLET + 1, 7);
        store.setCooledDown(TABLET + 1, true);
        List<TabletMeta> before = store.all();

        restart();

        assertThat(store.all()).isEqualTo(before);
        assertThat(store.get(TABLET).orElseThrow().rowCount()).isEqualTo(30);
        assertThat(store.get(TABLET + 1).orElseThrow().cooledDown()).isTrue();
    }

    @Test
    void aPendingTransactionSurvivesARestartAndCanBePublishedAfterIt() throws Exception {
        store.create(spec(TABLET).build());
        PendingWrite written = store.writeRows(TABLET, 77, LoadFormat.NDJSON, ndjson(2000, 4));

        restart();

        assertThat(store.pending(TABLET)).containsExactly(written);
        TabletMeta meta = store.publish(TABLET, 77, 2);
        assertThat(meta.version()).isEqualTo(2);
        assertThat(meta.rowCount()).isEqualTo(4);
        assertThat(idsIn(tabletDir(store, TABLET), TabletFixtures.datFiles(meta)))
                .containsExactlyElementsOf(idsUpTo(2, 2, 4));
        assertThat(store.pending(TABLET)).isEmpty();
        assertThat(list(tabletDir(store, TABLET).resolve("pending"))).isEmpty();
    }

    @Test
    void publishingAVersionThatWouldLeaveAGapIsInvalidArgument() {
        store.create(spec(TABLET).version(5).build());
        store.writeRows(TABLET, 9, LoadFormat.NDJSON, ndjson(1, 1));

        StoreException e = expectStatus(TStatusCode.INVALID_ARGUMENT, () -> store.publish(TABLET, 9, 7));

        assertThat(e).hasMessageContaining("version 7 would leave a gap after 5");
        assertThat(store.pending(TABLET)).hasSize(1);
        assertThat(store.get(TABLET).orElseThrow().version()).isEqualTo(5);
    }

    @Test
    void publishingAVersionTheTabletAlreadyHasIsAlreadyExist() {
        store.create(spec(TABLET).build());
        loadVersions(store, TABLET, 2, 3, 1);
        store.writeRows(TABLET, 9, LoadFormat.NDJSON, ndjson(1, 1));

        expectStatus(TStatusCode.ALREADY_EXIST, () -> store.publish(TABLET, 9, 3));
        expectStatus(TStatusCode.ALREADY_EXIST, () -> store.publish(TABLET, 9, 1));
        assertThat(store.pending(TABLET)).hasSize(1);
    }

    @Test
    void publishingAPublishedTransactionAgainAtTheSameVersionReturnsTheMeta() {
        store.create(spec(TABLET).build());
        store.writeRows(TABLET, 9, LoadFormat.NDJSON, ndjson(1, 2));
        TabletMeta published = store.publish(TABLET, 9, 2);
        loadVersions(store, TABLET, 3, 3, 1);

        assertThat(store.publish(TABLET, 9, 2)).isEqualTo(store.get(TABLET).orElseThrow());
        assertThat(store.get(TABLET).orElseThrow().version()).isEqualTo(3);
        assertThat(published.version()).isEqualTo(2);
        expectStatus(TStatusCode.INVALID_ARGUMENT, () -> store.publish(TABLET, 9, 4));
        expectStatus(TStatusCode.ALREADY_EXIST, () -> store.writeRows(TABLET, 9, LoadFormat.NDJSON, ndjson(1, 1)));
    }

    @Test
    void publishingAnUnknownTransactionIsNotFound() {
        store.create(spec(TABLET).build());

        expectStatus(TStatusCode.NOT_FOUND, () -> store.publish(TABLET, 404, 2));
        expectStatus(TStatusCode.TABLET_MISSING, () -> store.publish(TABLET + 1, 404, 2));
        expectStatus(TStatusCode.TABLET_MISSING,
                () -> store.writeRows(TABLET + 1, 1, LoadFormat.NDJSON, ndjson(1, 1)));
    }

    @Test
    void aBadNdjsonRowIsRejectedNamingItsLineAndNothingIsWritten() {
        store.create(spec(TABLET).build());
        byte[] rows = text("""
                {"id":1,"city":"Oslo","amount":"10.50"}
                {"id":2,"city":null,"amount":3}

                {"id":3,"city":"Rome","amount":"abc"}
                {"id":4}
                """);

        StoreException e = expectStatus(TStatusCode.INVALID_ARGUMENT,
                () -> store.writeRows(TABLET, 5, LoadFormat.NDJSON, rows));

        assertThat(e).hasMessage("line 4: column amount: not a DECIMAL(18,2): 'abc'");
        assertThat(store.pending(TABLET)).isEmpty();
        assertThat(tabletDir(store, TABLET).resolve("pending/5")).doesNotExist();
    }

    @Test
    void aBadCsvRowIsRejectedNamingItsLineAndNothingIsWritten() throws Exception {
        store.create(spec(TABLET).build());
        byte[] rows = text("1,\"Paris, \"\"France\"\"\",12.50\r\n2,\"multi\nline\",\\N\n3,Rome\n");

        StoreException e = expectStatus(TStatusCode.INVALID_ARGUMENT,
                () -> store.writeRows(TABLET, 5, LoadFormat.CSV, rows));

        assertThat(e).hasMessage("line 4: expected 3 fields, got 2");
        assertThat(tabletDir(store, TABLET).resolve("pending/5")).doesNotExist();
        expectStatus(TStatusCode.INVALID_ARGUMENT,
                () -> store.writeRows(TABLET, 5, LoadFormat.CSV, text("1,a,1\nx,b,2\n")));
        assertThat(store.pending(TABLET)).isEmpty();
    }

    @Test
    void csvRowsWithQuotesCommasAndNewlinesAreStoredExactly() throws Exception {
        store.create(spec(TABLET).build());
        store.writeRows(TABLET, 5, LoadFormat.CSV, text("1,\"Paris, \"\"France\"\"\",12.50\r\n2,\"multi\nline\",\\N\n"
                + "3,,\n4,\"\",0.005\n"));
        TabletMeta meta = store.publish(TABLET, 5, 2);

        var rows = TabletFixtures.rowsOf(tabletDir(store, TABLET).resolve(TabletFixtures.datFiles(meta).get(0)));
        assertThat(rows).hasSize(4);
        assertThat(rows.get(0).get("city")).hasToString("Paris, \"France\"");
        assertThat(rows.get(1).get("city")).hasToString("multi\nline");
        assertThat(rows.get(1).get("amount")).isNull();
        assertThat(rows.get(2).get("city")).hasToString("");
        assertThat(rows.get(2).get("amount")).isNull();
        assertThat(rows.get(3).get("city")).hasToString("");
        assertThat(decimal(rows.get(3).get("amount"))).isEqualByComparingTo("0.01");
        assertThat(decimal(rows.get(0).get("amount"))).isEqualByComparingTo("12.50");
    }

    private static java.math.BigDecimal decimal(Object avroBytes) {
        java.nio.ByteBuffer bytes = ((java.nio.ByteBuffer) avroBytes).duplicate();
        byte[] unscaled = new byte[bytes.remaining()];
        bytes.get(unscaled);
        return new java.math.BigDecimal(new java.math.BigInteger(unscaled), 2);
    }

    @Test
    void writingATransactionAgainReplacesItsPendingRowset() throws Exception {
        store.create(spec(TABLET).build());
        store.writeRows(TABLET, 5, LoadFormat.NDJSON, ndjson(1, 3));
        store.writeRows(TABLET, 5, LoadFormat.NDJSON, ndjson(100, 5));

        assertThat(store.pending(TABLET)).containsExactly(new PendingWrite(TABLET, 5, 5,
                store.pending(TABLET).get(0).dataSize()));
        assertThat(list(tabletDir(store, TABLET).resolve("pending/5"))).hasSize(2); // one rowset file + txn.json
        TabletMeta meta = store.publish(TABLET, 5, 2);
        assertThat(idsIn(tabletDir(store, TABLET), TabletFixtures.datFiles(meta)))
                .containsExactly(100L, 101L, 102L, 103L, 104L);
    }

    @Test
    void aBadRewriteKeepsTheEarlierWriteOfTheTransaction() {
        store.create(spec(TABLET).build());
        PendingWrite first = store.writeRows(TABLET, 5, LoadFormat.NDJSON, ndjson(1, 3));

        expectStatus(TStatusCode.INVALID_ARGUMENT,
                () -> store.writeRows(TABLET, 5, LoadFormat.NDJSON, text("{\"id\":\"x\"}")));

        assertThat(store.pending(TABLET)).containsExactly(first);
        assertThat(store.publish(TABLET, 5, 2).rowCount()).isEqualTo(3);
    }

    @Test
    void abortingDropsThePendingRowsetAndAPublishedTransactionCannotBeAborted() {
        store.create(spec(TABLET).build());
        store.writeRows(TABLET, 5, LoadFormat.NDJSON, ndjson(1, 3));
        store.writeRows(TABLET, 6, LoadFormat.NDJSON, ndjson(1, 3));
        store.publish(TABLET, 6, 2);

        store.abort(TABLET, 5);
        store.abort(TABLET, 5);

        assertThat(store.pending(TABLET)).isEmpty();
        assertThat(tabletDir(store, TABLET).resolve("pending/5")).doesNotExist();
        expectStatus(TStatusCode.NOT_FOUND, () -> store.publish(TABLET, 5, 3));
        expectStatus(TStatusCode.ILLEGAL_STATE, () -> store.abort(TABLET, 6));
    }

    @Test
    void anEmptyLoadPublishesAnEmptyRowsetWithoutFiles() {
        store.create(spec(TABLET).build());
        assertThat(store.writeRows(TABLET, 5, LoadFormat.CSV, new byte[0]).rowCount()).isZero();

        TabletMeta meta = store.publish(TABLET, 5, 2);

        assertThat(ranges(meta)).containsExactly("[0-1]", "[2-2]");
        assertThat(meta.rowsets().get(1).files()).isEmpty();
    }

    @Test
    void theLowestFailedVersionIsKeptUntilAPublishReachesIt() {
        store.create(spec(TABLET).build());

        assertThat(store.markFailedVersion(TABLET, 4).lastFailedVersion()).isEqualTo(4);
        assertThat(store.markFailedVersion(TABLET, 6).lastFailedVersion()).isEqualTo(4);
        assertThat(store.markFailedVersion(TABLET, 3).lastFailedVersion()).isEqualTo(3);
        expectStatus(TStatusCode.INVALID_ARGUMENT, () -> store.markFailedVersion(TABLET, 1));

        assertThat(loadVersions(store, TABLET, 2, 2, 1).lastFailedVersion()).isEqualTo(3);
        assertThat(loadVersions(store, TABLET, 3, 3, 1).lastFailedVersion()).isEqualTo(-1);
        restart();
        assertThat(store.get(TABLET).orElseThrow().lastFailedVersion()).isEqualTo(-1);
    }

    @Test
    void rowsetFilesAreCompressedAvroWithTheTablesSchemaAndRecordTheirChecksums() throws Exception {
        store.create(spec(TABLET).build());
        TabletMeta meta = loadVersions(store, TABLET, 2, 2, 50);
        RowsetFile file = meta.rowsets().get(1).files().get(0);
        Path path = tabletDir(store, TABLET).resolve(file.name());

        assertThat(file.name()).matches("02[0-9a-f]{16}_0\\.dat").startsWith(meta.rowsets().get(1).rowsetId());
        assertThat(file.size()).isEqualTo(Files.size(path));
        assertThat(file.md5()).isEqualTo(md5(path));
        try (var reader = new org.apache.avro.file.DataFileReader<>(path.toFile(),
                new org.apache.avro.generic.GenericDatumReader<org.apache.avro.generic.GenericRecord>())) {
            assertThat(reader.getMetaString("avro.codec")).isEqualTo("zstandard");
            assertThat(reader.getSchema()).isEqualTo(TabletFixtures.salesSchema().toAvroSchema());
        }
    }

    static String md5(Path file) throws Exception {
        return java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("MD5").digest(Files.readAllBytes(file)));
    }

    @Test
    void aStoreCannotBeOpenedTwice() {
        expectStatus(TStatusCode.ILLEGAL_STATE, () -> TabletStore.open(root, quietConfig()));
        store.create(spec(TABLET).build());
        assertThat(store.get(TABLET)).isPresent();
    }
}
