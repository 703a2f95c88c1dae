package io.snapbus.repository;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Turns S3 SDK exceptions into {@link RepositoryException}s that say what to do, with every secret scrubbed from the text. */
final class S3Failures {

    private final S3Location location;
    private final Optional<URI> endpoint;
    private final List<String> secrets;

    S3Failures(S3Location location, Optional<URI> endpoint, Optional<RepositorySpec.Credentials> credentials) {
        this.location = location;
        this.endpoint = endpoint;
        this.secrets = credentials.map(c -> c.token().map(t -> List.of(c.secretKey(), t)).orElse(List.of(c.secretKey()))).orElse(List.of());
    }

    RepositoryException map(String action, String path, SdkException e) {
        if (e instanceof S3Exception s3) {
            String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
            String detail = s3.statusCode() + (code == null ? "" : " " + code);
            if (s3.statusCode() == 403) {
                return new RepositoryException(RepositoryException.Kind.ACCESS_DENIED, scrub("repository " + location + " denied " + action
                        + " " + path + " (" + detail + "); check the access key and secret, and that they may use bucket "
                        + location.bucket()), e);
            }
            if ("NoSuchBucket".equals(code)) {
                return new RepositoryException(RepositoryException.Kind.NOT_FOUND, scrub("repository " + location + ": bucket '"
                        + location.bucket() + "' does not exist (" + action + " " + path + "); create it or fix the location"), e);
            }
            if (s3.statusCode() == 404) {
                return new RepositoryException(RepositoryException.Kind.NOT_FOUND, "repository " + location + " has no file " + path, e);
            }
            return new RepositoryException(RepositoryException.Kind.IO, scrub("cannot " + action + " " + path + " in repository "
                    + location + ": " + detail + " " + errorMessage(s3)), e);
        }
        if (e instanceof SdkClientException) {
            return new RepositoryException(RepositoryException.Kind.IO, scrub("cannot " + action + " " + path + " in repository "
                    + location + ": " + e.getMessage() + "; check that the S3 endpoint "
                    + endpoint.map(Object::toString).orElse("(AWS)") + " is reachable"), e);
        }
        return new RepositoryException(RepositoryException.Kind.IO, scrub("cannot " + action + " " + path + " in repository "
                + location + ": " + e.getMessage()), e);
    }

    /** Defence in depth: no S3 error we know of echoes the secret, but a message must never carry it even if one did. */
    String scrub(String message) {
        String result = message;
        for (String secret : secrets) {
            if (!secret.isEmpty()) {
                result = result.replace(secret, "***");
            }
        }
        return result;
    }

    private static String errorMessage(S3Exception e) {
        return e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null ? e.awsErrorDetails().errorMessage() : "";
    }
}
