package io.snapbus.local;

import java.nio.file.Path;

/** One running piece of the local stack, in its own OS process. */
public sealed interface LocalComponent permits ProcessComponent {

    /** {@code kafka}, {@code registry} or {@code s3}: also the name of its log and pid files. */
    String name();

    /** The OS process id. */
    long pid();

    boolean isAlive();

    /** Everything the process printed: {@code <data>/logs/<name>.log}. */
    Path logFile();

    /** SIGTERM, then SIGKILL after the stop timeout; also ends anything the process spawned. Idempotent. */
    void stop();
}
