package io.snapbus.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * One figure a benchmark prints: a JSON line with the scenario, metric, value and unit first, then whatever else
 * explains it, in the order given. Decimals are rounded to the places asked for, so the lines stay readable.
 */
public final class Figure {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode line = JSON.createObjectNode();

    private Figure(String scenario, String metric) {
        line.put("scenario", scenario);
        line.put("metric", metric);
    }

    /** A figure whose value is a count or another whole number. */
    public static Figure of(String scenario, String metric, long value, String unit) {
        Figure figure = new Figure(scenario, metric);
        figure.line.put("value", value);
        figure.line.put("unit", unit);
        return figure;
    }

    /** A figure whose value is a measurement, rounded to {@code places} decimals. */
    public static Figure of(String scenario, String metric, double value, int places, String unit) {
        Figure figure = new Figure(scenario, metric);
        figure.with("value", value, places);
        figure.line.put("unit", unit);
        return figure;
    }

    public Figure with(String field, double value, int places) {
        line.put(field, Double.isFinite(value) ? BigDecimal.valueOf(value).setScale(places, RoundingMode.HALF_UP)
                : null);
        return this;
    }

    /** A list of measurements (such as one per round), each rounded to {@code places} decimals. */
    public Figure with(String field, double[] values, int places) {
        ArrayNode array = line.putArray(field);
        for (double value : values) {
            array.add(Double.isFinite(value) ? BigDecimal.valueOf(value).setScale(places, RoundingMode.HALF_UP)
                    : null);
        }
        return this;
    }

    public Figure with(String field, long value) {
        line.put(field, value);
        return this;
    }

    public Figure with(String field, boolean value) {
        line.put(field, value);
        return this;
    }

    public Figure with(String field, String value) {
        line.put(field, value);
        return this;
    }

    /** Another figure nested under {@code field}, such as the baseline a ratio was taken against. */
    public Figure with(String field, Figure nested) {
        ObjectNode inner = nested.line.deepCopy();
        inner.remove("scenario");
        inner.remove("metric");
        line.set(field, inner);
        return this;
    }

    /** Prints the line and flushes, so a reader of a long run sees it at once. */
    public void printTo(PrintStream out) {
        out.println(line);
        out.flush();
    }

    @Override
    public String toString() {
        return line.toString();
    }
}
