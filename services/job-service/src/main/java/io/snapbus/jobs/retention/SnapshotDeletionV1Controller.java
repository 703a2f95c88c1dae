package io.snapbus.jobs.retention;

import io.snapbus.api.repository.SnapshotDeleted;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** v1 of deleting a snapshot from its repository. */
@RestController
@RequestMapping("/api/v1/repositories")
@Tag(name = "repositories", description = "Backup repositories and their snapshots")
public class SnapshotDeletionV1Controller {
    private final SnapshotDeletions deletions;

    public SnapshotDeletionV1Controller(SnapshotDeletions deletions) {
        this.deletions = deletions;
    }

    @DeleteMapping("/{name}/snapshots/{label}")
    @Operation(summary = "Deletes a snapshot", description = "Refused (409) while a running backup writes the label"
            + " or a running restore reads it, and for a read-only repository. The job info goes first, so a delete"
            + " that stopped half-way leaves no finished snapshot behind and the same delete finishes it. Other"
            + " snapshots lose nothing. Each deletion is an event on job-events (jobType DELETE).")
    public SnapshotDeleted delete(@PathVariable("name") String name, @PathVariable("label") String label) {
        return deletions.delete(name, label, "user");
    }
}
