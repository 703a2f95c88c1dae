package io.snapbus.jobs.api;

import io.snapbus.api.ApiProblem.FieldError;
import io.snapbus.jobs.backup.BackupRequestException;
import io.snapbus.jobs.catalog.CatalogWriteException;
import io.snapbus.jobs.restore.RestoreRequestException;
import io.snapbus.jobs.task.TaskTimeoutException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolationException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns every failure into a 4xx or 5xx answer with a stable error code: an RFC 9457 problem under {@code /api/v1/}
 * ({@link Problems}), {@code {"error": code, "message": ...}} on the old paths. Messages name the field at fault, echo
 * at most {@value UserInput#ECHOED_CHARS} characters of any input and never show Java internals.
 */
@RestControllerAdvice
public class ApiErrorHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiErrorHandler.class);
    /** The longest message answered; the last guard against a message quoting a huge input whole. */
    static final int MAX_MESSAGE_CHARS = 2000;
    /** The path prefix of the versioned API, whose errors are RFC 9457 problems. */
    static final String V1 = "/api/v1/";
    /** Fields in the order the old paths' messages list them: by their "field: message" text. */
    private static final Comparator<FieldError> FIELD_ORDER = Comparator.comparing(f -> f.field() + ": "
            + f.message());

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Object> api(ApiException e, HttpServletRequest request) {
        if (e.status().is5xxServerError()) {
            log.warn("request failed: {} {}", e.code(), e.getMessage());
        }
        return answer(request, e.status(), e.code(), e.getMessage());
    }

    @ExceptionHandler(BackupRequestException.class)
    ResponseEntity<Object> backupRefused(BackupRequestException e, HttpServletRequest request) {
        HttpStatus status = switch (e.kind()) {
            case INVALID -> HttpStatus.BAD_REQUEST;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case GONE -> HttpStatus.GONE;
            case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
        };
        if (status.is5xxServerError()) {
            log.warn("request failed: {} {}", e.code(), e.getMessage());
        }
        return answer(request, status, e.code(), e.getMessage());
    }

    @ExceptionHandler(RestoreRequestException.class)
    ResponseEntity<Object> restoreRefused(RestoreRequestException e, HttpServletRequest request) {
        HttpStatus status = switch (e.kind()) {
            case INVALID -> HttpStatus.BAD_REQUEST;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
        };
        String code = switch (e.kind()) {
            case INVALID -> "INVALID_REQUEST";
            case NOT_FOUND -> "NOT_FOUND";
            case CONFLICT -> "CONFLICT";
            case UNAVAILABLE -> "UNAVAILABLE";
        };
        if (status.is5xxServerError()) {
            log.warn("request failed: {} {}", code, e.getMessage());
        }
        return answer(request, status, code, e.getMessage());
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<Object> invalid(MethodArgumentNotValidException e, HttpServletRequest request) {
        List<FieldError> fields = e.getBindingResult().getFieldErrors().stream()
                .map(error -> new FieldError(field(error.getField()), error.getDefaultMessage()))
                .distinct().sorted(FIELD_ORDER).toList();
        String message = fields.stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "));
        String global = e.getBindingResult().getGlobalErrors().stream().map(error -> error.getDefaultMessage())
                .sorted().distinct().collect(Collectors.joining("; "));
        String all = message.isEmpty() ? global : global.isEmpty() ? message : global + "; " + message;
        return answer(request, HttpStatus.BAD_REQUEST, "INVALID_REQUEST", all.isEmpty() ? "invalid request" : all,
                fields);
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<Object> violated(ConstraintViolationException e, HttpServletRequest request) {
        List<FieldError> fields = e.getConstraintViolations().stream()
                .map(v -> new FieldError(field(v.getPropertyPath().toString()), v.getMessage())).sorted(FIELD_ORDER)
                .toList();
        String message = fields.stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "));
        return answer(request, HttpStatus.BAD_REQUEST, "INVALID_REQUEST", message, fields);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Object> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        return answer(request, HttpStatus.BAD_REQUEST, "INVALID_REQUEST", RequestBodyProblem.describe(e));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> mismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        Class<?> type = e.getRequiredType();
        String expected = type == Long.class || type == Long.TYPE || type == Integer.class || type == Integer.TYPE
                ? "an integer in " + (type == Integer.class || type == Integer.TYPE
                        ? Integer.MIN_VALUE + ".." + Integer.MAX_VALUE : Long.MIN_VALUE + ".." + Long.MAX_VALUE)
                : "a valid value";
        String message = "'" + e.getName() + "' must be " + expected + ", got '" + UserInput.clip(e.getValue()) + "'";
        return answer(request, HttpStatus.BAD_REQUEST, "INVALID_REQUEST", message,
                List.of(new FieldError(e.getName(), message)));
    }

    @ExceptionHandler(HandlerMethodValidationException.class)
    ResponseEntity<Object> methodValidation(HandlerMethodValidationException e, HttpServletRequest request) {
        List<FieldError> fields = e.getParameterValidationResults().stream()
                .flatMap(result -> result.getResolvableErrors().stream().map(error -> new FieldError(
                        result.getMethodParameter().getParameterName(), error.getDefaultMessage())))
                .sorted(FIELD_ORDER).toList();
        String message = fields.stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "));
        return answer(request, HttpStatus.BAD_REQUEST, "INVALID_REQUEST", message.isEmpty() ? "invalid request"
                : message, fields);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Object> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return answer(request, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE", e.getMessage()
                + "; supported: " + e.getSupportedMediaTypes());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Object> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return answer(request, HttpStatus.METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED", e.getMessage());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<Object> noResource(NoResourceFoundException e, HttpServletRequest request) {
        return answer(request, HttpStatus.NOT_FOUND, "NOT_FOUND", e.getMessage());
    }

    /**
     * Anything else: Spring MVC's other request errors (missing header, not acceptable, ...) keep their status; an
     * unexpected failure answers 500 without its Java details, which go to the log.
     */
    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> other(Exception e, HttpServletRequest request) {
        if (e instanceof ErrorResponse response) {
            HttpStatusCode status = response.getStatusCode();
            String detail = response.getBody().getDetail();
            return answer(request, HttpStatus.valueOf(status.value()), status.is4xxClientError() ? "INVALID_REQUEST"
                    : "INTERNAL_ERROR", detail == null ? "invalid request" : detail);
        }
        log.error("request failed unexpectedly", e);
        return answer(request, HttpStatus.INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", "internal error; see the job-service"
                + " log");
    }

    @ExceptionHandler(TaskTimeoutException.class)
    ResponseEntity<Object> timeout(TaskTimeoutException e, HttpServletRequest request) {
        log.warn("agent tasks timed out: {}", e.getMessage());
        return answer(request, HttpStatus.GATEWAY_TIMEOUT, "TASK_TIMEOUT", e.getMessage());
    }

    @ExceptionHandler(CatalogWriteException.class)
    ResponseEntity<Object> catalogWrite(CatalogWriteException e, HttpServletRequest request) {
        log.error("catalog write failed", e);
        return answer(request, HttpStatus.SERVICE_UNAVAILABLE, "CATALOG_UNAVAILABLE", e.getMessage());
    }

    /** A field path as a message shows it: a map key in it ({@code properties[key]}) is clipped as any input. */
    private static String field(String path) {
        return path.replaceAll("\\[([^\\]]{" + UserInput.ECHOED_CHARS + "})[^\\]]+\\]", "[$1...]");
    }

    private static ResponseEntity<Object> answer(HttpServletRequest request, HttpStatus status, String code,
            String message) {
        return answer(request, status, code, message, List.of());
    }

    /**
     * The answer in the form of the request's API version: an RFC 9457 problem under {@value #V1}, else the old
     * {@code {"error", "message"}} body, unchanged so that no caller of the old paths breaks.
     */
    private static ResponseEntity<Object> answer(HttpServletRequest request, HttpStatus status, String code,
            String message, List<FieldError> fields) {
        String clipped = message != null && message.length() > MAX_MESSAGE_CHARS
                ? message.substring(0, MAX_MESSAGE_CHARS) + "..." : message;
        if (request.getRequestURI().startsWith(V1)) {
            return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(Problems.of(status, code, clipped, request.getRequestURI(), fields));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", clipped);
        return ResponseEntity.status(status).body(body);
    }
}
