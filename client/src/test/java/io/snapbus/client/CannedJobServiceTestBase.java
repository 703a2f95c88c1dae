package io.snapbus.client;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Tests that run {@code snapbus} commands against a {@link CannedJobService} (closed after each test). */
abstract class CannedJobServiceTestBase {
    static final JsonMapper MAPPER = JsonMapper.builder().build();

    @TempDir
    Path dir;

    CannedJobService service;

    @BeforeEach
    void startService() throws Exception {
        service = new CannedJobService();
    }

    @AfterEach
    void stopService() {
        service.close();
    }

    /** Runs the command against the canned service (its {@code --server} appended). */
    ClientRun run(String... args) {
        return runWithStdin(null, args);
    }

    ClientRun runWithStdin(String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--server");
        all.add(service.uri().toString());
        return ClientRun.run(new ClientEnvironment(Map.of(), dir, dir), stdin, all.toArray(String[]::new));
    }

    /** The record as the canned service sent it, as a tree to compare with {@code --output json}. */
    static JsonNode sent(Object record) {
        return MAPPER.readTree(MAPPER.writeValueAsString(record));
    }

    /** The run ended with this exit code and this one line (or two) on stderr, nothing on stdout. */
    static void assertFailed(ClientRun run, int exitCode, String stderr) {
        org.assertj.core.api.Assertions.assertThat(run.exitCode()).isEqualTo(exitCode);
        org.assertj.core.api.Assertions.assertThat(run.err().strip()).isEqualTo(stderr);
        org.assertj.core.api.Assertions.assertThat(run.out()).isEmpty();
    }

    static JsonNode body(CannedJobService.Received request) {
        return MAPPER.readTree(request.body());
    }
}
