package io.snapbus.jobs.engine.shell;

import io.snapbus.avro.TaskFinished;
import io.snapbus.rows.ContentChecksum;
import java.util.HashMap;
import java.util.Map;

/** The per-tablet checksums a node's finish report carries (MAKE_SNAPSHOT, CHECK_CONSISTENCY), by tablet id. */
public final class TaskChecksums {
    private TaskChecksums() {}

    /** Tablet id to its rows and content checksum; empty from a node that does not report them. */
    public static Map<Long, ContentChecksum> of(TaskFinished finished) {
        Map<Long, ContentChecksum> checksums = new HashMap<>();
        if (finished.getTabletChecksums() != null) {
            finished.getTabletChecksums().forEach((tablet, sum) -> checksums.put(Long.parseLong(tablet),
                    new ContentChecksum(sum.getRowCount(), sum.getChecksum())));
        }
        return checksums;
    }
}
