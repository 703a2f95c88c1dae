package io.snapbus.local;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Test helper: the OS processes whose command line marks them as part of the stack in a data folder. */
final class StackProcesses {

    private StackProcesses() {
    }

    static List<ProcessHandle> alive(Path dataDir) {
        String marker = new StackLayout(dataDir).marker();
        return ProcessHandle.allProcesses()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(args -> Arrays.asList(args).contains(marker))
                        .orElseGet(() -> p.info().commandLine().map(line -> line.contains(marker)).orElse(false)))
                .toList();
    }

    static String describe(List<ProcessHandle> processes) {
        return processes.stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList().toString();
    }
}
