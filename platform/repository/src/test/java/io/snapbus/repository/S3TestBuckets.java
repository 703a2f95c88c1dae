package io.snapbus.repository;

import java.util.Map;

import io.snapbus.local.S3Endpoint;
import io.snapbus.testing.SnapbusInfraExtension;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;

/** Test helper: a raw client on the harness's s3proxy, fresh buckets, and repository specs that point at them. */
final class S3TestBuckets {

    private S3TestBuckets() {
    }

    static RepositorySpec spec(S3Endpoint s3, String location, Map<String, String> extra) {
        Map<String, String> props = new java.util.HashMap<>(extra);
        props.putIfAbsent("AWS_ENDPOINT", s3.endpoint().toString());
        props.put("AWS_REGION", s3.region());
        props.put("AWS_ACCESS_KEY", s3.accessKey());
        props.putIfAbsent("AWS_SECRET_KEY", s3.secretKey());
        props.put("use_path_style", "true");
        return RepositorySpec.fromDorisProperties(location, props);
    }

    static S3Client rawClient(S3Endpoint s3) {
        RepositorySpec spec = spec(s3, "s3://any", Map.of());
        return S3Settings.from(spec).newClient(spec.credentials());
    }

    static String createBucket(S3Client client) {
        String bucket = SnapbusInfraExtension.uniqueName("bkt");
        client.createBucket(CreateBucketRequest.builder().bucket(bucket).build());
        return bucket;
    }
}
