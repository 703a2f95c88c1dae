package io.snapbus.client;

import java.util.LinkedHashMap;
import java.util.Map;

/** The exit codes of every {@code snapbus} command, which scripts may rely on (docs/cli.md). */
public final class ExitCode {
    private ExitCode() {}

    /** The command did what it was asked. */
    public static final int OK = 0;
    /** Anything else: the job-service unreachable or failing (5xx), a verification that FAILED. */
    public static final int FAILED = 1;
    /** The command line is wrong (picocli's usage error): nothing was sent. */
    public static final int USAGE = 2;
    /** A named object does not exist (a 404 problem, or a repository or snapshot the lists do not hold). */
    public static final int NOT_FOUND = 3;
    /** The job-service refused the request and changed nothing (a 400, 409 or 422 problem). */
    public static final int REFUSED = 4;
    /** The job ended CANCELLED (commands that wait for the end of a job). */
    public static final int CANCELLED = 5;

    /** The codes as the help of every command lists them. */
    static Map<String, String> helpSection() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put(OK + "", "ok");
        codes.put(FAILED + "", "anything else: job-service unreachable or failing, verification FAILED");
        codes.put(USAGE + "", "usage error (wrong option or argument); nothing was sent");
        codes.put(NOT_FOUND + "", "not found (database, table, repository, snapshot, job...)");
        codes.put(REFUSED + "", "refused or conflicting (400/409/422): nothing changed");
        codes.put(CANCELLED + "", "the waited-for job ended CANCELLED");
        return codes;
    }
}
