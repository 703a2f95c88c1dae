package io.snapbus.cli;

import io.snapbus.local.StackServices;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code restart}, {@code stop} and {@code start} of one service of a running stack (job-service, agent-N, node-N,
 * kafka, registry, s3), on its data and ports, tracked by the same pid file so {@code status} and {@code down} see
 * it.
 */
final class ServiceCommands {
    private ServiceCommands() {}

    /** What the three commands share: the service named as {@code status} names it, and the stack's folder. */
    abstract static class OnService implements LocalCommand {
        final PrintStream out;

        @Parameters(paramLabel = "SERVICE", description = "As `status` names it: job-service, agent-N, node-N, kafka,"
                + " kafka-N, registry, s3.")
        String service;

        @Mixin
        DataFolder data;

        OnService(PrintStream out) {
            this.out = out;
        }

        StackServices services() {
            return StackServices.in(data.orDefault(StackCommands.STACK_NAME));
        }

        /** {@code <verb> agent-1: pid 123, port 456}. */
        int started(String verb, StackServices.Started started) {
            out.printf("%s %s: pid %d, port %d%n", verb, started.component(), started.pid(), started.port());
            return SnapbusCli.OK;
        }
    }

    /** {@code snapbus restart SERVICE}. */
    @Command(name = "restart", description = "Stop one service of the running stack and start it again on its data "
            + "and ports; `status` and `down` see the new process.")
    static final class Restart extends OnService {
        Restart(PrintStream out) {
            super(out);
        }

        @Override
        public Integer call() {
            return started("restarted", services().restart(service));
        }
    }

    /** {@code snapbus stop SERVICE}. */
    @Command(name = "stop", description = "Stop one service of the running stack.")
    static final class Stop extends OnService {
        Stop(PrintStream out) {
            super(out);
        }

        @Override
        public Integer call() {
            out.println("stopped " + services().stop(service));
            return SnapbusCli.OK;
        }
    }

    /** {@code snapbus start SERVICE}. */
    @Command(name = "start", description = "Start one stopped service of the stack again.")
    static final class Start extends OnService {
        Start(PrintStream out) {
            super(out);
        }

        @Override
        public Integer call() {
            return started("started", services().start(service));
        }
    }
}
