package io.snapbus.jobs.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapbus.node.tablet.CreateTabletSpec;
import io.snapbus.node.tablet.Snapshot;
import io.snapbus.node.tablet.TabletStore;
import io.snapbus.node.tablet.TabletStoreConfig;
import io.snapbus.repository.Md5;
import io.snapbus.repository.RepositoryLayout;
import io.snapbus.repository.RepositorySpec;
import io.snapbus.repository.RepositoryStorage;
import io.snapbus.repository.RepositoryStorages;
import io.snapbus.rows.ContentChecksum;
import io.snapbus.rows.LoadFormat;
import io.snapbus.tabletformat.RowsetFile;
import io.snapbus.tabletformat.RowsetMeta;
import io.snapbus.tabletformat.TabletColumn;
import io.snapbus.tabletformat.TabletHeader;
import io.snapbus.tabletformat.TabletHeaderFile;
import io.snapbus.tabletformat.TabletKeysType;
import io.snapbus.tabletformat.TabletSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A filesystem repository holding one snapshot written by the real writers: a storage node's tablet store loads and
 * snapshots the tablets, the repository storage uploads their files under md5 names, and the job info is Doris's
 * JSON with the checksums the snapshots reported. Tamper helpers change it the way disks and people do.
 */
final class SnapshotRepositoryFixture implements AutoCloseable {
    static final String REPO = "verify_repo";
    static final String LABEL = "nightly";
    static final long BACKUP_TIME_MS = 1_780_000_000_000L;
    static final String TIMESTAMP = RepositoryLayout.jobInfoName(BACKUP_TIME_MS, ZoneOffset.UTC)
            .substring(RepositoryLayout.PREFIX_JOB_INFO.length());
    static final long DB = 10, TABLE = 20, PARTITION = 30, INDEX = 40;
    static final int SCHEMA_HASH = 12345;
    private static final ObjectMapper JSON = new ObjectMapper();

    final Path repositoryDir;
    final RepositoryStorage storage;
    private final TabletStore node;
    /** Tablet id to its stored file names, in the job info's order. */
    final Map<Long, List<String>> files = new LinkedHashMap<>();
    final Map<Long, ContentChecksum> checksums = new LinkedHashMap<>();
    private String infoFile;

    /** Tablets {@code tabletIds}, each loaded with versions 2 and 3 of {@code rowsPerVersion} rows. */
    SnapshotRepositoryFixture(Path dir, int rowsPerVersion, long... tabletIds) {
        this.repositoryDir = dir.resolve("repository");
        this.storage = RepositoryStorages.open(RepositorySpec.ofDirectory(repositoryDir));
        this.node = TabletStore.open(dir.resolve("node"), TabletStoreConfig.defaults().withCompactionEnabled(false));
        for (long tabletId : tabletIds) {
            load(tabletId, tabletId * 1000, rowsPerVersion);
            Snapshot snapshot = node.makeSnapshot(tabletId, SCHEMA_HASH, 3, 3600);
            List<String> stored = new ArrayList<>();
            for (String file : snapshot.files()) {
                String md5 = storage.uploadWithChecksum(snapshot.tabletDir().resolve(file), tabletDir(tabletId) + "/" + file);
                stored.add(RepositoryLayout.withChecksum(file, md5));
            }
            files.put(tabletId, stored);
            checksums.put(tabletId, snapshot.checksum());
        }
        byte[] meta = "{\"meta\":\"ours\"}".getBytes(StandardCharsets.UTF_8);
        storage.write(snapshotDir() + "/" + RepositoryLayout.withChecksum(RepositoryLayout.META_FILE, Md5.of(meta)),
                meta);
        writeInfo(checksums);
    }

    static TabletSchema schema() {
        return new TabletSchema(List.of(new TabletColumn("id", "BIGINT", true, false),
                new TabletColumn("city", "VARCHAR(32)", false, true),
                new TabletColumn("amount", "DECIMAL(18,2)", false, true)), TabletKeysType.DUP_KEYS);
    }

    private void load(long tabletId, long firstId, int rowsPerVersion) {
        node.create(new CreateTabletSpec(tabletId, SCHEMA_HASH, TABLE, PARTITION, INDEX, tabletId + 7, 1, schema(),
                "HDD"));
        for (long v = 2; v <= 3; v++) {
            StringBuilder rows = new StringBuilder();
            for (long id = firstId + v * 100; id < firstId + v * 100 + rowsPerVersion; id++) {
                rows.append("{\"id\":").append(id).append(",\"city\":\"c").append(id % 5).append("\",\"amount\":\"")
                        .append(id).append(".5\"}\n");
            }
            node.writeRows(tabletId, v * 10, LoadFormat.NDJSON, rows.toString().getBytes(StandardCharsets.UTF_8));
            node.publish(tabletId, v * 10, v);
        }
    }

