package io.snapbus.jobs.engine;

import io.snapbus.avro.RepositoryRef;
import io.snapbus.avro.TabletRef;
import io.snapbus.repository.RepositoryLayout;

/** Where a snapshot's tablet lives in a repository, as the tasks that upload and download it name it. */
public final class RepositoryDirs {
    private RepositoryDirs() {}

    /**
     * The full URI of a backed-up tablet's dir: {@code <location>/__palo_repository_<repo>/__ss_<label>/__ss_content/
     * __db_<id>/__tbl_<id>/__part_<id>/__idx_<id>/__<tablet id>}, with the ids the backup recorded.
     */
    public static String tabletDir(RepositoryRef repository, String label, TabletRef ref) {
        String location = repository.getLocation();
        String root = location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
        return root + "/" + RepositoryLayout.tabletDir(repository.getName(), label, ref.getDbId(), ref.getTableId(),
                ref.getPartitionId(), ref.getIndexId(), ref.getTabletId());
    }
}
