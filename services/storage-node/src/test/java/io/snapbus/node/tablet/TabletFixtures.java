package io.snapbus.node.tablet;

import io.snapbus.tabletformat.RowsetFile;
import io.snapbus.tabletformat.RowsetMeta;
import io.snapbus.tabletformat.TabletColumn;
import io.snapbus.tabletformat.TabletSchema;
import io.snapbus.tabletformat.TabletKeysType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.snapbus.rows.LoadFormat;
import io.snapbus.thrift.TStatusCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Test data builders and readers shared by the tablet-store tests. */
final class TabletFixtures {
    static final int SCHEMA_HASH = 368_169_781;

    private TabletFixtures() {
    }

    /** id BIGINT key, city VARCHAR(32) NULL, amount DECIMAL(18,2) NULL. */
    static TabletSchema salesSchema() {
        return new TabletSchema(List.of(
                new TabletColumn("id", "BIGINT", true, false),
                new TabletColumn("city", "VARCHAR(32)", false, true),
                new TabletColumn("amount", "DECIMAL(18,2)", false, true)), TabletKeysType.DUP_KEYS);
    }

    /** Background work off, so tests see exactly what they do. */
    static TabletStoreConfig quietConfig() {
        return TabletStoreConfig.defaults().withCompactionEnabled(false);
    }

    static SpecBuilder spec(long tabletId) {
        return new SpecBuilder(tabletId);
    }

    static final class SpecBuilder {
        private final long tabletId;
        private int schemaHash = SCHEMA_HASH;
        private long version = 1;
        private long replicaId = 10_001;
        private TabletSchema schema = salesSchema();

        private SpecBuilder(long tabletId) {
            this.tabletId = tabletId;
        }

        SpecBuilder version(long v) {
            this.version = v;
            return this;
        }

        SpecBuilder schemaHash(int hash) {
            this.schemaHash = hash;
            return this;
        }

        SpecBuilder replicaId(long id) {
            this.replicaId = id;
            return this;
        }

        SpecBuilder schema(TabletSchema s) {
            this.schema = s;
            return this;
        }

        CreateTabletSpec build() {
            return new CreateTabletSpec(tabletId, schemaHash, 2001, 3001, 4001, replicaId, version, schema, "HDD");
        }
    }

    /** NDJSON rows with ids {@code first .. first+count-1}. */
    static byte[] ndjson(long first, int count) {
        StringBuilder rows = new StringBuilder();
        for (long id = first; id < first + count; id++) {
            rows.append("{\"id\":").append(id).append(",\"city\":\"city-").append(id % 7)
                    .append("\",\"amount\":\"").append(id).append(".25\"}\n");
        }
        return rows.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] text(String rows) {
        return rows.getBytes(StandardCharsets.UTF_8);
    }

    /** Ids loaded by {@link #loadVersions} for version {@code v}. */
    static List<Long> idsOfVersion(long v, int rowsPerVersion) {
        List<Long> ids = new ArrayList<>();
        for (long id = v * 1000; id < v * 1000 + rowsPerVersion; id++) {
            ids.add(id);
        }
        return ids;
    }

    /** Loads versions {@code from..to} (txn = version × 100), {@code rowsPerVersion} rows each. */
    static TabletMeta loadVersions(TabletStore store, long tabletId, long from, long to, int rowsPerVersion) {
        TabletMeta meta = null;
        for (long v = from; v <= to; v++) {
            store.writeRows(tabletId, v * 100, LoadFormat.NDJSON, ndjson(v * 1000, rowsPerVersion));
            meta = store.publish(tabletId, v * 100, v);
        }
        return meta;
    }

    static List<Long> idsUpTo(long version, long firstLoaded, int rowsPerVersion) {
        List<Long> ids = new ArrayList<>();
        for (long v = firstLoaded; v <= version; v++) {
            ids.addAll(idsOfVersion(v, rowsPerVersion));
        }
        return ids;
    }

    /** The ids of the rows in the {@code .dat} files among {@code names} in {@code dir}, in file-name order. */
    static List<Long> idsIn(Path dir, Collection<String> names) throws IOException {
        List<Long> ids = new ArrayList<>();
        for (String name : names.stream().filter(n -> n.endsWith(".dat")).sorted().toList()) {
            for (GenericRecord row : rowsOf(dir.resolve(name))) {
                ids.add((Long) row.get("id"));
            }
        }
        return ids;
    }

    static List<GenericRecord> rowsOf(Path datFile) throws IOException {
        List<GenericRecord> rows = new ArrayList<>();
        try (DataFileReader<GenericRecord> reader =
                     new DataFileReader<>(datFile.toFile(), new GenericDatumReader<>())) {
            reader.forEach(rows::add);
        }
        return rows;
    }

    static List<String> datFiles(TabletMeta meta) {
        return meta.rowsets().stream().flatMap(r -> r.files().stream()).map(RowsetFile::name).toList();
    }

    static Path tabletDir(TabletStore store, long tabletId) {
        return store.root().resolve("data").resolve(Long.toString(tabletId)).resolve(Integer.toString(SCHEMA_HASH));
    }

    static Object inode(Path file) throws IOException {
        return Files.getAttribute(file, "unix:ino");
    }

    static List<String> ranges(TabletMeta meta) {
        return meta.rowsets().stream().map(RowsetMeta::versionRange).toList();
    }

    /** Runs {@code call}, expecting a StoreException with {@code code}; returns it for more checks. */
    static StoreException expectStatus(TStatusCode code, ThrowingCallable call) {
        StoreException e = catchThrowableOfType(StoreException.class, call);
        assertThat(e).as("expected a StoreException(%s)", code).isNotNull();
        assertThat(e.code()).as("status of: %s", e.getMessage()).isEqualTo(code);
        return e;
    }

    static List<String> list(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (var stream = Files.list(dir)) {
            return stream.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
