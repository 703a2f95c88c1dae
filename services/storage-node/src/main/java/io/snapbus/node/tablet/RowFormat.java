package io.snapbus.node.tablet;

/**
 * Text formats a load may send rows in.
 * <ul>
 *   <li>{@code NDJSON}: one JSON object per line, keyed by column name; a missing key or {@code null} is NULL.</li>
 *   <li>{@code CSV}: comma-separated values in column order with RFC 4180 quoting; an unquoted {@code \N} is
 *   NULL, and so is an empty unquoted field of a non-string column.</li>
 * </ul>
 * Blank lines are skipped in both.
 */
public enum RowFormat { NDJSON, CSV }
