package io.snapbus.jobs.repository;

import io.snapbus.avro.RepositoryDef;
import io.snapbus.avro.RepositoryRef;
import io.snapbus.repository.RepositorySpec;
import io.snapbus.repository.RepositoryStorage;
import io.snapbus.repository.RepositoryStorages;
import java.net.URI;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** Opens a repository's storage with its credentials resolved on this side (topics and jobs carry only the ref). */
@Component
public class RepositoryRegistry {
    private final CredentialStore credentials;

    public RepositoryRegistry(CredentialStore credentials) {
        this.credentials = credentials;
    }

    /** The storage of a repository in the catalog; the caller closes it. */
    public RepositoryStorage open(RepositoryDef repository) {
        return open(repository.getRef());
    }

    /** The storage of a repository reference; the caller closes it. */
    public RepositoryStorage open(RepositoryRef ref) {
        return RepositoryStorages.open(spec(ref));
    }

    /** Location, non-secret properties and resolved credentials of a repository. */
    public RepositorySpec spec(RepositoryRef ref) {
        Optional<RepositorySpec.Credentials> resolved = ref.getCredentialRef() == null ? Optional.empty()
                : Optional.of(credentials.resolve(ref.getCredentialRef()));
        return new RepositorySpec(URI.create(ref.getLocation()), ref.getProperties(), resolved);
    }
}
