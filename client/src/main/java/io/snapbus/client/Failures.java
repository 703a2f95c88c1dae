package io.snapbus.client;

import io.snapbus.api.ApiProblem;
import io.snapbus.api.SnapbusApiException;
import java.io.UncheckedIOException;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;
import tools.jackson.core.JacksonException;

/**
 * Turns what went wrong in a command into its exit code and one or two lines on stderr (never a stack trace): the
 * problem's title and detail for an error answer, which job-service could not be reached and how to name another.
 */
final class Failures implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception failure, CommandLine command, ParseResult parsed) {
        command.getErr().println(message(failure, JobServiceOptions.of(command.getCommandSpec())));
        command.getErr().flush();
        return exitCode(failure);
    }

    static int exitCode(Exception failure) {
        if (failure instanceof ClientFailure client) {
            return client.exitCode();
        }
        if (failure instanceof SnapbusApiException api) {
            return switch (api.status()) {
                case 404 -> ExitCode.NOT_FOUND;
                case 400, 409, 422 -> ExitCode.REFUSED;
                default -> ExitCode.FAILED;
            };
        }
        return ExitCode.FAILED;
    }

    static String message(Exception failure, JobServiceOptions options) {
        if (failure instanceof ClientFailure) {
            return failure.getMessage();
        }
        if (failure instanceof SnapbusApiException api) {
            return problem(api.problem());
        }
        if (failure instanceof UncheckedIOException io) {
            return unreadable(io) ? io.getCause().getMessage() : unreachable(io, options.resolvedServer());
        }
        return "error: " + failure;
    }

    /** {@code Title (status): detail}, then the fields at fault of an invalid request. */
    static String problem(ApiProblem problem) {
        String first = problem.title() + " (" + problem.status() + "): " + problem.detail();
        if (problem.errors().isEmpty()) {
            return first;
        }
        return first + System.lineSeparator() + "  " + problem.errors().stream()
                .map(error -> error.field() + ": " + error.message()).collect(Collectors.joining("; "));
    }

    private static String unreachable(UncheckedIOException failure, Server server) {
        String where = server == null ? "the job-service" : "the job-service at " + server.uri() + " (from "
                + server.source() + ")";
        return "cannot reach " + where + ": " + reason(failure.getCause()) + "; " + ServerResolver.HOW_TO_CHOOSE;
    }

    /** The first message down the causes; java.net.http often throws a ConnectException without one. */
    private static String reason(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                return cause.getMessage();
            }
        }
        return failure instanceof java.net.ConnectException ? "connection refused"
                : failure.getClass().getSimpleName();
    }

    private static boolean unreadable(UncheckedIOException failure) {
        for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof JacksonException) {
                return true;
            }
        }
        return false;
    }
}
