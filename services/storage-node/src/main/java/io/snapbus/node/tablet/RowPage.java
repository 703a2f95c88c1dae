package io.snapbus.node.tablet;

import io.snapbus.rows.RowSchema;
import java.util.List;

/**
 * A page of a tablet's rows at a version, in version order.
 *
 * @param schema     the columns, in table order, the values are in
 * @param rows       each row's typed values ({@code null} for NULL)
 * @param nextOffset the offset of the row after the page
 * @param end        whether the page holds the tablet's last row
 */
public record RowPage(RowSchema schema, List<Object[]> rows, long nextOffset, boolean end) {}
