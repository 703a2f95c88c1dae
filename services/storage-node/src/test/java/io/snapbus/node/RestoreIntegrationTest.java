package io.snapbus.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.local.S3Endpoint;
import io.snapbus.repository.RepositoryLayout;
import io.snapbus.testing.SnapbusInfra;
import io.snapbus.testing.SnapbusInfraExtension;
import io.snapbus.thrift.TAgentTaskRequest;
import io.snapbus.thrift.TFinishTaskRequest;
import io.snapbus.thrift.TStatusCode;
import io.snapbus.thrift.TTaskType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Restore on one node, end to end over the agent protocol: a tablet backed up with MAKE_SNAPSHOT + UPLOAD, a new
 * empty replica of another tablet id snapshotted for restore, DOWNLOAD from the repository, MOVE, and the rows read
 * back.
 */
@SnapbusInfra(s3 = true)
class RestoreIntegrationTest {
    private static final long SOURCE = 60001L;
    private static final long TARGET = 60002L;
    private static final long JOB = 8001L;
    private static final int HASH = NodeFixture.SCHEMA_HASH;

    @TempDir
    Path dir;
    private NodeFixture fixture;

    @BeforeEach
    void startNodeWithABackedUpTablet() throws Exception {
        fixture = new NodeFixture(dir.resolve("node"));
        fixture.createTablet(SOURCE);
        fixture.load(SOURCE, 2, NodeFixture.rows(0, 300));
        fixture.load(SOURCE, 3, NodeFixture.rows(300, 300));
        fixture.load(SOURCE, 4, NodeFixture.rows(600, 300));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void aTabletBackedUpToAFilesystemRepositoryIsRestoredIntoANewReplicaWithTheBackupsRowsAndVersion()
            throws Exception {
        String location = dir.resolve("repo").toUri().toString();
        String remote = backUp(location, Map.of());
        Path restoreDir = restoreSnapshot();

        TFinishTaskRequest downloaded = ok(fixture.run(Tasks.download(fixture.nextSignature(), JOB, location,
                Map.of(remote, restoreDir.toString()), Map.of())));

        assertThat(downloaded.getDownloaded_tablet_ids()).containsExactly(TARGET);
        assertThat(names(restoreDir)).contains(TARGET + ".hdr").doesNotContain(SOURCE + ".hdr")
                .containsAll(dataFiles(SOURCE));
        assertThat(fixture.agent.progress).as("download progress reports")
                .anySatisfy(p -> {
                    assertThat(p.getTask_type()).isEqualTo(TTaskType.DOWNLOAD);
                    assertThat(p.getTask_id()).isEqualTo(downloaded.getSignature());
                    assertThat(p.getFinished_num()).isZero();
                });

        TFinishTaskRequest moved = ok(fixture.run(Tasks.move(fixture.nextSignature(), JOB, TARGET, HASH,
                restoreDir.toString(), true)));

        assertRestored(moved);
        fixture.load(TARGET, 5, NodeFixture.rows(5000, 10));
        assertThat(fixture.node.store().meta(TARGET).version()).as("the next version is the backup's + 1").isEqualTo(5);
    }

    @Test
    void aTabletBackedUpToS3IsRestoredIntoANewReplica(S3Endpoint s3) throws Exception {
        String bucket = SnapbusInfraExtension.uniqueName("restore").toLowerCase();
        try (S3Client client = SnapshotAndUploadIntegrationTest.s3Client(s3)) {
            client.createBucket(b -> b.bucket(bucket));
        }
        String location = "s3://" + bucket + "/backups";
        Map<String, String> props = Map.of("AWS_ENDPOINT", s3.endpoint().toString(), "AWS_REGION", s3.region(),
                "AWS_ACCESS_KEY", s3.accessKey(), "AWS_SECRET_KEY", s3.secretKey(), "use_path_style", "true");
        String remote = backUp(location, props);
        Path restoreDir = restoreSnapshot();

        TFinishTaskRequest downloaded = ok(fixture.run(Tasks.download(fixture.nextSignature(), JOB, location,
                Map.of(remote, restoreDir.toString()), props)));
        assertThat(downloaded.getDownloaded_tablet_ids()).containsExactly(TARGET);

        assertRestored(ok(fixture.run(Tasks.move(fixture.nextSignature(), JOB, TARGET, HASH, restoreDir.toString(),
                true))));
    }

    @Test
    void aSecondDownloadFetchesOnlyTheHeaderAndKeepsTheFilesAlreadyThere() throws Exception {
        String location = dir.resolve("repo").toUri().toString();
        String remote = backUp(location, Map.of());
        Path restoreDir = restoreSnapshot();
        ok(fixture.run(Tasks.download(fixture.nextSignature(), JOB, location, Map.of(remote, restoreDir.toString()),
                Map.of())));
        Map<String, Object> inodes = inodes(restoreDir, dataFiles(SOURCE));
        Path stale = Files.write(restoreDir.resolve("0200000000deadbeef_0.dat"), new byte[] {1, 2, 3});

        TFinishTaskRequest again = ok(fixture.run(Tasks.download(fixture.nextSignature(), JOB, location,
                Map.of(remote, restoreDir.toString()), Map.of())));

        assertThat(again.getCopy_size()).as("bytes fetched: the header only")
                .isEqualTo(Files.size(restoreDir.resolve(TARGET + ".hdr")));
        assertThat(inodes(restoreDir, dataFiles(SOURCE))).as("data files untouched").isEqualTo(inodes);
        assertThat(stale).as("a file the repository does not list is deleted").doesNotExist();
    }

    @Test
    void aMoveRepeatedAnswersOkAndChangesNothing() throws Exception {
        String location = dir.resolve("repo").toUri().toString();
        Path restoreDir = restoreSnapshot();
        ok(fixture.run(Tasks.download(fixture.nextSignature(), JOB, location,
                Map.of(backUp(location, Map.of()), restoreDir.toString()), Map.of())));
        ok(fixture.run(Tasks.move(fixture.nextSignature(), JOB, TARGET, HASH, restoreDir.toString(), true)));
        var first = fixture.node.store().meta(TARGET);

        TFinishTaskRequest second = ok(fixture.run(Tasks.move(fixture.nextSignature(), JOB, TARGET, HASH,
                restoreDir.toString(), true)));

        assertThat(fixture.node.store().meta(TARGET)).isEqualTo(first);
        assertThat(second.getFinish_tablet_infos().get(0).getVersion()).isEqualTo(4);
        assertThat(restoreDir.resolve("LOADED")).exists();
    }

    @Test
    void aFlippedByteOrATruncatedFileFailsTheDownloadWithDorisMd5MessageAndTheTabletIsUnchanged() throws Exception {
        String location = dir.resolve("repo").toUri().toString();
        String remote = backUp(location, Map.of());
        Path remoteDir = dir.resolve("repo").resolve(remotePath());
        Path restoreDir = restoreSnapshot();
        var before = fixture.node.store().meta(TARGET);
        Path dat = datFileIn(remoteDir);
        byte[] original = Files.readAllBytes(dat);
        String expectedMd5 = RepositoryLayout.parseChecksummed(dat.getFileName().toString()).orElseThrow().md5();

        byte[] flipped = original.clone();
        flipped[flipped.length / 2] ^= 0x01;
        Files.write(dat, flipped);
        TFinishTaskRequest corrupt = fixture.run(Tasks.download(fixture.nextSignature(), JOB, location,
                Map.of(remote, restoreDir.toString()), Map.of()));
        Files.write(dat, java.util.Arrays.copyOf(original, original.length / 2));
        TFinishTaskRequest truncated = fixture.run(Tasks.download(fixture.nextSignature(), JOB, location,
                Map.of(remote, restoreDir.toString()), Map.of()));

        for (TFinishTaskRequest failed : List.of(corrupt, truncated)) {
            assertThat(failed.getTask_status().getStatus_code()).isEqualTo(TStatusCode.INTERNAL_ERROR);
            assertThat(failed.getTask_status().getError_msgs().get(0)).matches(
                    "\\(127\\.0\\.0\\.1\\)\\[INTERNAL_ERROR\\]invalid md5 of downloaded file: .+, expected: "
                            + expectedMd5 + ", get: [0-9a-f]{32}");
            assertThat(failed.getDownloaded_tablet_ids()).isEmpty();
        }
        assertThat(fixture.node.store().meta(TARGET)).isEqualTo(before);
        assertThat(names(restoreDir)).noneMatch(n -> n.endsWith(".tmp"));
    }

    @Test
    void aCorruptFileInTheSecondTabletOfATaskFailsItButTheFirstTabletIsReportedDownloadedWithTheRepositorysBytes()
            throws Exception {
        String location = dir.resolve("repo").toUri().toString();
        String first = backUp(location, Map.of());
        Path firstDir = dir.resolve("repo").resolve(remotePath());
        long otherBackedUp = SOURCE + 8;
        String secondPath = RepositoryLayout.tabletDir("nightly", "snap1", 1001L, 2001L, 3001L, 4001L, otherBackedUp);
        Path secondDir = dir.resolve("repo").resolve(secondPath);
        Files.createDirectories(secondDir);
        try (Stream<Path> files = Files.list(firstDir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString().replace(SOURCE + ".hdr", otherBackedUp + ".hdr");
                Files.copy(file, secondDir.resolve(name));
            }
        }
        Path corrupt = datFileIn(secondDir);
        byte[] flipped = Files.readAllBytes(corrupt);
        flipped[0] ^= 0x01;
        Files.write(corrupt, flipped);
        long secondTarget = TARGET + 1;
        Path firstRestore = restoreSnapshot();
        Path secondRestore = restoreSnapshot(secondTarget);

        TFinishTaskRequest failed = fixture.run(Tasks.download(fixture.nextSignature(), JOB, location,
                Map.of(first, firstRestore.toString(), location + "/" + secondPath, secondRestore.toString()),
                Map.of()));

        assertThat(failed.getTask_status().getStatus_code()).isEqualTo(TStatusCode.INTERNAL_ERROR);
        assertThat(failed.getTask_status().getError_msgs().get(0)).contains("invalid md5 of downloaded file: ");
        assertThat(failed.getDownloaded_tablet_ids()).as("the tablet completed before the failure")
                .containsExactly(TARGET);
        try (Stream<Path> files = Files.list(firstDir)) {
            for (Path stored : files.toList()) {
                String name = RepositoryLayout.parseChecksummed(stored.getFileName().toString()).orElseThrow().name();
                Path local = firstRestore.resolve(name.endsWith(".hdr") ? TARGET + ".hdr" : name);
                assertThat(Files.readAllBytes(local)).as(local.toString()).isEqualTo(Files.readAllBytes(stored));
            }
        }
        String corruptName = RepositoryLayout.parseChecksummed(corrupt.getFileName().toString()).orElseThrow()
                .name();
        assertThat(names(secondRestore)).as("no file with the wrong bytes under a final name, no temp file")
                .doesNotContain(corruptName).noneMatch(n -> n.endsWith(".tmp"));
    }

    @Test
    void aFileDeletedFromTheRepositoryFailsTheMoveAndTheTabletIsUnchanged() throws Exception {
        String location = dir.resolve("repo").toUri().toString();
        String remote = backUp(location, Map.of());
        Path restoreDir = restoreSnapshot();
        Files.delete(datFileIn(dir.resolve("repo").resolve(remotePath())));
        var before = fixture.node.store().meta(TARGET);
        ok(fixture.run(Tasks.download(fixture.nextSignature(), JOB, location, Map.of(remote, restoreDir.toString()),
                Map.of())));

        TFinishTaskRequest moved = fixture.run(Tasks.move(fixture.nextSignature(), JOB, TARGET, HASH,
                restoreDir.toString(), true));

        assertThat(moved.getTask_status().getStatus_code()).isEqualTo(TStatusCode.INTERNAL_ERROR);
        assertThat(moved.getTask_status().getError_msgs().get(0))
                .contains("failed to convert rowsetids in snapshot: " + restoreDir + ", tablet path: ")
                .contains(", err: file ").contains("is missing");
        assertThat(fixture.node.store().meta(TARGET)).isEqualTo(before);
        assertThat(fixture.node.store().readRows(TARGET)).isEmpty();
    }

    @Test
    void downloadAndMoveRefuseWhatDorisRefusesWithItsMessages() throws Exception {
        String location = dir.resolve("repo").toUri().toString();
        String remote = backUp(location, Map.of());
        Path restoreDir = restoreSnapshot();
        Path missing = restoreDir.resolveSibling("999");

        assertThat(failure(Tasks.download(fixture.nextSignature(), JOB, location,
                Map.of(remote, missing.toString()), Map.of())))
                .endsWith("snapshot path is not directory or does not exist: " + missing);
        String empty = location + "/" + RepositoryLayout.tabletDir("nightly", "snap1", 1001, 2001, 3001, 4001, 777);
        assertThat(failure(Tasks.download(fixture.nextSignature(), JOB, location,
                Map.of(empty, restoreDir.toString()), Map.of())))
                .endsWith("get nothing from remote path: " + empty);
        fixture.agent.cancelJob(JOB + 1);
        TFinishTaskRequest cancelled = fixture.run(Tasks.download(fixture.nextSignature(), JOB + 1, location,
                Map.of(remote, restoreDir.toString()), Map.of()));
        assertThat(cancelled.getTask_status().getStatus_code()).isEqualTo(TStatusCode.CANCELLED);
        assertThat(cancelled.getTask_status().getError_msgs().get(0)).endsWith("]Cancelled");

        assertThat(failure(Tasks.move(fixture.nextSignature(), JOB, TARGET, HASH, restoreDir.toString(), false)))
                .endsWith("only support overwrite now");
        assertThat(failure(Tasks.move(fixture.nextSignature(), JOB, TARGET, HASH, restoreDir.getParent().toString(),
                true))).contains("path does not match. snapshot: ");
        assertThat(failure(Tasks.move(fixture.nextSignature(), JOB, 424242, HASH, restoreDir.toString(), true)))
                .endsWith("Could not find tablet");
    }

    @Test
    void aDiskAtTheFloodStageRefusesTheDownloadWithExceededLimit() throws Exception {
        String location = dir.resolve("repo").toUri().toString();
        String remote = backUp(location, Map.of());
        Path restoreDir = restoreSnapshot();
        restartNodeWith(RestoreSettings.defaults().withFloodStage(0, Long.MAX_VALUE));

        TFinishTaskRequest full = fixture.run(Tasks.download(fixture.nextSignature(), JOB, location,
                Map.of(remote, restoreDir.toString()), Map.of()));

        assertThat(full.getTask_status().getStatus_code()).isEqualTo(TStatusCode.INTERNAL_ERROR);
        assertThat(full.getTask_status().getError_msgs().get(0))
                .matches("\\(127\\.0\\.0\\.1\\)\\[EXCEEDED_LIMIT\\]reach the capacity limit of path .+, file_size=\\d+");
    }

    @Test
    void aJobCancelledWhileItsDownloadRunsStopsTheDownloadBeforeItsLastFileWithDorisCancelled() throws Exception {
        String location = dir.resolve("repo").toUri().toString();
        String remote = backUp(location, Map.of());
        Path restoreDir = restoreSnapshot();
        // One file at a time, a report after each, and 4 KB/s: each file takes about a second, so the CANCEL
        // answered to the first report (sent in the background) is seen while files remain.
        restartNodeWith(new RestoreSettings(1, 1, 1, 4096, 90, 1L << 30, Optional.empty(), 4, 2, true));
        fixture.agent.cancelJobOnceProgressed(JOB + 2);

        TFinishTaskRequest cancelled = fixture.run(Tasks.download(fixture.nextSignature(), JOB + 2, location,
                Map.of(remote, restoreDir.toString()), Map.of()));

        assertThat(cancelled.getTask_status().getStatus_code()).isEqualTo(TStatusCode.CANCELLED);
        assertThat(cancelled.getTask_status().getError_msgs().get(0)).endsWith("]Cancelled");
        var reports = fixture.agent.progress.stream().filter(r -> r.getJob_id() == JOB + 2).toList();
        int total = reports.get(0).getTotal_num();
        assertThat(total).as("files of the tablet").isGreaterThan(2);
        assertThat(reports).allSatisfy(r -> assertThat(r.getFinished_num()).isLessThan(total));
        try (var files = Files.list(restoreDir)) {
            assertThat(files.filter(f -> !f.getFileName().toString().endsWith(".hdr")).count())
                    .as("data files in the restore dir").isLessThan(total - 1);
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** MAKE_SNAPSHOT of SOURCE at version 4 and UPLOAD; returns the remote tablet dir. */
    private String backUp(String location, Map<String, String> props) throws Exception {
        TFinishTaskRequest snapshot = ok(fixture.run(Tasks.snapshot(fixture.nextSignature(), SOURCE, HASH, 4)));
        Path tabletDir = Path.of(snapshot.getSnapshot_path()).resolve(Long.toString(SOURCE))
                .resolve(Integer.toString(HASH));
        String remote = location + "/" + remotePath();
        ok(fixture.run(Tasks.upload(fixture.nextSignature(), JOB, location, Map.of(tabletDir.toString(), remote),
                props)));
        return remote;
    }

    private static String remotePath() {
        return RepositoryLayout.tabletDir("nightly", "snap1", 1001L, 2001L, 3001L, 4001L, SOURCE);
    }

    /** CREATE of the empty TARGET and its restore MAKE_SNAPSHOT (no version: the end version). */
    private Path restoreSnapshot() throws Exception {
        return restoreSnapshot(TARGET);
    }

    private Path restoreSnapshot(long target) throws Exception {
        fixture.createTablet(target);
        TFinishTaskRequest snapshot = ok(fixture.run(Tasks.restoreSnapshot(fixture.nextSignature(), target, HASH)));
        assertThat(snapshot.getSnapshot_files()).containsExactly(target + ".hdr");
        Path restoreDir = Path.of(snapshot.getSnapshot_path()).resolve(Long.toString(target))
                .resolve(Integer.toString(HASH));
        assertThat(restoreDir.getParent().getParent().getParent()).isEqualTo(fixture.node.store().snapshotRoot());
        return restoreDir;
    }

    private void assertRestored(TFinishTaskRequest moved) {
        var meta = fixture.node.store().meta(TARGET);
        var source = fixture.node.store().meta(SOURCE);
        assertThat(meta.version()).isEqualTo(4);
        assertThat(meta.tabletId()).isEqualTo(TARGET);
        assertThat(meta.replicaId()).as("the local replica's identity").isEqualTo(TARGET * 10);
        assertThat(meta.rowCount()).isEqualTo(900);
        assertThat(meta.rowsets()).extracting(r -> r.rowsetId())
                .doesNotContainAnyElementsOf(source.rowsets().stream().map(r -> r.rowsetId()).toList());
        assertThat(rows(TARGET)).isEqualTo(rows(SOURCE));
        assertThat(moved.getFinish_tablet_infos().get(0).getVersion()).isEqualTo(4);
        assertThat(moved.getFinish_tablet_infos().get(0).getRow_count()).isEqualTo(900);
    }

    private List<String> rows(long tabletId) {
        return fixture.node.store().readRows(tabletId).stream().map(GenericRecord::toString).toList();
    }

    private List<String> dataFiles(long tabletId) {
        return fixture.node.store().meta(tabletId).rowsets().stream().flatMap(r -> r.files().stream())
                .map(f -> f.name()).toList();
    }

    private String failure(TAgentTaskRequest task) throws Exception {
        TFinishTaskRequest finished = fixture.run(task);
        assertThat(finished.getTask_status().getStatus_code()).as("%s", finished.getTask_status())
                .isNotEqualTo(TStatusCode.OK);
        return finished.getTask_status().getError_msgs().get(0);
    }

    private static TFinishTaskRequest ok(TFinishTaskRequest finished) {
        assertThat(finished.getTask_status().getStatus_code()).as("%s", finished.getTask_status())
                .isEqualTo(TStatusCode.OK);
        return finished;
    }

    private static Path datFileIn(Path remoteDir) throws Exception {
        try (Stream<Path> files = Files.list(remoteDir)) {
            return files.filter(p -> RepositoryLayout.parseChecksummed(p.getFileName().toString())
                    .filter(c -> c.name().endsWith(".dat")).isPresent()).findFirst().orElseThrow();
        }
    }

    private static List<String> names(Path dir) throws Exception {
        return SnapshotAndUploadIntegrationTest.listNames(dir);
    }

    private static Map<String, Object> inodes(Path dir, List<String> files) throws Exception {
        Map<String, Object> inodes = new java.util.HashMap<>();
        for (String file : files) {
            inodes.put(file, Files.getAttribute(dir.resolve(file), "unix:ino"));
        }
        return inodes;
    }

    /** The node stopped and started again on its data with {@code settings} for restore tasks. */
    private void restartNodeWith(RestoreSettings settings) throws Exception {
        fixture.close();
        fixture = new NodeFixture(dir.resolve("node"), StorageNodeConfig.defaults(dir.resolve("node")).toBuilder()
                .bePort(0).restore(settings).build());
    }
}
