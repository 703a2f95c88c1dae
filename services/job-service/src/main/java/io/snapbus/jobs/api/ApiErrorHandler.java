package io.snapbus.jobs.api;

import io.snapbus.jobs.backup.BackupRequestException;
import io.snapbus.jobs.catalog.CatalogWriteException;
import io.snapbus.jobs.restore.RestoreRequestException;
import io.snapbus.jobs.task.TaskTimeoutException;
import jakarta.validation.ConstraintViolationException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
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
 * Turns every failure into {@code {"error": code, "message": ...}} with a 4xx or 5xx status. Messages name the field
 * at fault, echo at most {@value UserInput#ECHOED_CHARS} characters of any input and never show Java internals.
 */
@RestControllerAdvice
public class ApiErrorHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiErrorHandler.class);
    /** The longest message answered; the last guard against a message quoting a huge input whole. */
    static final int MAX_MESSAGE_CHARS = 2000;

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Map<String, Object>> api(ApiException e) {
        if (e.status().is5xxServerError()) {
            log.warn("request failed: {} {}", e.code(), e.getMessage());
        }
        return body(e.status(), e.code(), e.getMessage());
    }

    @ExceptionHandler(BackupRequestException.class)
    ResponseEntity<Map<String, Object>> backupRefused(BackupRequestException e) {
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
        return body(status, e.code(), e.getMessage());
    }

    @ExceptionHandler(RestoreRequestException.class)
    ResponseEntity<Map<String, Object>> restoreRefused(RestoreRequestException e) {
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
        return body(status, code, e.getMessage());
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<Map<String, Object>> invalid(MethodArgumentNotValidException e) {
        String message = e.getBindingResult().getFieldErrors().stream()
                .map(error -> field(error.getField()) + ": " + error.getDefaultMessage())
                .sorted().distinct().collect(Collectors.joining("; "));
        String global = e.getBindingResult().getGlobalErrors().stream().map(error -> error.getDefaultMessage())
                .sorted().distinct().collect(Collectors.joining("; "));
        String all = message.isEmpty() ? global : global.isEmpty() ? message : global + "; " + message;
        return body(HttpStatus.BAD_REQUEST, "INVALID_REQUEST", all.isEmpty() ? "invalid request" : all);
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<Map<String, Object>> violated(ConstraintViolationException e) {
        String message = e.getConstraintViolations().stream()
                .map(v -> field(v.getPropertyPath().toString()) + ": " + v.getMessage()).sorted().collect(Collectors.joining("; "));
        return body(HttpStatus.BAD_REQUEST, "INVALID_REQUEST", message);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException e) {
        return body(HttpStatus.BAD_REQUEST, "INVALID_REQUEST", RequestBodyProblem.describe(e));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Map<String, Object>> mismatch(MethodArgumentTypeMismatchException e) {
        Class<?> type = e.getRequiredType();
        String expected = type == Long.class || type == Long.TYPE || type == Integer.class || type == Integer.TYPE
                ? "an integer in " + (type == Integer.class || type == Integer.TYPE
                        ? Integer.MIN_VALUE + ".." + Integer.MAX_VALUE : Long.MIN_VALUE + ".." + Long.MAX_VALUE)
                : "a valid value";
        return body(HttpStatus.BAD_REQUEST, "INVALID_REQUEST", "'" + e.getName() + "' must be " + expected
                + ", got '" + UserInput.clip(e.getValue()) + "'");
    }

    @ExceptionHandler(HandlerMethodValidationException.class)
    ResponseEntity<Map<String, Object>> methodValidation(HandlerMethodValidationException e) {
        String message = e.getParameterValidationResults().stream()
                .flatMap(result -> result.getResolvableErrors().stream().map(error ->
                        result.getMethodParameter().getParameterName() + ": " + error.getDefaultMessage()))
                .sorted().collect(Collectors.joining("; "));
        return body(HttpStatus.BAD_REQUEST, "INVALID_REQUEST", message.isEmpty() ? "invalid request" : message);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Map<String, Object>> mediaType(HttpMediaTypeNotSupportedException e) {
        return body(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE", e.getMessage()
                + "; supported: " + e.getSupportedMediaTypes());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Map<String, Object>> method(HttpRequestMethodNotSupportedException e) {
        return body(HttpStatus.METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED", e.getMessage());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<Map<String, Object>> noResource(NoResourceFoundException e) {
        return body(HttpStatus.NOT_FOUND, "NOT_FOUND", e.getMessage());
    }

    /**
     * Anything else: Spring MVC's other request errors (missing header, not acceptable, ...) keep their status; an
     * unexpected failure answers 500 without its Java details, which go to the log.
     */
    @ExceptionHandler(Exception.class)
    ResponseEntity<Map<String, Object>> other(Exception e) {
        if (e instanceof ErrorResponse response) {
            HttpStatusCode status = response.getStatusCode();
            String detail = response.getBody().getDetail();
            return body(HttpStatus.valueOf(status.value()), status.is4xxClientError() ? "INVALID_REQUEST"
                    : "INTERNAL_ERROR", detail == null ? "invalid request" : detail);
        }
        log.error("request failed unexpectedly", e);
        return body(HttpStatus.INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", "internal error; see the job-service"
                + " log");
    }

    @ExceptionHandler(TaskTimeoutException.class)
    ResponseEntity<Map<String, Object>> timeout(TaskTimeoutException e) {
        log.warn("agent tasks timed out: {}", e.getMessage());
        return body(HttpStatus.GATEWAY_TIMEOUT, "TASK_TIMEOUT", e.getMessage());
    }

    @ExceptionHandler(CatalogWriteException.class)
    ResponseEntity<Map<String, Object>> catalogWrite(CatalogWriteException e) {
        log.error("catalog write failed", e);
        return body(HttpStatus.SERVICE_UNAVAILABLE, "CATALOG_UNAVAILABLE", e.getMessage());
    }

    /** A field path as a message shows it: a map key in it ({@code properties[key]}) is clipped as any input. */
    private static String field(String path) {
        return path.replaceAll("\\[([^\\]]{" + UserInput.ECHOED_CHARS + "})[^\\]]+\\]", "[$1...]");
    }

    private static ResponseEntity<Map<String, Object>> body(HttpStatus status, String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message != null && message.length() > MAX_MESSAGE_CHARS
                ? message.substring(0, MAX_MESSAGE_CHARS) + "..." : message);
        return ResponseEntity.status(status).body(body);
    }
}
