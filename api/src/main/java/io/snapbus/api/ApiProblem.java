package io.snapbus.api;

import java.util.List;

/**
 * An RFC 9457 problem as every {@code /api/v1} error answers it ({@code application/problem+json}).
 *
 * @param type     {@code urn:snapbus:problem:<code>}, stable per error (see {@link ProblemType})
 * @param title    a fixed summary of the type
 * @param status   the HTTP status
 * @param detail   what went wrong with this request, in Doris's words where Doris has them
 * @param instance the request path
 * @param code     the error code, such as {@code UNKNOWN_TABLE}
 * @param errors   the fields at fault of an invalid request; empty otherwise
 */
public record ApiProblem(String type, String title, int status, String detail, String instance, String code,
        List<FieldError> errors) {

    /** One invalid field: its path in the request ({@code tables[0].name}, or a query parameter) and why. */
    public record FieldError(String field, String message) {}

    public ApiProblem {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** The known type of this problem; {@link ProblemType#OTHER} when the service is newer than this client. */
    public ProblemType problemType() {
        return ProblemType.ofUri(type);
    }
}
