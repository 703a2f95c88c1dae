package io.snapbus.client;

/** How a command prints what the job-service answered. */
enum OutputFormat {
    /** Aligned columns (a list) or a line per field (one object), Doris's column names where the record has them. */
    table,
    /** The records as the job-service sent them, one JSON document. */
    json
}
