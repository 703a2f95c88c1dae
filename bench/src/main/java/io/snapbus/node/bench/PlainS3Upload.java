package io.snapbus.node.bench;

import io.snapbus.repository.Md5;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The S3 baseline: a plain AWS SDK v2 {@link S3Client} (Apache HTTP client, SDK defaults but for path-style
 * addressing and checksums only when required, as the repository's client) that PUTs every file with
 * {@code RequestBody.fromFile} from a fixed pool of threads, one PutObject per file, no Content-MD5. Also what the
 * benchmark uses to make buckets and to list and read them back.
 */
final class PlainS3Upload implements AutoCloseable {

    /** A local file and the key it goes to. */
    record Put(Path file, String key) {}

    private final S3Client s3;

    PlainS3Upload(BenchS3 server) {
        this.s3 = S3Client.builder()
                .region(Region.of(server.region()))
                .endpointOverride(server.endpoint())
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(server.accessKey(), server.secretKey())))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(ApacheHttpClient.builder())
                .build();
    }

    void createBucket(String bucket) {
        s3.createBucket(b -> b.bucket(bucket));
    }

    /** PUTs every file, {@code threads} at once; returns when all are stored, throws the first failure. */
    void putAll(String bucket, List<Put> puts, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>(puts.size());
            for (Put put : puts) {
                futures.add(pool.submit(() -> s3.putObject(PutObjectRequest.builder().bucket(bucket).key(put.key())
                        .build(), RequestBody.fromFile(put.file()))));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Every key under {@code prefix} with its size. */
    Map<String, Long> list(String bucket, String prefix) {
        Map<String, Long> objects = new TreeMap<>();
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
            objects.put(object.key(), object.size());
        }
        return objects;
    }

    /** The md5 of an object's bytes as the server returns them. */
    String md5Of(String bucket, String key) {
        return Md5.of(s3.getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(key).build())
                .asByteArrayUnsafe());
    }

    @Override
    public void close() {
        s3.close();
    }
}
