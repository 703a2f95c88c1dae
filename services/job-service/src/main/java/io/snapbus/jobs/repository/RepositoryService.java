package io.snapbus.jobs.repository;

import io.snapbus.avro.RepositoryDef;
import io.snapbus.avro.RepositoryRef;
import io.snapbus.avro.StorageType;
import io.snapbus.jobs.api.ApiException;
import io.snapbus.jobs.backup.KeepOnLocal;
import io.snapbus.jobs.catalog.Catalog;
import io.snapbus.jobs.catalog.CatalogKeys;
import io.snapbus.repository.ChecksummedName;
import io.snapbus.repository.RepositoryException;
import io.snapbus.repository.RepositoryInfo;
import io.snapbus.repository.RepositoryLayout;
import io.snapbus.repository.RepositorySpec;
import io.snapbus.repository.RepositoryStorage;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * CREATE / ALTER / DROP REPOSITORY and SHOW SNAPSHOT: a repository is persisted only after its storage accepted
 * {@code __palo_repository_<name>/__repo_info} (an altered one: showed it with the new settings); dropping it leaves
 * its files.
 */
@Component
public class RepositoryService {
    private static final Set<String> PROPERTIES = Set.of(RepositorySpec.S3_ENDPOINT, RepositorySpec.S3_REGION,
            RepositorySpec.S3_PATH_STYLE);
    private static final Logger log = LoggerFactory.getLogger(RepositoryService.class);

    private final Catalog catalog;
    private final RepositoryRegistry registry;
    private final ObjectProvider<RepositoryAlterationListener> alterationListeners;

    public RepositoryService(Catalog catalog, RepositoryRegistry registry,
            ObjectProvider<RepositoryAlterationListener> alterationListeners) {
        this.catalog = catalog;
        this.registry = registry;
        this.alterationListeners = alterationListeners;
    }

