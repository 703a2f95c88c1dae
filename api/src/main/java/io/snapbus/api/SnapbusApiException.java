package io.snapbus.api;

/** A job-service answered an {@code /api/v1} request with an error; {@link #problem()} says which and why. */
public class SnapbusApiException extends RuntimeException {
    private final ApiProblem problem;

    public SnapbusApiException(ApiProblem problem) {
        super(problem.status() + " " + problem.code() + ": " + problem.detail());
        this.problem = problem;
    }

    public ApiProblem problem() {
        return problem;
    }

    public int status() {
        return problem.status();
    }

    public ProblemType type() {
        return problem.problemType();
    }
}
