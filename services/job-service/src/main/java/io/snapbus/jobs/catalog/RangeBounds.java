package io.snapbus.jobs.catalog;

import io.snapbus.avro.Column;
import io.snapbus.avro.OlapTableDef;
import io.snapbus.avro.PartitionDef;
import io.snapbus.rows.ColumnType;

/** Range partition bounds of a table, compared as values of the partition column's type. */
public final class RangeBounds {
    private final ColumnType type;
    private final String column;

    private RangeBounds(String column, ColumnType type) {
        this.column = column;
        this.type = type;
    }

    /** The bounds of a range-partitioned table, or null when it is unpartitioned. */
    public static RangeBounds of(OlapTableDef table) {
        if (table.getPartitionColumns().isEmpty()) {
            return null;
        }
        String name = table.getPartitionColumns().get(0);
        Column column = table.getColumns().stream().filter(c -> c.getName().equals(name)).findFirst().orElseThrow();
        return new RangeBounds(name, ColumnType.parse(column.getType()));
    }

    public String column() {
        return column;
    }

    public ColumnType type() {
        return type;
    }

    /** Checks a bound's text; the message names the column and the bound. */
    @SuppressWarnings("rawtypes")
    public Comparable bound(String text, String what) {
        try {
            return type.comparable(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("partition " + what + " '" + text + "' of column " + column + ": "
                    + e.getMessage());
        }
    }

    /** Whether [lower, upper) is non-empty. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public boolean nonEmpty(String lower, String upper) {
        if (lower == null || upper == null) {
            return true;
        }
        Comparable l = bound(lower, "lower bound");
        Comparable u = bound(upper, "upper bound");
        return l.compareTo(u) < 0;
    }

    /** Whether two ranges intersect. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public boolean overlaps(String lowerA, String upperA, String lowerB, String upperB) {
        // A starts before B ends, and B starts before A ends.
        return before(lowerA, upperB) && before(lowerB, upperA);
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private boolean before(String lower, String upper) {
        if (lower == null || upper == null) {
            return true;
        }
        Comparable l = type.comparable(lower);
        Comparable u = type.comparable(upper);
        return l.compareTo(u) < 0;
    }

    /** Whether a value (already checked) falls into the partition's range. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public boolean contains(PartitionDef partition, Comparable value) {
        if (partition.getRangeLower() != null && type.comparable(partition.getRangeLower()).compareTo(value) > 0) {
            return false;
        }
        return partition.getRangeUpper() == null || value.compareTo(type.comparable(partition.getRangeUpper())) < 0;
    }
}
