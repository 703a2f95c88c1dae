package io.snapbus.jobs.api;

import io.snapbus.api.ApiProblem.FieldError;
import io.snapbus.api.ProblemType;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * An error of the v1 API as an RFC 9457 problem: {@code type} {@code urn:snapbus:problem:<code>}, the type's fixed
 * {@code title}, the {@code status}, today's message as {@code detail}, the request path as {@code instance}, and the
 * extension members {@code code} and {@code errors} (the fields at fault, empty unless the request was invalid).
 */
public final class Problems {
    private Problems() {}

    public static ProblemDetail of(HttpStatus status, String code, String detail, String path,
            List<FieldError> fields) {
        ProblemType type = ProblemType.ofCode(code);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(ProblemType.uriOf(code)));
        problem.setTitle(type == ProblemType.OTHER ? status.getReasonPhrase() : type.title());
        try {
            problem.setInstance(URI.create(path));
        } catch (IllegalArgumentException e) {
            // a path that is no URI (the servlet container let it through): the problem names no instance
        }
        problem.setProperty("code", code);
        problem.setProperty("errors", fields);
        return problem;
    }
}
