package io.snapbus.api;

/** The bounds request records check before anything runs; Doris's where it has them. */
public final class Limits {
    private Limits() {}

    /** Doris's longest name: 64 characters. */
    public static final int NAME = 64;
    /** The longest value, default value, comment or property value. */
    public static final int VALUE = 4096;
    public static final String NAME_MESSAGE = "at most 64 characters";
    public static final String TYPE_MESSAGE = "a type has at most 64 characters";
    public static final String BOUND_MESSAGE = "a partition bound has at most 64 characters";
    public static final String VALUE_MESSAGE = "at most 4096 characters";
    public static final String NULL_NAME = "a column name must not be null";
}
