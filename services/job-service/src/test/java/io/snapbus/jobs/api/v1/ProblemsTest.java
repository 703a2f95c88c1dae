package io.snapbus.jobs.api.v1;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.api.ApiProblem.FieldError;
import io.snapbus.jobs.api.Problems;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** An error code becomes an RFC 9457 problem with a stable type, the type's title and today's message. */
class ProblemsTest {

    @Test
    void aKnownCodeHasItsTypeAndTitle() {
        ProblemDetail problem = Problems.of(HttpStatus.NOT_FOUND, "UNKNOWN_TABLE", "Unknown table 'x'",
                "/api/v1/databases/d/tables/x", List.of());

        assertThat(problem.getType()).isEqualTo(URI.create("urn:snapbus:problem:unknown-table"));
        assertThat(problem.getTitle()).isEqualTo("Unknown table");
        assertThat(problem.getStatus()).isEqualTo(404);
        assertThat(problem.getDetail()).isEqualTo("Unknown table 'x'");
        assertThat(problem.getInstance()).isEqualTo(URI.create("/api/v1/databases/d/tables/x"));
        assertThat(problem.getProperties()).containsEntry("code", "UNKNOWN_TABLE").containsEntry("errors", List.of());
    }

    @Test
    void anInvalidRequestNamesItsFields() {
        List<FieldError> fields = List.of(new FieldError("tables[0].name", "a table needs a name"));

        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "INVALID_REQUEST",
                "tables[0].name: a table needs a name", "/api/v1/databases/d/backups", fields);

        assertThat(problem.getProperties()).containsEntry("errors", fields);
    }

    @Test
    void aCodeThisVersionDoesNotListStillHasAStableTypeAndTheStatusAsTitle() {
        ProblemDetail problem = Problems.of(HttpStatus.BAD_GATEWAY, "REPOSITORY_SOMETHING", "m", "/api/v1/x",
                List.of());

        assertThat(problem.getType()).isEqualTo(URI.create("urn:snapbus:problem:repository-something"));
        assertThat(problem.getTitle()).isEqualTo("Bad Gateway");
    }
}
