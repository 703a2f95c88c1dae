package io.snapbus.cli;

import java.util.concurrent.Callable;

/**
 * A command about a local stack or the demo data, run in this JVM (not one of the job-service's operations): a
 * failure is one line {@code snapbus NAME: message} on stderr and exit 1.
 */
interface LocalCommand extends Callable<Integer> {}
