package io.snapbus.rows;

/**
 * Text formats a load may send rows in.
 * <ul>
 *   <li>{@code NDJSON}: one JSON object per line, keyed by column name (case ignored); a missing key takes the
 *   column's default value, else NULL; a JSON {@code null} is NULL.</li>
 *   <li>{@code CSV}: comma-separated values in column order with RFC 4180 quoting ({@link CsvRecords}); an unquoted
 *   {@code \N} is NULL, and so is an empty unquoted field of a nullable non-string column.</li>
 * </ul>
 * Blank lines are skipped in both.
 */
public enum LoadFormat { NDJSON, CSV }
