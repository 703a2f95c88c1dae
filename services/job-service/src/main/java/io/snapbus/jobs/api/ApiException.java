package io.snapbus.jobs.api;

import org.springframework.http.HttpStatus;

/** A request failed with an HTTP status, a stable error code and a message for the user; nothing was changed. */
public class ApiException extends RuntimeException {
    private final HttpStatus status;
    private final String code;

    public ApiException(HttpStatus status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, "BAD_REQUEST", message);
    }

    public static ApiException notFound(String code, String message) {
        return new ApiException(HttpStatus.NOT_FOUND, code, message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(HttpStatus.CONFLICT, "ALREADY_EXISTS", message);
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }
}
