package io.snapbus.api.restore;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;

/** A table of the snapshot, optionally some of its partitions, restored under {@code alias} if given. */
public record RestoreTable(
        @NotBlank(message = "a table needs a name")
        @Size(max = 64, message = "a table name has at most 64 characters") String name,
        List<@NotBlank(message = "there are empty partition name")
             @Size(max = 64, message = "a partition name has at most 64 characters") String> partitions,
        @Size(max = 64, message = "an alias has at most 64 characters") String alias) {}
