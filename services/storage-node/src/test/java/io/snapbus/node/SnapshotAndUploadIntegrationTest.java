package io.snapbus.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.local.S3Endpoint;
import io.snapbus.repository.Md5;
import io.snapbus.repository.RepositoryLayout;
import io.snapbus.testing.SnapbusInfra;
import io.snapbus.testing.SnapbusInfraExtension;
import io.snapbus.thrift.TFinishTaskRequest;
import io.snapbus.thrift.TStatusCode;
import io.snapbus.thrift.TTaskType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

@SnapbusInfra(s3 = true)
class SnapshotAndUploadIntegrationTest {
    private static final long TABLET = 50001L;
    private static final long JOB = 7001L;

    @TempDir
    Path dir;
    private NodeFixture fixture;

    @BeforeEach
    void startNodeWithThreeVersions() throws Exception {
        fixture = new NodeFixture(dir.resolve("node"));
        fixture.createTablet(TABLET);
        fixture.load(TABLET, 2, NodeFixture.rows(0, 500));
        fixture.load(TABLET, 3, NodeFixture.rows(500, 500));
        fixture.load(TABLET, 4, NodeFixture.rows(1000, 500));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void snapshotThenUploadToAFilesystemRepositoryStoresEveryFileUnderItsMd5() throws Exception {
        TFinishTaskRequest snapshot = snapshot(4);
        Path tabletDir = snapshotTabletDir(snapshot);
        String location = dir.resolve("repo").toUri().toString();
        String dest = location + "/" + tabletPath();

        TFinishTaskRequest upload = fixture.run(Tasks.upload(fixture.nextSignature(), JOB, location,
                Map.of(tabletDir.toString(), dest), Map.of()));

        assertThat(upload.getTask_status().getStatus_code()).as("%s", upload.getTask_status())
                .isEqualTo(TStatusCode.OK);
        List<String> expected = withMd5(tabletDir, snapshot.getSnapshot_files());
        assertThat(upload.getTablet_files()).containsOnlyKeys(TABLET);
        assertThat(upload.getTablet_files().get(TABLET)).containsExactlyInAnyOrderElementsOf(expected);
        Path remote = dir.resolve("repo").resolve(tabletPath());
        assertThat(listNames(remote)).containsExactlyInAnyOrderElementsOf(expected);
        for (String name : expected) {
            String md5 = RepositoryLayout.parseChecksummed(name).orElseThrow().md5();
            assertThat(Md5.of(remote.resolve(name))).as(name).isEqualTo(md5);
        }
        assertThat(fixture.agent.progress).as("progress reports").isNotEmpty()
                .allSatisfy(p -> assertThat(p.getTask_id()).isEqualTo(upload.getSignature()));
    }

    @Test
    void snapshotThenUploadToS3StoresEveryFileUnderItsMd5(S3Endpoint s3) throws Exception {
        String bucket = SnapbusInfraExtension.uniqueName("node").toLowerCase();
        try (S3Client client = s3Client(s3)) {
            client.createBucket(b -> b.bucket(bucket));
            TFinishTaskRequest snapshot = snapshot(4);
            Path tabletDir = snapshotTabletDir(snapshot);
            String location = "s3://" + bucket + "/backups";
            Map<String, String> props = Map.of("AWS_ENDPOINT", s3.endpoint().toString(), "AWS_REGION", s3.region(),
                    "AWS_ACCESS_KEY", s3.accessKey(), "AWS_SECRET_KEY", s3.secretKey(), "use_path_style", "true");

            TFinishTaskRequest upload = fixture.run(Tasks.upload(fixture.nextSignature(), JOB, location,
                    Map.of(tabletDir.toString(), location + "/" + tabletPath()), props));

            assertThat(upload.getTask_status().getStatus_code()).as("%s", upload.getTask_status())
                    .isEqualTo(TStatusCode.OK);
            List<String> expected = withMd5(tabletDir, snapshot.getSnapshot_files());
            assertThat(upload.getTablet_files().get(TABLET)).containsExactlyInAnyOrderElementsOf(expected);
            List<String> keys = client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix("backups/"))
                    .contents().stream().map(S3Object::key).toList();
            assertThat(keys).containsExactlyInAnyOrderElementsOf(
                    expected.stream().map(n -> "backups/" + tabletPath() + "/" + n).toList());
            for (String name : expected) {
                byte[] stored = client.getObject(b -> b.bucket(bucket).key("backups/" + tabletPath() + "/" + name),
                        ResponseTransformer.toBytes()).asByteArray();
                Path copy = Files.write(dir.resolve("check-" + name), stored);
                assertThat(Md5.of(copy)).isEqualTo(RepositoryLayout.parseChecksummed(name).orElseThrow().md5());
            }
        }
    }

