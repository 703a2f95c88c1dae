package io.snapbus.client;

import io.snapbus.api.repository.AlterRepositoryRequest;
import io.snapbus.api.repository.CreateRepositoryRequest;
import io.snapbus.api.repository.Repository;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code snapbus repo}: CREATE, ALTER, SHOW and DROP REPOSITORY. */
@Command(name = "repo", description = "Backup repositories: create, alter, list, show, delete.")
final class RepoCommand extends ApiCommand {
    private static final String[] COLUMNS = {"repoId", "name=RepoName", "storageType", "location",
            "readOnly=IsReadOnly", "credentialRef", "revision"};

    @Command(name = "create", description = "CREATE REPOSITORY: a filesystem (file:///abs/path) or S3 "
            + "(s3://bucket/prefix) location.")
    int create(@Parameters(paramLabel = "NAME") String name,
            @Option(names = "--location", required = true, paramLabel = "URI",
                    description = "file:///abs/path or s3://bucket/prefix") String location,
            @Option(names = "--property", paramLabel = "KEY=VALUE",
                    description = "s3.endpoint, s3.region, s3.path_style (repeatable)") Map<String, String> properties,
            @Option(names = "--credential-ref", paramLabel = "REF",
                    description = "An entry of the job-service's credentials file (S3).") String credentialRef,
            @Option(names = "--read-only", description = "Restore from it, never back up to it.") boolean readOnly) {
        Repository created = api().createRepository(new CreateRepositoryRequest(name, location, properties,
                credentialRef, readOnly ? Boolean.TRUE : null));
        return show(created);
    }

    @Command(name = "alter", description = "ALTER REPOSITORY of an S3 repository: its properties and credential "
            + "reference.")
    int alter(@Parameters(paramLabel = "NAME") String name,
            @Option(names = "--property", paramLabel = "KEY=VALUE",
                    description = "Set a property (repeatable).") Map<String, String> properties,
            @Option(names = "--remove-property", paramLabel = "KEY",
                    description = "Remove a property (repeatable).") List<String> removed,
            @Option(names = "--credential-ref", paramLabel = "REF",
                    description = "Replace the credential reference.") String credentialRef) {
        Map<String, String> changes = new LinkedHashMap<>();
        if (properties != null) {
            changes.putAll(properties);
        }
        if (removed != null) {
            removed.forEach(key -> changes.put(key, null));
        }
        Repository altered = api().alterRepository(name, new AlterRepositoryRequest(changes.isEmpty() ? null : changes,
                credentialRef, null, null, null, null));
        return show(altered);
    }

    @Command(name = "list", description = "SHOW REPOSITORIES.")
    int list() {
        List<Repository> repositories = api().repositories();
        return print(repositories, () -> TextTable.of(repositories, COLUMNS).render());
    }

    @Command(name = "show", description = "One repository with its properties (never a secret).")
    int show(@Parameters(paramLabel = "NAME") String name) {
        return show(find(name));
    }

    @Command(name = "delete", description = "DROP REPOSITORY (its files stay where they are).")
    int delete(@Parameters(paramLabel = "NAME") String name) {
        var dropped = api().dropRepository(name);
        return print(dropped, () -> Card.of(dropped).render());
    }

    /** The named repository from SHOW REPOSITORIES (the API has no single-repository read). */
    Repository find(String name) {
        return api().repositories().stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new ClientFailure(ExitCode.NOT_FOUND, "Repository " + name + " does not exist"));
    }

    private int show(Repository repository) {
        return print(repository, () -> Card.of(repository).render());
    }
}