    /** Writes the job info (replacing the one there) with these recorded checksums. */
    void writeInfo(Map<Long, ContentChecksum> recorded) {
        Map<String, Object> tablets = new LinkedHashMap<>();
        Map<String, Object> sums = new LinkedHashMap<>();
        files.forEach((id, names) -> tablets.put(Long.toString(id), names));
        recorded.forEach((id, sum) -> sums.put(Long.toString(id), Map.of("rows", sum.rows(), "checksum",
                sum.checksum())));
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("id", INDEX);
        index.put("schema_hash", SCHEMA_HASH);
        index.put("tablets", tablets);
        index.put("tablets_order", List.copyOf(files.keySet()));
        if (!sums.isEmpty()) {
            index.put("snapbus_tablet_checksums", sums);
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", LABEL);
        info.put("database", "sales");
        info.put("id", DB);
        info.put("backup_time", BACKUP_TIME_MS);
        info.put("content", "ALL");
        info.put("backup_objects", Map.of("orders", Map.of("id", TABLE, "partitions", Map.of("p1", Map.of(
                "id", PARTITION, "version", 3, "indexes", Map.of("orders", index))))));
        info.put("backup_result", "succeed");
        info.put("meta_version", 1);
        try {
            byte[] bytes = JSON.writeValueAsBytes(info);
            if (infoFile != null) {
                storage.delete(snapshotDir() + "/" + infoFile);
            }
            infoFile = RepositoryLayout.withChecksum(RepositoryLayout.PREFIX_JOB_INFO + TIMESTAMP, Md5.of(bytes));
            storage.write(snapshotDir() + "/" + infoFile, bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    SnapshotTarget target() {
        return SnapshotTarget.locate(storage, REPO, LABEL, null);
    }

    static String snapshotDir() {
        return RepositoryLayout.snapshotDir(REPO, LABEL);
    }

    static String tabletDir(long tabletId) {
        return RepositoryLayout.tabletDir(REPO, LABEL, DB, TABLE, PARTITION, INDEX, tabletId);
    }

    /** The repository path (relative) of the {@code n}-th rowset file of a tablet. */
    String rowsetPath(long tabletId, int n) {
        return tabletDir(tabletId) + "/" + files.get(tabletId).stream().filter(f -> f.contains(".dat.")).toList()
                .get(n);
    }

    Path local(String path) {
        return repositoryDir.resolve(path);
    }

    void flipByte(String path, int offset) throws IOException {
        byte[] bytes = Files.readAllBytes(local(path));
        bytes[offset] ^= 0x01;
        Files.write(local(path), bytes);
    }

    /**
     * Replaces the second rowset file of {@code tabletId} with one of a tablet loaded with other rows (as many of
     * them), and makes every name consistent: the file's md5 name, the header's size and md5 of it, the header's md5
     * name and the job info's file list and md5 name. Only the recorded checksums still tell.
     */
    void forgeRowset(long tabletId, long forgeryTabletId) throws IOException {
        load(forgeryTabletId, forgeryTabletId * 1000 + 50, (int) rowsOf(tabletId));
        Snapshot forgery = node.makeSnapshot(forgeryTabletId, SCHEMA_HASH, 3, 3600);
        String headerStored = files.get(tabletId).stream().filter(f -> f.contains(".hdr.")).findFirst().orElseThrow();
        TabletHeader header = TabletHeaderFile.read(local(tabletDir(tabletId) + "/" + headerStored));
        TabletHeader forged = TabletHeaderFile.read(forgery.tabletDir().resolve(TabletHeaderFile.name(forgeryTabletId)));
        RowsetMeta victim = header.rowsets().get(header.rowsets().size() - 1);
        RowsetFile replacement = forged.rowsets().get(forged.rowsets().size() - 1).files().get(0);
        RowsetFile oldFile = victim.files().get(0);
        byte[] content = Files.readAllBytes(forgery.tabletDir().resolve(replacement.name()));
        RowsetFile newFile = new RowsetFile(oldFile.name(), content.length, Md5.of(content));
        List<RowsetMeta> rowsets = new ArrayList<>(header.rowsets());
        rowsets.set(rowsets.size() - 1, new RowsetMeta(victim.rowsetId(), victim.startVersion(), victim.endVersion(),
                victim.rowCount(), content.length, List.of(newFile), victim.contentChecksum()));
        byte[] newHeader = TabletHeaderFile.toJson(header.withRowsets(rowsets));
        List<String> names = new ArrayList<>(files.get(tabletId));
        String oldData = RepositoryLayout.withChecksum(oldFile.name(), oldFile.md5());
        String newData = RepositoryLayout.withChecksum(newFile.name(), newFile.md5());
        String newHeaderName = RepositoryLayout.withChecksum(TabletHeaderFile.name(tabletId), Md5.of(newHeader));
        storage.delete(tabletDir(tabletId) + "/" + oldData);
        storage.delete(tabletDir(tabletId) + "/" + headerStored);
        storage.write(tabletDir(tabletId) + "/" + newData, content);
        storage.write(tabletDir(tabletId) + "/" + newHeaderName, newHeader);
        names.set(names.indexOf(oldData), newData);
        names.set(names.indexOf(headerStored), newHeaderName);
        files.put(tabletId, names);
        writeInfo(checksums);
    }

    private long rowsOf(long tabletId) {
        return checksums.get(tabletId).rows() / 2;
    }

    @Override
    public void close() {
        storage.close();
        node.close();
    }
}
