package io.snapbus.jobs.backup;

import io.snapbus.avro.RepositoryRef;
import io.snapbus.avro.StorageType;
import java.util.Map;

/**
 * Doris's keep-on-local pseudo repository ({@code Repository.KEEP_ON_LOCAL_REPO_NAME} / {@code _ID}): a backup to it
 * uploads nothing, its snapshots stay on the nodes until the job's timeout, and the meta and job info stay with the
 * job-service for the CCR syncer to fetch. It has no catalog entry and no user may create a repository of its name.
 */
public final class KeepOnLocal {
    public static final String REPOSITORY_NAME = "__keep_on_local__";
    public static final long REPOSITORY_ID = -1;

    private KeepOnLocal() {}

    public static boolean isReserved(String repositoryName) {
        return REPOSITORY_NAME.equals(repositoryName);
    }

    /** The synthetic repository a keep-on-local job records: no location, no properties, never read only. */
    public static RepositoryRef repository() {
        return RepositoryRef.newBuilder()
                .setRepoId(REPOSITORY_ID)
                .setName(REPOSITORY_NAME)
                .setStorageType(StorageType.KEEP_ON_LOCAL)
                .setLocation("")
                .setProperties(Map.of())
                .setCredentialRef(null)
                .setReadOnly(false)
                .setRevision(0)
                .build();
    }
}
