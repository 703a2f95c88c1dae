package io.snapbus.jobs.api;

/** What a message may echo of a user's input: the first 64 characters, so a huge value never comes back whole. */
public final class UserInput {
    /** Characters of one input value a message echoes at most. */
    public static final int ECHOED_CHARS = 64;

    private UserInput() {}

    /** {@code value} as given when short, else its first {@value #ECHOED_CHARS} characters and "...". */
    public static String clip(Object value) {
        String text = String.valueOf(value);
        return text.length() <= ECHOED_CHARS ? text : text.substring(0, ECHOED_CHARS) + "...";
    }
}
