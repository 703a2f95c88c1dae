package io.snapbus.jobs.load;

/** One row of a load: the line it starts on and its values as text in table column order (null for NULL). */
record ParsedRow(int line, String[] values) {}
