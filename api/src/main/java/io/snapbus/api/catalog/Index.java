package io.snapbus.api.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** A materialized index of a table: the base index or a rollup, with the columns it stores. */
public record Index(long id, String name, int schemaHash, List<String> columns,
        @JsonProperty("isBase") boolean isBase) {}
