package io.snapbus.jobs.restore.shell;

import io.snapbus.api.repository.SnapshotContent;
import io.snapbus.api.repository.SnapshotContent.SnapshotPartition;
import io.snapbus.api.repository.SnapshotContent.SnapshotTable;
import io.snapbus.api.repository.SnapshotContent.SnapshotTablet;
import io.snapbus.avro.RepositoryDef;
import io.snapbus.jobs.api.ApiException;
import io.snapbus.jobs.repository.RepositoryRegistry;
import io.snapbus.jobs.repository.RepositoryService;
import io.snapbus.jobs.restore.RestoreOptions;
import io.snapbus.jobs.restore.SnapshotInfo;
import io.snapbus.repository.RepositoryException;
import io.snapbus.repository.RepositoryLayout;
import io.snapbus.repository.RepositoryStorage;
import io.snapbus.rows.ContentChecksum;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * What one backup of a snapshot holds, for the snapshot pages: its job info read as a restore reads it
 * ({@link SnapshotReader}), each tablet's files sized by listing its directory (one listing per tablet).
 */
@Component
public class SnapshotContents {

    private final RepositoryService repositories;
    private final RepositoryRegistry registry;

    public SnapshotContents(RepositoryService repositories, RepositoryRegistry registry) {
        this.repositories = repositories;
        this.registry = registry;
    }

    /** 404 for an unknown repository, label or timestamp (Doris's message), 400 for a malformed label or timestamp. */
    public SnapshotContent read(String repository, String label, String timestamp) {
        try {
            RepositoryLayout.validateLabel(label);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        if (!RestoreOptions.isBackupTimestamp(timestamp)) {
            throw ApiException.badRequest("Invalid backup timestamp: " + timestamp
                    + ", expected yyyy-MM-dd-HH-mm-ss");
        }
        RepositoryDef def = repositories.require(repository);
        try (RepositoryStorage storage = registry.open(def)) {
            SnapshotInfo info = SnapshotReader.info(storage, repository, label, timestamp);
            return content(storage, repository, label, timestamp, info);
        } catch (RepositoryException e) {
            throw new ApiException(HttpStatus.BAD_GATEWAY, "REPOSITORY_" + e.kind(),
                    "Repository " + repository + ": " + e.getMessage());
        }
    }

    private static SnapshotContent content(RepositoryStorage storage, String repository, String label,
            String timestamp, SnapshotInfo info) {
        List<SnapshotTable> tables = new ArrayList<>();
        for (SnapshotInfo.Table table : info.tables().values()) {
            List<SnapshotPartition> partitions = new ArrayList<>();
            for (SnapshotInfo.Partition partition : table.partitions().values()) {
                List<SnapshotTablet> tablets = new ArrayList<>();
                for (SnapshotInfo.Index index : partition.indexes().values()) {
                    for (long tabletId : index.tabletOrder()) {
                        List<String> files = index.tabletFiles().getOrDefault(tabletId, List.of());
                        long bytes = files.isEmpty() ? 0 : stored(storage, RepositoryLayout.tabletDir(repository,
                                label, info.dbId(), table.id(), partition.id(), index.id(), tabletId), files);
                        ContentChecksum recorded = index.tabletChecksums().get(tabletId);
                        tablets.add(new SnapshotTablet(tabletId, index.name(), files.size(), bytes,
                                recorded == null ? null : recorded.rows(),
                                recorded == null ? null : Long.toString(recorded.checksum())));
                    }
                }
                partitions.add(new SnapshotPartition(partition.name(), partition.id(), partition.version(),
                        tablets.stream().mapToLong(SnapshotTablet::bytes).sum(),
                        tablets.stream().mapToLong(SnapshotTablet::files).sum(),
                        tablets.stream().mapToLong(t -> t.rows() == null ? 0 : t.rows()).sum(), tablets));
            }
            tables.add(new SnapshotTable(table.name(), table.id(),
                    partitions.stream().mapToLong(SnapshotPartition::bytes).sum(),
                    partitions.stream().mapToLong(SnapshotPartition::files).sum(),
                    partitions.stream().mapToInt(p -> p.tablets().size()).sum(), partitions));
        }
        return new SnapshotContent(repository, label, timestamp, info.dbName(), info.backupTimeMs(),
                info.content().name(), tables.stream().mapToLong(SnapshotTable::bytes).sum(),
                tables.stream().mapToLong(SnapshotTable::files).sum(),
                tables.stream().mapToInt(SnapshotTable::tablets).sum(), tables,
                info.views().stream().map(SnapshotInfo.NamedObject::name).toList(),
                info.odbcTables().stream().map(SnapshotInfo.NamedObject::name).toList());
    }

    /** The stored size of the tablet's files that are there (a missing one is the verification's to report). */
    private static long stored(RepositoryStorage storage, String tabletDir, List<String> files) {
        Map<String, Long> present = storage.list(tabletDir);
        return files.stream().mapToLong(f -> present.getOrDefault(f, 0L)).sum();
    }
}
