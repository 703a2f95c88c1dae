package io.snapbus.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.snapbus.local.S3Endpoint;
import io.snapbus.testing.SnapbusInfra;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The S3 repository against a real s3proxy: the shared contract, plus credentials, prefixes and multipart uploads. */
@SnapbusInfra(s3 = true)
class S3RepositoryIntegrationTest extends RepositoryStorageContract {

    private static final long MIB = 1024 * 1024;

    private final S3Endpoint s3;
    private final S3Client raw;
    private String bucket;

    S3RepositoryIntegrationTest(S3Endpoint s3) {
        this.s3 = s3;
        this.raw = S3TestBuckets.rawClient(s3);
    }

    @Override
    RepositoryStorage openStorage() {
        bucket = S3TestBuckets.createBucket(raw);
        return RepositoryStorages.open(S3TestBuckets.spec(s3, "s3://" + bucket, Map.of()));
    }

    @AfterEach
    void closeRawClient() {
        raw.close();
    }

    @Override
    Set<String> everythingStored() {
        Set<String> keys = new HashSet<>();
        for (S3Object object : raw.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).build()).contents()) {
            keys.add(object.key());
        }
        return keys;
    }

    @Override
    List<String> leftovers() {
        return raw.listMultipartUploads(ListMultipartUploadsRequest.builder().bucket(bucket).build()).uploads().stream()
                .map(MultipartUpload::key).toList();
    }

    @Override
    void plantPartialFile(String path, byte[] content) {
        raw.putObject(PutObjectRequest.builder().bucket(bucket).key(path).build(), RequestBody.fromBytes(content));
    }

    @Test
    void aWrongSecretIsAccessDeniedAndNeverShown() {
        String secret = "definitely-not-the-secret-4711";
        RepositorySpec spec = S3TestBuckets.spec(s3, "s3://" + bucket, Map.of("AWS_SECRET_KEY", secret));
        assertThat(spec.toString()).doesNotContain(secret);
        try (RepositoryStorage wrong = RepositoryStorages.open(spec)) {
            assertRepositoryError(() -> wrong.write("r/x", bytes("x")), RepositoryException.Kind.ACCESS_DENIED)
                    .hasMessageContaining("s3://" + bucket).hasMessageContaining("r/x")
                    .hasMessageContaining("check the access key and secret")
                    .satisfies(e -> assertThat(stackTraceText(e)).doesNotContain(secret));
            assertRepositoryError(() -> wrong.exists("r/x"), RepositoryException.Kind.ACCESS_DENIED)
                    .satisfies(e -> assertThat(stackTraceText(e)).doesNotContain(secret));
            assertRepositoryError(() -> wrong.list("r"), RepositoryException.Kind.ACCESS_DENIED);
        }
        assertThat(everythingStored()).isEmpty();
    }

    @Test
    void aMissingBucketIsNotFoundWithAHint() {
        try (RepositoryStorage missing = RepositoryStorages.open(S3TestBuckets.spec(s3, "s3://no-such-bucket-" + bucket, Map.of()))) {
            assertRepositoryError(() -> missing.write("r/x", bytes("x")), RepositoryException.Kind.NOT_FOUND)
                    .hasMessageContaining("bucket 'no-such-bucket-" + bucket + "' does not exist")
                    .hasMessageContaining("create it or fix the location");
        }
    }

    @Test
    void pathsBecomeKeysUnderTheLocationPrefix() {
        try (RepositoryStorage prefixed = RepositoryStorages.open(S3TestBuckets.spec(s3, "s3://" + bucket + "/backups/prod/", Map.of()))) {
            assertThat(prefixed.location().toString()).isEqualTo("s3://" + bucket + "/backups/prod");
            prefixed.write("__palo_repository_r/__repo_info", bytes("{}"));
            prefixed.write("__palo_repository_r/__ss_a/__meta", bytes("m"));

            assertThat(everythingStored()).containsExactlyInAnyOrder("backups/prod/__palo_repository_r/__repo_info",
                    "backups/prod/__palo_repository_r/__ss_a/__meta");
            assertThat(prefixed.listDirs("")).containsExactly("__palo_repository_r");
            assertThat(prefixed.list("__palo_repository_r")).containsOnlyKeys("__repo_info");
            prefixed.deleteRecursively("__palo_repository_r");
        }
        assertThat(everythingStored()).isEmpty();
    }

    @Test
    void largeFilesGoUpInPartsAndLeaveNoUploadBehind() throws IOException {
        Path file = localFile("big.dat", (int) (12 * MIB));
        try (RepositoryStorage small = RepositoryStorages.open(multipartSpec())) {
            small.upload(file, "r/big.dat");
            String md5 = small.uploadWithChecksum(file, "r/big.dat");

            assertThat(md5).isEqualTo(Md5.of(file));
            assertThat(small.list("r")).containsOnly(Map.entry("big.dat", 12 * MIB), Map.entry("big.dat." + md5, 12 * MIB));
            assertThat(Md5.of(small.read("r/big.dat"))).isEqualTo(md5);
            Path back = local.resolve("back.dat");
            small.download("r/big.dat." + md5, back);
            assertThat(Md5.of(back)).isEqualTo(md5);
            Path hashed = local.resolve("hashed.dat");
            assertThat(small.downloadWithChecksum("r/big.dat." + md5, hashed)).isEqualTo(md5);
            assertThat(hashed).hasSameBinaryContentAs(file);
        }
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aMultipartUploadThatFailsHalfWayIsAborted() throws IOException {
        Path file = localFile("shrinking.dat", (int) (12 * MIB));
        // After the first part went up, the file loses its tail: the second part cannot be read in full.
        try (RepositoryStorage small = S3RepositoryStorage.open(multipartSpec(), part -> {
            if (part == 2) {
                truncate(file, 6 * MIB);
            }
        })) {
            assertRepositoryError(() -> small.upload(file, "r/shrinking.dat"), RepositoryException.Kind.IO)
                    .hasMessageContaining("changed while it was uploaded");
            assertThat(small.exists("r/shrinking.dat")).isFalse();
        }
        assertThat(leftovers()).isEmpty();
        assertThat(everythingStored()).isEmpty();
    }

    @Test
    void aHookFailureDuringAMultipartUploadIsAbortedToo() throws IOException {
        Path file = localFile("big.dat", (int) (11 * MIB));
        try (RepositoryStorage small = S3RepositoryStorage.open(multipartSpec(), part -> {
            if (part == 3) {
                throw new IllegalStateException("simulated crash before part 3");
            }
        })) {
            assertThatThrownBy(() -> small.uploadWithChecksum(file, "r/big.dat"))
                    .hasMessageContaining("simulated crash");
        }
        assertThat(leftovers()).isEmpty();
        assertThat(everythingStored()).isEmpty();
    }

    @Test
    void aDownloadCutOffHalfWayIsAnIoFailureAndRemovesThePartialFile() throws Exception {
        Path file = localFile("cut.dat", (int) (4 * MIB));
        String md5 = storage.uploadWithChecksum(file, DIR + "/cut.dat");
        Path target = local.resolve("restore/cut.dat.download.tmp");
        // The network fails after the headers and the first MiB of the body.
        try (CuttingProxy proxy = new CuttingProxy(s3.endpoint(), MIB);
                RepositoryStorage cut = RepositoryStorages.open(S3TestBuckets.spec(s3, "s3://" + bucket,
                        Map.of("AWS_ENDPOINT", proxy.endpoint().toString())))) {

            assertRepositoryError(() -> cut.downloadWithChecksum(DIR + "/cut.dat." + md5, target), RepositoryException.Kind.IO)
                    .hasMessageContaining("cut.dat." + md5).hasMessageContaining(target.toString());
        }

        assertThat(target).doesNotExist();
        assertThat(localFiles(local.resolve("restore"))).isEmpty();
    }

    private RepositorySpec multipartSpec() {
        return S3TestBuckets.spec(s3, "s3://" + bucket, Map.of(RepositorySpec.S3_MULTIPART_THRESHOLD, String.valueOf(5 * MIB),
                RepositorySpec.S3_PART_SIZE, String.valueOf(5 * MIB)));
    }

    private static void truncate(Path file, long size) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String stackTraceText(Throwable e) {
        var out = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }

    @Test
    void aKnownChecksumThatDoesNotMatchTheBytesIsRefusedByTheServer() throws IOException {
        Path file = Files.write(local.resolve("wrong.dat"), new byte[] {1, 2, 3});

        assertThatThrownBy(() -> storage.uploadWithKnownChecksum(file, DIR + "/wrong.dat",
                "0123456789abcdef0123456789abcdef")).isInstanceOf(RepositoryException.class);

        assertThat(everythingStored()).isEmpty();
    }
}
