package io.snapbus.jobs.restore.shell;

import io.snapbus.api.repository.SnapshotContent;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * v1 of one backup's content, read as a restore reads its job info; beside the restore's reader, so a job-service
 * without restore (the catalog-only test application) has neither.
 */
@RestController
@RequestMapping("/api/v1/repositories")
@Tag(name = "repositories", description = "Backup repositories and their snapshots")
public class SnapshotV1Controller {
    private final SnapshotContents contents;

    public SnapshotV1Controller(SnapshotContents contents) {
        this.contents = contents;
    }

    @GetMapping("/{name}/snapshots/{label}/{timestamp}")
    @Operation(summary = "What one backup of a snapshot holds",
            description = "Its job info (checked against its md5), as a restore reads it: tables, partitions at their"
                    + " versions, tablets with their files' stored sizes and the rows and checksums the backup"
                    + " recorded. 404 when the repository, label or timestamp is not there.")
    public SnapshotContent content(@PathVariable("name") String name, @PathVariable("label") String label,
            @PathVariable("timestamp") String timestamp) {
        return contents.read(name, label, timestamp);
    }
}
