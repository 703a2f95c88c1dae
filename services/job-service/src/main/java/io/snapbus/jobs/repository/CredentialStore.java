package io.snapbus.jobs.repository;

import io.snapbus.jobs.JobServiceProperties;
import io.snapbus.repository.RepositorySpec;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import org.springframework.stereotype.Component;

/**
 * Resolves a credential reference to S3 keys from the secret file {@code snapbus.jobs.credentials-file}
 * ({@code <ref>.access_key}, {@code <ref>.secret_key}, optional {@code <ref>.session_token}), read on every lookup so a
 * rotated secret applies at once. Secrets never leave this class except inside {@link RepositorySpec.Credentials}.
 */
@Component
public class CredentialStore {
    private final Path file;

    public CredentialStore(JobServiceProperties properties) {
        this.file = properties.credentialsFile();
    }

    /** The credentials of {@code ref}; IllegalArgumentException (naming the ref, never a secret) when absent. */
    public RepositorySpec.Credentials resolve(String ref) {
        Properties entries = load();
        String access = entries.getProperty(ref + ".access_key");
        String secret = entries.getProperty(ref + ".secret_key");
        if (access == null || secret == null) {
            throw new IllegalArgumentException("credential '" + ref + "' is not defined"
                    + (file == null ? " (no snapbus.jobs.credentials-file is configured)"
                    : ": " + file + " needs " + ref + ".access_key and " + ref + ".secret_key"));
        }
        return new RepositorySpec.Credentials(access.trim(), secret.trim(),
                Optional.ofNullable(entries.getProperty(ref + ".session_token")).map(String::trim).orElse(null));
    }

    private Properties load() {
        Properties entries = new Properties();
        if (file == null || !Files.exists(file)) {
            return entries;
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            entries.load(reader);
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the credentials file " + file, e);
        }
    }
}
