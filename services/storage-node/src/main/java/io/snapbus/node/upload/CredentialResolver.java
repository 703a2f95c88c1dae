package io.snapbus.node.upload;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Resolves a credential reference carried by a task ({@code snapbus.credential_ref} in broker_prop) into the Doris
 * keys AWS_ACCESS_KEY / AWS_SECRET_KEY from the node's own secret file, so secrets need not travel in tasks. A
 * request that already carries the keys (as Doris's FE sends them) is left as it is.
 */
public final class CredentialResolver {
    public static final String REFERENCE_KEY = "snapbus.credential_ref";

    private final Optional<Path> secretsFile;

    public CredentialResolver(Optional<Path> secretsFile) {
        this.secretsFile = secretsFile;
    }

    public Map<String, String> resolve(Map<String, String> brokerProperties) {
        Map<String, String> resolved = new HashMap<>(brokerProperties == null ? Map.of() : brokerProperties);
        String ref = resolved.remove(REFERENCE_KEY);
        if (ref == null || ref.isBlank() || resolved.containsKey("AWS_SECRET_KEY")) {
            return resolved;
        }
        Properties secrets = load();
        String access = secrets.getProperty(ref + ".access_key");
        String secret = secrets.getProperty(ref + ".secret_key");
        if (access == null || secret == null) {
            throw new IllegalArgumentException("credential reference '" + ref + "' is not in the node's credentials"
                    + " file " + secretsFile.map(Path::toString).orElse("(none configured: set"
                    + " snapbus.node.credentials_file)") + "; add " + ref + ".access_key and " + ref + ".secret_key");
        }
        resolved.put("AWS_ACCESS_KEY", access);
        resolved.put("AWS_SECRET_KEY", secret);
        Optional.ofNullable(secrets.getProperty(ref + ".session_token")).ifPresent(t -> resolved.put("AWS_TOKEN", t));
        return resolved;
    }

    private Properties load() {
        Properties secrets = new Properties();
        if (secretsFile.isPresent()) {
            try (Reader in = Files.newBufferedReader(secretsFile.get())) {
                secrets.load(in);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the credentials file " + secretsFile.get() + ": "
                        + e.getMessage(), e);
            }
        }
        return secrets;
    }
}
