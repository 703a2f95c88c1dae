package io.snapbus.api.backup;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;

/** A table to back up, with some of its partitions (all of them when absent or empty). */
public record BackupTable(
        @NotBlank(message = "a table needs a name")
        @Size(max = 64, message = "a table name has at most 64 characters") String name,
        List<@NotBlank(message = "there are empty partition name")
             @Size(max = 64, message = "a partition name has at most 64 characters") String> partitions) {}
