package io.snapbus.jobs.catalog;

import io.snapbus.jobs.api.ApiException;
import io.snapbus.jobs.api.UserInput;
import java.util.regex.Pattern;

/** Doris's naming rules for catalog objects, checked before anything is created. */
public final class Names {
    public static final String COMMON_NAME_REGEX = "^[a-zA-Z][a-zA-Z0-9-_]{0,63}$";
    public static final String COLUMN_NAME_REGEX = "^[_a-zA-Z][a-zA-Z0-9_]{0,63}$";
    private static final Pattern COMMON_NAME = Pattern.compile(COMMON_NAME_REGEX);
    private static final Pattern COLUMN_NAME = Pattern.compile(COLUMN_NAME_REGEX);

    private Names() {}

    /** Checks a database, table, view, partition, index or resource name. */
    public static String check(String what, String name) {
        if (name == null || !COMMON_NAME.matcher(name).matches()) {
            throw ApiException.badRequest("Incorrect " + what + " name '" + UserInput.clip(name) + "'. regex: "
                    + COMMON_NAME_REGEX);
        }
        return name;
    }

    public static String checkColumn(String name) {
        if (name == null || !COLUMN_NAME.matcher(name).matches()) {
            throw ApiException.badRequest("Incorrect column name '" + UserInput.clip(name) + "'. regex: "
                    + COLUMN_NAME_REGEX);
        }
        return name;
    }
}
