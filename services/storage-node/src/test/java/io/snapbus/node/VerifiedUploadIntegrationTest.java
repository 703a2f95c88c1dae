package io.snapbus.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.repository.Md5;
import io.snapbus.repository.RepositoryLayout;
import io.snapbus.thrift.TFinishTaskRequest;
import io.snapbus.thrift.TStatusCode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With upload_verify_checksums the node hashes every file itself (Doris's way) and stores the same names. */
class VerifiedUploadIntegrationTest {
    private static final long TABLET = 85001L;

    @TempDir
    Path dir;

    @Test
    void anUploadThatHashesEveryFileStoresEachUnderItsActualMd5() throws Exception {
        StorageNodeConfig config = StorageNodeConfig.defaults(dir.resolve("node")).toBuilder().bePort(0)
                .uploadVerifyChecksums(true).build();
        try (NodeFixture fixture = new NodeFixture(dir.resolve("node"), config)) {
            fixture.createTablet(TABLET);
            fixture.load(TABLET, 2, NodeFixture.rows(0, 300));
            TFinishTaskRequest snapshot = fixture.run(Tasks.snapshot(fixture.nextSignature(), TABLET,
                    NodeFixture.SCHEMA_HASH, 2));
            Path tabletDir = Path.of(snapshot.getSnapshot_path(), Long.toString(TABLET),
                    Integer.toString(NodeFixture.SCHEMA_HASH));
            String location = dir.resolve("repo").toUri().toString();

            TFinishTaskRequest upload = fixture.run(Tasks.upload(fixture.nextSignature(), 1, location,
                    Map.of(tabletDir.toString(), location + "/" + RepositoryLayout.tabletDir("r", "l", 1, 2, 3, 4,
                            TABLET)), Map.of()));

            assertThat(upload.getTask_status().getStatus_code()).isEqualTo(TStatusCode.OK);
            assertThat(upload.getTablet_files().get(TABLET)).containsExactlyInAnyOrderElementsOf(
                    snapshot.getSnapshot_files().stream()
                            .map(f -> RepositoryLayout.withChecksum(f, Md5.of(tabletDir.resolve(f)))).toList());
        }
    }
}
