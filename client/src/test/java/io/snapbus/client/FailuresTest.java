package io.snapbus.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a command prints and exits with when the job-service is not there or fails. */
class FailuresTest extends CannedJobServiceTestBase {

    @Test
    void anUnreachableServerSaysWhichUrlAndHowToNameAnother(@TempDir Path home) throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        ClientRun run = ClientRun.run(new ClientEnvironment(Map.of(), home, home), null, "repo", "list",
                "--server", "http://127.0.0.1:" + closedPort);

        assertFailed(run, ExitCode.FAILED, "cannot reach the job-service at http://127.0.0.1:" + closedPort
                + " (from --server): connection refused; give one with --server URL, the SNAPBUS_SERVER "
                + "environment variable or 'server=URL' in the config file");
    }

    @Test
    void aServerErrorExitsOneWithItsProblem() {
        service.problem("GET", "/repositories", 503, "CATALOG_UNAVAILABLE", "Catalog unavailable",
                "the catalog is still loading");

        ClientRun run = run("repo", "list");

        assertFailed(run, ExitCode.FAILED, "Catalog unavailable (503): the catalog is still loading");
    }

    @Test
    void anInvalidRequestListsTheFieldsAtFault() {
        service.answer("POST", "/databases/demo/backups", 400, "application/problem+json", """
                {"type": "urn:snapbus:problem:invalid-request", "title": "Invalid request", "status": 400,
                 "detail": "the request is invalid", "code": "INVALID_REQUEST",
                 "errors": [{"field": "timeoutSeconds", "message": "timeout must be at least 10 min"}]}""");

        ClientRun run = run("backup", "start", "demo", "nightly", "--repo", "backups", "--on", "orders",
                "--timeout", "5");

        assertThat(run.exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(run.err().lines().toList()).containsExactly(
                "Invalid request (400): the request is invalid",
                "  timeoutSeconds: timeout must be at least 10 min");
    }

    @Test
    void anAnswerThatIsNoJsonIsReportedWithoutAStackTrace() {
        service.answer("GET", "/repositories", 200, "text/html", "<html>proxy</html>");

        ClientRun run = run("repo", "list");

        assertThat(run.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(run.err()).startsWith("unreadable answer of http://127.0.0.1:").doesNotContain("\tat ");
    }

    @Test
    void noServerAnywhereSaysWhereItLooked(@TempDir Path home) {
        ClientRun run = ClientRun.run(home, "db", "list");

        assertThat(run.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(run.err()).startsWith("no job-service given, and no local stack's job-service in [")
                .contains(".snapbus/local/run/endpoints.properties").contains("--server URL");
    }
}
