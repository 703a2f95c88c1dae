package io.snapbus.rows;

/**
 * One row of a load, in column order.
 *
 * @param line   the line it starts on, 1-based
 * @param texts  each value's text as loaded ({@code null} for NULL; a left-out NDJSON key has its column's default)
 * @param values the typed values of those texts ({@link ColumnType#value}); {@link RowSchema#canonical} gives their
 *               canonical form
 */
public record ParsedRow(int line, String[] texts, Object[] values) {}