    public RepositoryDef create(RepositoryRequest request) {
        if (request == null) {
            throw ApiException.badRequest("A repository definition is required");
        }
        if (KeepOnLocal.isReserved(request.name())) {
            throw ApiException.badRequest("Repository name " + KeepOnLocal.REPOSITORY_NAME
                    + " is reserved: a backup to it keeps its snapshots on the storage nodes");
        }
        try {
            RepositoryLayout.validateRepositoryName(request.name());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        if (catalog.repository(request.name()).isPresent()) {
            throw ApiException.conflict("Repository " + request.name() + " already exist");
        }
        URI location = location(request.location());
        StorageType type = location.getScheme().equalsIgnoreCase("file") ? StorageType.FILESYSTEM : StorageType.S3;
        Map<String, String> properties = new HashMap<>();
        if (request.properties() != null) {
            request.properties().forEach((key, value) -> {
                if (!PROPERTIES.contains(key)) {
                    throw ApiException.badRequest("Unknown repository property '" + key + "'; allowed: " + PROPERTIES
                            + " (secrets go to the credentials file, named by credentialRef)");
                }
                properties.put(key, value);
            });
        }
        if (type == StorageType.FILESYSTEM && !properties.isEmpty()) {
            throw ApiException.badRequest("A file:// repository takes no properties, got " + properties.keySet());
        }
        RepositoryRef ref = RepositoryRef.newBuilder()
                .setRepoId(0)
                .setName(request.name())
                .setStorageType(type)
                .setLocation(location.toString())
                .setProperties(properties)
                .setCredentialRef(request.credentialRef())
                .setReadOnly(Boolean.TRUE.equals(request.readOnly()))
                .setRevision(0)
                .build();
        Instant now = Instant.now();
        try (RepositoryStorage storage = openChecked(ref)) {
            if (ref.getReadOnly()) {
                RepositoryInfo.read(storage, request.name());
            } else {
                RepositoryInfo.writeIfAbsent(storage, request.name(), now, ZoneId.systemDefault());
            }
        } catch (RepositoryException e) {
            throw storageFailure(request.name(), e);
        }
        long id = catalog.nextId();
        RepositoryDef def = new RepositoryDef(RepositoryRef.newBuilder(ref).setRepoId(id).build(), now.toEpochMilli());
        catalog.update(change -> {
            if (catalog.repository(request.name()).isPresent()) {
                throw ApiException.conflict("Repository " + request.name() + " already exist");
            }
            return change.put(CatalogKeys.repository(request.name()), def);
        });
        log.info("created repository {} at {} ({}{})", request.name(), ref.getLocation(), type,
                ref.getReadOnly() ? ", read only" : "");
        return def;
    }

    /**
     * ALTER REPOSITORY (Doris: only an S3 repository's properties; here also its credential reference). The new
     * settings must open the storage and read the repository's info file before anything changes; then the catalog
     * holds them as the next revision and running backup jobs on the repository continue with them.
     */
    public RepositoryDef alter(String name, RepositoryAlteration request) {
        if (request == null) {
            throw ApiException.badRequest("An alteration is required: properties and/or credentialRef");
        }
        RepositoryDef current = require(name);
        RepositoryRef ref = current.getRef();
        refuseUnalterable(ref, request);
        if (ref.getStorageType() != StorageType.S3) {
            throw ApiException.badRequest("Repository " + name + " is a " + ref.getStorageType()
                    + " repository; only an S3 repository's properties and credentialRef can be altered");
        }
        if (request.properties() == null && request.credentialRef() == null) {
            throw ApiException.badRequest("Nothing to alter in repository " + name
                    + ": give properties and/or credentialRef");
        }
        if (request.credentialRef() != null && request.credentialRef().isBlank()) {
            throw ApiException.badRequest("credentialRef must name an entry of the credentials file");
        }
        Map<String, String> properties = new HashMap<>(ref.getProperties());
        if (request.properties() != null) {
            request.properties().forEach((key, value) -> {
                if (!PROPERTIES.contains(key)) {
                    throw ApiException.badRequest("Unknown repository property '" + key + "'; allowed: " + PROPERTIES
                            + " (secrets go to the credentials file, named by credentialRef)");
                }
                if (value == null) {
                    properties.remove(key);
                } else {
                    properties.put(key, value);
                }
            });
        }
        RepositoryRef altered = RepositoryRef.newBuilder(ref)
                .setProperties(properties)
                .setCredentialRef(request.credentialRef() == null ? ref.getCredentialRef() : request.credentialRef())
                .setRevision(ref.getRevision() + 1)
                .build();
        try (RepositoryStorage storage = openChecked(altered)) {
            if (RepositoryInfo.read(storage, name).isEmpty()) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "REPOSITORY_NOT_FOUND", "Repository " + name
                        + ": with the new settings " + ref.getLocation() + " shows no "
                        + RepositoryLayout.repoInfoPath(name) + "; nothing was altered");
            }
        } catch (RepositoryException e) {
            throw storageFailure(name, e);
        }
        RepositoryDef def = new RepositoryDef(altered, current.getCreatedAtMs());
        catalog.update(change -> {
            if (!require(name).getRef().equals(ref)) {
                throw new ApiException(HttpStatus.CONFLICT, "CONCURRENT_CHANGE", "Repository " + name
                        + " was altered or re-created meanwhile; nothing was altered, try again");
            }
            return change.put(CatalogKeys.repository(name), def);
        });
        log.info("altered repository {} to revision {}: properties {}, credential ref {}", name,
                altered.getRevision(), properties.keySet(), altered.getCredentialRef());
        alterationListeners.orderedStream().forEach(listener -> {
            try {
                listener.repositoryAltered(altered);
            } catch (RuntimeException e) {
                // The catalog has the new revision; the jobs take it again when the job-service restarts.
                log.warn("repository {} revision {}: informing {} failed: {}", name, altered.getRevision(),
                        listener.getClass().getSimpleName(), e.toString());
            }
        });
        return def;
    }

    private static void refuseUnalterable(RepositoryRef ref, RepositoryAlteration request) {
        String name = ref.getName();
        if (request.name() != null && !request.name().equals(name)) {
            throw ApiException.badRequest("A repository's name cannot be altered (" + name + "); create another"
                    + " repository instead");
        }
        if (request.storageType() != null && !request.storageType().equalsIgnoreCase(ref.getStorageType().name())) {
            throw ApiException.badRequest("Repository " + name + ": the storage type cannot be altered (it is "
                    + ref.getStorageType() + ")");
        }
        if (request.location() != null && !request.location().trim().equals(ref.getLocation())) {
            throw ApiException.badRequest("Repository " + name + ": the location cannot be altered (it is "
                    + ref.getLocation() + "); create another repository for " + request.location().trim());
        }
        if (request.readOnly() != null && request.readOnly() != ref.getReadOnly()) {
            throw ApiException.badRequest("Repository " + name + ": read-only cannot be altered (it is "
                    + ref.getReadOnly() + ")");
        }
    }

    public RepositoryDef require(String name) {
        return catalog.repository(name).orElseThrow(() -> ApiException.notFound("UNKNOWN_REPOSITORY",
                "Repository " + name + " does not exist"));
    }

    /** Removes the repository from the catalog; its files stay. */
    public void drop(String name) {
        catalog.update(change -> {
            require(name);
            return change.delete(CatalogKeys.repository(name));
        });
        log.info("dropped repository {} (its files stay)", name);
    }

    /** The snapshots ({@code __ss_<label>} dirs) and their job info files, sorted by label. */
    public List<SnapshotEntry> snapshots(String name) {
        RepositoryDef repository = require(name);
        try (RepositoryStorage storage = openChecked(repository.getRef())) {
            return snapshots(storage, name);
        } catch (RepositoryException e) {
            throw storageFailure(name, e);
        }
    }

    /**
     * Runs {@code body} on the open storage of repository {@code name}; 404 for an unknown repository, a storage
     * failure as Repository name: why (502 for an I/O failure, 400 otherwise).
     */
    public <T> T withStorage(String name, java.util.function.Function<RepositoryStorage, T> body) {
        RepositoryDef repository = require(name);
        try (RepositoryStorage storage = openChecked(repository.getRef())) {
            return body.apply(storage);
        } catch (RepositoryException e) {
            throw storageFailure(name, e);
        }
    }

    /**
     * Deletes the snapshot {@code label} of repository {@code name}: its job info files first, so from then on it is
     * no finished snapshot (no restore starts from it, no backup reuses its files), then the rest of its dir. A delete
     * that stopped half-way leaves a label without job info, which the same delete finishes. Returns the backup
     * timestamps the label held (none for such a leftover); 404 when there is no such label, 409 for a read-only
     * repository. Other snapshots lose nothing: each label holds its own files (links or copies).
     */
    public List<String> deleteSnapshot(String name, String label) {
        RepositoryDef repository = require(name);
        if (repository.getRef().getReadOnly()) {
            throw ApiException.conflict("Repository " + name + " is read only");
        }
        try (RepositoryStorage storage = openChecked(repository.getRef())) {
            String dir = RepositoryLayout.snapshotDir(name, label);
            String labelDir = RepositoryLayout.PREFIX_SNAPSHOT_DIR + label;
            if (!storage.listDirs(RepositoryLayout.repoDir(name)).contains(labelDir)) {
                throw ApiException.notFound("UNKNOWN_SNAPSHOT", "Snapshot " + label + " does not exist in repository "
                        + name);
            }
            List<String> timestamps = new ArrayList<>();
            for (String file : storage.list(dir).keySet()) {
                Optional<ChecksummedName> parsed = RepositoryLayout.parseChecksummed(file);
                if (file.startsWith(RepositoryLayout.PREFIX_JOB_INFO) && parsed.isPresent()) {
                    storage.delete(dir + "/" + file);
                    timestamps.add(parsed.get().name().substring(RepositoryLayout.PREFIX_JOB_INFO.length()));
                }
            }
            storage.deleteRecursively(dir);
            log.info("repository {}: deleted snapshot {} (backups {})", name, label, timestamps);
            return timestamps;
        } catch (RepositoryException e) {
            throw storageFailure(name, e);
        }
    }

    /**
     * The snapshots in the open {@code storage} of repository {@code name}: one listing of its root and one of each
     * label's dir (a label without a job info file is a backup that did not finish, or a delete that did not).
     */
    public static List<SnapshotEntry> snapshots(RepositoryStorage storage, String name) {
        String root = RepositoryLayout.repoDir(name);
        List<SnapshotEntry> snapshots = new ArrayList<>();
        for (String dir : storage.listDirs(root)) {
            if (!dir.startsWith(RepositoryLayout.PREFIX_SNAPSHOT_DIR)) {
                continue;
            }
            String label = dir.substring(RepositoryLayout.PREFIX_SNAPSHOT_DIR.length());
            List<String> timestamps = new ArrayList<>();
            List<String> files = new ArrayList<>();
            for (String file : storage.list(root + "/" + dir).keySet()) {
                if (!file.startsWith(RepositoryLayout.PREFIX_JOB_INFO)) {
                    continue;
                }
                Optional<ChecksummedName> parsed = RepositoryLayout.parseChecksummed(file);
                if (parsed.isPresent()) {
                    files.add(file);
                    timestamps.add(parsed.get().name().substring(RepositoryLayout.PREFIX_JOB_INFO.length()));
                }
            }
            snapshots.add(new SnapshotEntry(label, timestamps, files));
        }
        return snapshots;
    }

    private RepositoryStorage openChecked(RepositoryRef ref) {
        try {
            return registry.open(ref);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Cannot open repository " + ref.getName() + ": " + e.getMessage());
        }
    }

    private static ApiException storageFailure(String name, RepositoryException e) {
        HttpStatus status = e.kind() == RepositoryException.Kind.IO ? HttpStatus.BAD_GATEWAY : HttpStatus.BAD_REQUEST;
        return new ApiException(status, "REPOSITORY_" + e.kind(), "Repository " + name + ": " + e.getMessage());
    }

    private static URI location(String text) {
        if (text == null || text.isBlank()) {
            throw ApiException.badRequest("A repository needs a location: file:///absolute/dir or s3://bucket/prefix");
        }
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw ApiException.badRequest("Invalid repository location '" + text + "': " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "file" -> {
                if (uri.getPath() == null || !uri.getPath().startsWith("/") || uri.getAuthority() != null) {
                    throw ApiException.badRequest("Invalid repository location '" + text
                            + "': use file:///absolute/dir");
                }
            }
            case "s3" -> {
                if (uri.getHost() == null || uri.getHost().isBlank()) {
                    throw ApiException.badRequest("Invalid repository location '" + text
                            + "': use s3://bucket/prefix");
                }
            }
            default -> throw ApiException.badRequest("Invalid repository location '" + text
                    + "': use file:///absolute/dir or s3://bucket/prefix");
        }
        return uri;
    }
}
