package io.snapbus.api.catalog;

import static io.snapbus.api.Limits.BOUND_MESSAGE;
import static io.snapbus.api.Limits.NAME;
import static io.snapbus.api.Limits.NAME_MESSAGE;

import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * A range partition {@code [lower, upper)} to create: a null lower bound is MINVALUE, a null upper bound MAXVALUE;
 * {@code buckets} defaults to the table's.
 */
public record PartitionSpec(@Size(max = NAME, message = NAME_MESSAGE) String name,
                            @Size(max = NAME, message = BOUND_MESSAGE) String lower,
                            @Size(max = NAME, message = BOUND_MESSAGE) String upper,
                            Boolean temporary,
                            @Positive(message = "buckets must be positive") Integer buckets) {}
