package io.snapbus.jobs.api.v1;

import io.snapbus.api.repository.AlterRepositoryRequest;
import io.snapbus.api.repository.CreateRepositoryRequest;
import io.snapbus.api.repository.Repository;
import io.snapbus.api.repository.Snapshot;
import io.snapbus.avro.RepositoryDef;
import io.snapbus.avro.RepositoryRef;
import io.snapbus.jobs.repository.RepositoryAlteration;
import io.snapbus.jobs.repository.RepositoryRequest;
import io.snapbus.jobs.repository.SnapshotEntry;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/** The one place repositories and their snapshots become v1 records, and v1 requests the repository service's. */
public final class RepositoryDtos {
    /**
     * Newest first: by the label's newest backup timestamp ({@code yyyy-MM-dd-HH-mm-ss} sorts as text), then by label,
     * so that pages are stable while nothing is added.
     */
    static final Comparator<Snapshot> NEWEST_FIRST = Comparator
            .comparing((Snapshot s) -> s.timestamps().isEmpty() ? "" : s.timestamps().stream()
                    .max(Comparator.naturalOrder()).orElseThrow()).reversed()
            .thenComparing(Snapshot::label);

    private RepositoryDtos() {}

    public static Repository repository(RepositoryDef repository) {
        RepositoryRef ref = repository.getRef();
        return new Repository(ref.getRepoId(), ref.getName(), ref.getStorageType().name(), ref.getLocation(),
                new TreeMap<>(ref.getProperties()), ref.getCredentialRef(), ref.getReadOnly(), ref.getRevision(),
                repository.getCreatedAtMs());
    }

    public static Snapshot snapshot(SnapshotEntry entry) {
        return new Snapshot(entry.label(), List.copyOf(entry.timestamps()), List.copyOf(entry.infoFiles()));
    }

    public static RepositoryRequest request(CreateRepositoryRequest request) {
        return new RepositoryRequest(request.name(), request.location(), request.properties(), request.credentialRef(),
                request.readOnly());
    }

    public static RepositoryAlteration alteration(AlterRepositoryRequest request) {
        return new RepositoryAlteration(request.properties(), request.credentialRef(), request.name(),
                request.storageType(), request.location(), request.readOnly());
    }
}
