package io.snapbus.repository;

import java.net.URI;

/** A bucket and an optional key prefix, parsed from {@code s3://bucket[/prefix]}; repository paths become keys under the prefix. */
record S3Location(String bucket, String prefix) {

    static S3Location parse(URI location) {
        // The authority, not the host: bucket names with '_' or several dots are not valid host names for java.net.URI.
        String bucket = location.getRawAuthority();
        if (bucket == null || bucket.isEmpty() || location.getRawQuery() != null || location.getRawFragment() != null) {
            throw new IllegalArgumentException("an S3 repository location must look like s3://bucket[/prefix], got " + location);
        }
        String path = location.getPath() == null ? "" : location.getPath();
        String prefix = path.replaceAll("^/+", "").replaceAll("/+$", "");
        if (!prefix.isEmpty()) {
            try {
                RepositoryLayout.requireSafeRelativePath(prefix);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the key prefix of S3 repository location " + location + " is not usable: "
                        + e.getMessage(), e);
            }
        }
        return new S3Location(bucket, prefix);
    }

    /** The object key of a checked relative path ("" is the prefix itself, for listings). */
    String key(String path) {
        if (prefix.isEmpty()) {
            return path;
        }
        return path.isEmpty() ? prefix : prefix + "/" + path;
    }

    /** The listing prefix for the entries directly in a directory. */
    String dirPrefix(String dir) {
        String key = key(dir);
        return key.isEmpty() ? "" : key + "/";
    }

    URI uri() {
        return URI.create(toString());
    }

    @Override
    public String toString() {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }
}
