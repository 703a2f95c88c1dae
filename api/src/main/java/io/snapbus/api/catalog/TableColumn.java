package io.snapbus.api.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A column of a table or view; {@code aggregation} and {@code defaultValue} are null when none. */
public record TableColumn(String name, String type, @JsonProperty("isKey") boolean isKey, boolean nullable,
        String aggregation, String defaultValue, String comment) {}
