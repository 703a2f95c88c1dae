package io.snapbus.client;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** {@code --wait} (read the job every second) or {@code --watch} (follow its events), on start and show. */
final class WaitOptions {
    @ArgGroup(exclusive = true)
    Choice choice;

    static final class Choice {
        @Option(names = "--wait", description = "Wait until the job is FINISHED, or CANCELLED (exit 5), reading it "
                + "every second; a line on stderr per change.")
        boolean wait;

        @Option(names = "--watch", description = "Follow the job's events live until it is FINISHED, or CANCELLED "
                + "(exit 5): on a terminal a progress bar on stderr (done/total, bytes, rate, ETA, retries), "
                + "else a line per event.")
        boolean watch;
    }

    boolean waits() {
        return choice != null && choice.wait;
    }

    boolean watches() {
        return choice != null && choice.watch;
    }
}
