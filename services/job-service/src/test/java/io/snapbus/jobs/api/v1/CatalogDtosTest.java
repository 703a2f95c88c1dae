package io.snapbus.jobs.api.v1;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.api.catalog.ColumnSpec;
import io.snapbus.api.catalog.CreateTableRequest;
import io.snapbus.api.catalog.PartitionSpec;
import io.snapbus.api.catalog.RecycleBinEntry;
import io.snapbus.api.catalog.RollupSpec;
import io.snapbus.api.catalog.Table;
import io.snapbus.api.catalog.TableColumn;
import io.snapbus.api.repository.Repository;
import io.snapbus.api.repository.Snapshot;
import io.snapbus.avro.Column;
import io.snapbus.avro.IndexMeta;
import io.snapbus.avro.KeysType;
import io.snapbus.avro.OdbcResourceDef;
import io.snapbus.avro.OlapTableDef;
import io.snapbus.avro.OlapTableType;
import io.snapbus.avro.RecycledKind;
import io.snapbus.avro.RecycledObject;
import io.snapbus.avro.RepositoryDef;
import io.snapbus.avro.RepositoryRef;
import io.snapbus.avro.StorageType;
import io.snapbus.jobs.catalog.TableRequests;
import io.snapbus.jobs.repository.SnapshotEntry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Catalog and repository records become v1 records field by field, never through their toString. */
class CatalogDtosTest {

    private static Column column(String name, boolean key, String aggregation) {
        return Column.newBuilder().setName(name).setType("BIGINT").setIsKey(key).setNullable(!key)
                .setAggregation(aggregation).setDefaultValue(null).setComment("c").build();
    }

    private static OlapTableDef orders() {
        return OlapTableDef.newBuilder().setId(20).setDbId(10).setName("orders")
                .setTableType(OlapTableType.MATERIALIZED_VIEW).setKeysType(KeysType.AGG_KEYS)
                .setColumns(List.of(column("id", true, null), column("total", false, "SUM")))
                .setPartitionColumns(List.of("id")).setDistributionColumns(List.of("id")).setDefaultBuckets(3)
                .setReplicationNum(2).setIndexes(List.of(IndexMeta.newBuilder().setId(21).setName("orders")
                        .setSchemaHash(777).setColumns(List.of("id", "total")).setIsBase(true).build()))
                .setState("NORMAL").setProperties(Map.of("b", "2", "a", "1")).setComment("sales").build();
    }

    @Test
    void aListedTableHasItsDefinitionAndNoPartitions() {
        Table table = CatalogDtos.tableSummary(orders());

        assertThat(table.id()).isEqualTo(20);
        assertThat(table.dbId()).isEqualTo(10);
        assertThat(table.tableType()).isEqualTo("MATERIALIZED_VIEW");
        assertThat(table.keysType()).isEqualTo("AGG_KEYS");
        assertThat(table.columns()).containsExactly(new TableColumn("id", "BIGINT", true, false, null, null, "c"),
                new TableColumn("total", "BIGINT", false, true, "SUM", null, "c"));
        assertThat(table.indexes()).singleElement().satisfies(index -> {
            assertThat(index.schemaHash()).isEqualTo(777);
            assertThat(index.isBase()).isTrue();
            assertThat(index.columns()).containsExactly("id", "total");
        });
        assertThat(table.properties()).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
        assertThat(table.defaultBuckets()).isEqualTo(3);
        assertThat(table.replicationNum()).isEqualTo(2);
        assertThat(table.commitSeq()).isNull();
        assertThat(table.partitions()).isNull();
    }

    @Test
    void aRecycledPartitionShowsItsIdAndATableMinusOne() {
        RecycledObject partition = RecycledObject.newBuilder().setKind(RecycledKind.PARTITION).setId(30).setDbId(10)
                .setTableId(20).setName("p1").setDropTimeMs(1000).setExpireTimeMs(5000).build();
        RecycledObject table = RecycledObject.newBuilder(partition).setKind(RecycledKind.TABLE).setId(20)
                .setForce(true).build();

        assertThat(CatalogDtos.recycleBinEntry(partition, 2000))
                .isEqualTo(new RecycleBinEntry("Partition", "p1", 10, 20, 30, 1000, 5000, false, true));
        assertThat(CatalogDtos.recycleBinEntry(table, 2000))
                .isEqualTo(new RecycleBinEntry("Table", "p1", 10, 20, -1, 1000, 5000, true, false));
    }

    @Test
    void aResourceShowsItsCredentialReferenceOnly() {
        OdbcResourceDef resource = OdbcResourceDef.newBuilder().setName("mysql").setProperties(Map.of("host", "h"))
                .setCredentialRef("mysql_ref").build();

        assertThat(CatalogDtos.resource(resource).credentialRef()).isEqualTo("mysql_ref");
        assertThat(CatalogDtos.resource(resource).properties()).containsExactly(Map.entry("host", "h"));
    }

    @Test
    void aCreateTableRequestKeepsWhatWasLeftOutAsNull() {
        CreateTableRequest request = new CreateTableRequest("t", null, "DUP_KEYS", List.of(ColumnSpec.key("id",
                "INT")), "id", List.of(new PartitionSpec("p1", null, "10", true, 4)), List.of("id"), 2, null,
                List.of(new RollupSpec("r", List.of("id"))), null, null);

        TableRequests.CreateTable table = CatalogDtos.createTable(request);

        assertThat(table.columns()).containsExactly(new TableRequests.ColumnSpec("id", "INT", true, null, null, null,
                null));
        assertThat(table.partitions()).containsExactly(new TableRequests.PartitionSpec("p1", null, "10", true, 4));
        assertThat(table.rollups()).containsExactly(new TableRequests.RollupSpec("r", List.of("id")));
        assertThat(table.replicationNum()).isNull();
        assertThat(table.properties()).isNull();
        assertThat(CatalogDtos.columnSpecs(null)).isNull();
    }

    @Test
    void aRepositoryIsFlatAndCarriesNoSecret() {
        RepositoryRef ref = RepositoryRef.newBuilder().setRepoId(7).setName("s3repo").setStorageType(StorageType.S3)
                .setLocation("s3://bucket/p").setProperties(Map.of("s3.region", "eu")).setCredentialRef("minio")
                .setReadOnly(true).setRevision(3).build();

        Repository repository = RepositoryDtos.repository(RepositoryDef.newBuilder().setRef(ref).setCreatedAtMs(99)
                .build());

        assertThat(repository).isEqualTo(new Repository(7, "s3repo", "S3", "s3://bucket/p", Map.of("s3.region", "eu"),
                "minio", true, 3, 99));
    }

    @Test
    void snapshotsAreNewestFirstByTheirNewestBackupThenByLabel() {
        List<Snapshot> sorted = List.of(
                entry("old", "2026-01-01-00-00-00"),
                entry("twice", "2026-01-01-00-00-00", "2026-03-01-00-00-00"),
                entry("b_new", "2026-02-01-00-00-00"),
                entry("a_new", "2026-02-01-00-00-00"),
                entry("empty")).stream().map(RepositoryDtos::snapshot).sorted(RepositoryDtos.NEWEST_FIRST).toList();

        assertThat(sorted).extracting(Snapshot::label).containsExactly("twice", "a_new", "b_new", "old", "empty");
    }

    private static SnapshotEntry entry(String label, String... timestamps) {
        return new SnapshotEntry(label, List.of(timestamps), List.of(timestamps).stream()
                .map(t -> "__info_" + t + ".md5").toList());
    }
}
