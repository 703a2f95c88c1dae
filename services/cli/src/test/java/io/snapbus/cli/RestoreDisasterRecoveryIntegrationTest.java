package io.snapbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapbus.local.LocalStackConfig;
import io.snapbus.repository.RepositoryLayout;
import io.snapbus.rows.ContentChecksum;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disaster recovery: a first stack backs the quickstart tables up into a filesystem repository and is gone; a second,
 * empty stack (its own data folder, an empty broker, an empty catalog, backends of new ids) adopts the repository at
 * the same location, lists the snapshot and restores every table from it, row for row and checksum for checksum what
 * the first stack had at the backup.
 */
class RestoreDisasterRecoveryIntegrationTest {
    private static final String DB = QuickstartFlow.DB;
    private static final String REPOSITORY = "dr_repo";
    private static final String LABEL = "before_the_fire";

    @TempDir
    Path dir;

    @Test
    void aSecondEmptyStackRestoresEveryTableTheFirstBackedUp() throws Exception {
        Path repository = dir.resolve("repo");
        Map<String, List<String>> rowsAtBackup = new HashMap<>();
        Map<String, ContentChecksum> checksumsAtBackup = new HashMap<>();
        try (LocalCluster first = start("first")) {
            JobServiceClient api = new JobServiceClient(first.jobServiceUrl());
            QuickstartFlow flow = quiet(api);
            flow.prepare(first.nodes(), 1500);
            flow.createRepository(REPOSITORY, repository);
            JsonNode backup = flow.backup(REPOSITORY, LABEL);
            assertThat(backup.get("state").asText()).as(backup.toString()).isEqualTo("FINISHED");
            for (String table : QuickstartFlow.TABLES) {
                rowsAtBackup.put(table, rows(api, table));
                checksumsAtBackup.put(table, TableChecksums.readBack(api, DB, table));
            }
        }
        assertThat(TableChecksums.recorded(jobInfo(repository))).as("the checksums the backup recorded")
                .isEqualTo(checksumsAtBackup);

        try (LocalCluster second = start("second")) {
            JobServiceClient api = new JobServiceClient(second.jobServiceUrl());
            QuickstartFlow flow = quiet(api);
            assertThat(api.get("/api/databases")).as("an empty catalog").isEmpty();
            for (var node : second.nodes()) {
                api.post("/api/backends", Map.of("host", "127.0.0.1", "bePort", node.port()));
            }
            // CREATE REPOSITORY on a location that holds one adopts it (its __repo_info is read, not written).
            String info = Files.readString(repository.resolve(RepositoryLayout.repoInfoPath(REPOSITORY)));
            flow.createRepository(REPOSITORY, repository);
            assertThat(Files.readString(repository.resolve(RepositoryLayout.repoInfoPath(REPOSITORY))))
                    .isEqualTo(info);
            JsonNode snapshots = api.get("/api/repositories/" + REPOSITORY + "/snapshots");
            assertThat(snapshots.findValuesAsText("label")).containsExactly(LABEL);
            // As in Doris, a restore goes into an existing database: the new stack creates it first.
            api.post("/api/databases", Map.of("name", DB));

            JsonNode job = flow.awaitRestore(flow.startRestore(REPOSITORY, LABEL, List.of(), Map.of()));

            assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("FINISHED");
            assertThat(job.get("replicas").asInt()).isEqualTo(2 * 3 * 4 * 3);
            assertThat(job.get("replicasChecked").asInt()).isEqualTo(job.get("replicas").asInt());
            for (String table : QuickstartFlow.TABLES) {
                assertThat(rows(api, table)).as(table).containsExactlyElementsOf(rowsAtBackup.get(table));
                assertThat(TableChecksums.readBack(api, DB, table)).as(table).isEqualTo(checksumsAtBackup.get(table));
            }
        }
    }

    private LocalCluster start(String name) {
        return LocalCluster.start(LocalStackConfig.builder().dataDir(dir.resolve(name))
                .startupTimeout(Duration.ofSeconds(180)).build(), 3, 1);
    }

    private static QuickstartFlow quiet(JobServiceClient api) {
        return new QuickstartFlow(api, new PrintStream(new ByteArrayOutputStream()));
    }

    private static List<String> rows(JobServiceClient api, String table) {
        String body = api.getText("/api/databases/" + DB + "/tables/" + table + "/rows");
        return Arrays.stream(body.split("\n")).filter(l -> !l.isBlank()).sorted().toList();
    }

    private static JsonNode jobInfo(Path repository) throws Exception {
        Path snapshot = repository.resolve(RepositoryLayout.snapshotDir(REPOSITORY, LABEL));
        try (Stream<Path> files = Files.list(snapshot)) {
            Path info = files.filter(p -> p.getFileName().toString().startsWith(RepositoryLayout.PREFIX_JOB_INFO))
                    .findFirst().orElseThrow();
            return new ObjectMapper().readTree(Files.readString(info));
        }
    }
}