    @Test
    void anUploadCancelledHalfWayLeavesOnlyWholeFilesAndNoTempFileAndItsResendStoresThemAll() throws Exception {
        fixture.close();
        // One progress report per file and a slow copy, so the cancel lands while files remain; the node restarts on
        // the same data.
        fixture = new NodeFixture(dir.resolve("node"), StorageNodeConfig.defaults(dir.resolve("node")).toBuilder()
                .bePort(0).uploadProgressEveryFiles(1).uploadFileParallelism(1).uploadMaxBytesPerSecond(40_000)
                .build());
        TFinishTaskRequest snapshot = snapshot(4);
        Path tabletDir = snapshotTabletDir(snapshot);
        assertThat(snapshot.getSnapshot_files()).hasSizeGreaterThanOrEqualTo(3);
        String location = dir.resolve("repo").toUri().toString();
        Map<String, String> srcDest = Map.of(tabletDir.toString(), location + "/" + tabletPath());
        long cancelledJob = JOB + 1;
        fixture.agent.cancelJobOnceProgressed(cancelledJob);

        TFinishTaskRequest cancelled = fixture.run(Tasks.upload(fixture.nextSignature(), cancelledJob, location,
                srcDest, Map.of()));

        assertThat(cancelled.getTask_status().getStatus_code()).isEqualTo(TStatusCode.CANCELLED);
        Path remote = dir.resolve("repo").resolve(tabletPath());
        List<String> named = Files.exists(remote) ? listNames(remote) : List.of();
        assertThat(named).as("the cancel came half-way").hasSizeLessThan(snapshot.getSnapshot_files().size());
        for (String name : named) {
            assertThat(Md5.of(remote.resolve(name))).as("a committed file is whole: %s", name)
                    .isEqualTo(RepositoryLayout.parseChecksummed(name).orElseThrow().md5());
        }

        TFinishTaskRequest resent = fixture.run(Tasks.upload(fixture.nextSignature(), JOB, location, srcDest,
                Map.of()));

        assertThat(resent.getTask_status().getStatus_code()).isEqualTo(TStatusCode.OK);
        assertThat(listNames(remote)).containsExactlyInAnyOrderElementsOf(
                withMd5(tabletDir, snapshot.getSnapshot_files()));
    }

    @Test
    void aResentUploadOfAHalfUploadedBatchCopiesOnlyTheMissingFiles() throws Exception {
        TFinishTaskRequest snapshot = snapshot(4);
        Path tabletDir = snapshotTabletDir(snapshot);
        String location = dir.resolve("repo").toUri().toString();
        Map<String, String> srcDest = Map.of(tabletDir.toString(), location + "/" + tabletPath());
        TFinishTaskRequest first = fixture.run(Tasks.upload(fixture.nextSignature(), JOB, location, srcDest,
                Map.of()));
        assertThat(first.getTask_status().getStatus_code()).isEqualTo(TStatusCode.OK);
        Path remote = dir.resolve("repo").resolve(tabletPath());
        List<String> stored = listNames(remote).stream().sorted().toList();
        assertThat(stored).hasSizeGreaterThanOrEqualTo(4);
        List<String> removed = stored.subList(0, stored.size() / 2);
        long missingBytes = 0;
        for (String name : removed) {
            missingBytes += Files.size(remote.resolve(name));
            Files.delete(remote.resolve(name));
        }
        Map<String, Long> keptModified = new HashMap<>();
        for (String name : stored.subList(stored.size() / 2, stored.size())) {
            keptModified.put(name, Files.getLastModifiedTime(remote.resolve(name)).toMillis());
        }

        TFinishTaskRequest resent = fixture.run(Tasks.upload(fixture.nextSignature(), JOB, location, srcDest,
                Map.of()));

        assertThat(resent.getTask_status().getStatus_code()).isEqualTo(TStatusCode.OK);
        assertThat(resent.getCopy_size()).as("bytes copied by the re-sent upload").isEqualTo(missingBytes);
        assertThat(listNames(remote)).containsExactlyInAnyOrderElementsOf(stored);
        keptModified.forEach((name, modified) -> assertThat(lastModified(remote.resolve(name)))
                .as("%s untouched", name).isEqualTo(modified));
        assertThat(resent.getTablet_files().get(TABLET)).containsExactlyInAnyOrderElementsOf(stored);
    }

    @Test
    void releaseDeletesTheSnapshotAndNothingElse() throws Exception {
        TFinishTaskRequest snapshot = snapshot(4);
        Path root = Path.of(snapshot.getSnapshot_path());
        assertThat(root).isDirectory();

        TFinishTaskRequest released = fixture.run(Tasks.release(fixture.nextSignature(),
                snapshot.getSnapshot_path()));

        assertThat(released.getTask_status().getStatus_code()).isEqualTo(TStatusCode.OK);
        assertThat(root).doesNotExist();
        assertThat(fixture.node.store().get(TABLET)).hasValueSatisfying(t -> assertThat(t.version()).isEqualTo(4));
    }

    private TFinishTaskRequest snapshot(long version) throws Exception {
        TFinishTaskRequest finished = fixture.run(Tasks.snapshot(fixture.nextSignature(), TABLET,
                NodeFixture.SCHEMA_HASH, version));
        assertThat(finished.getTask_status().getStatus_code()).as("%s", finished.getTask_status())
                .isEqualTo(TStatusCode.OK);
        assertThat(finished.getTask_type()).isEqualTo(TTaskType.MAKE_SNAPSHOT);
        return finished;
    }

    /** The snapshot's tablet dir, checking the report lists exactly the files in it. */
    private static Path snapshotTabletDir(TFinishTaskRequest snapshot) throws IOException {
        Path tabletDir = Path.of(snapshot.getSnapshot_path()).resolve(Long.toString(TABLET))
                .resolve(Integer.toString(NodeFixture.SCHEMA_HASH));
        assertThat(snapshot.getSnapshot_files()).containsExactlyInAnyOrderElementsOf(listNames(tabletDir));
        return tabletDir;
    }

    private static String tabletPath() {
        return RepositoryLayout.tabletDir("nightly", "snap1", 1001L, 2001L, 3001L, 4001L, TABLET);
    }

    private static List<String> withMd5(Path tabletDir, List<String> files) {
        List<String> names = new ArrayList<>();
        for (String file : files) {
            names.add(RepositoryLayout.withChecksum(file, Md5.of(tabletDir.resolve(file))));
        }
        return names;
    }

    static List<String> listNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static long lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static S3Client s3Client(S3Endpoint s3) {
        return S3Client.builder().endpointOverride(s3.endpoint()).region(Region.of(s3.region()))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
                .build();
    }
}
