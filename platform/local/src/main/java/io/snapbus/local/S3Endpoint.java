package io.snapbus.local;

import java.net.URI;
import java.util.Objects;

/** Where and how to reach the local S3 server: path-style endpoint, region and the static credentials it accepts. */
public record S3Endpoint(URI endpoint, String region, String accessKey, String secretKey) {

    public S3Endpoint {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(accessKey, "accessKey");
        Objects.requireNonNull(secretKey, "secretKey");
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "S3Endpoint[endpoint=" + endpoint + ", region=" + region + ", accessKey=" + accessKey + ", secretKey=***]";
    }
}
