package io.snapbus.jobs.verify;

import java.util.Locale;

/** How deep a verification looks: the files (presence, size, md5), or also the rows they hold. */
public enum VerifyLevel {
    /** Every file the job info names exists with its recorded size and the md5 its name carries; strays reported. */
    FILES,
    /** FILES, and every tablet's rows read back and compared with the row count and checksum the backup recorded. */
    DATA;

    /** {@code files} or {@code data} (any case); {@code null} means FILES. */
    public static VerifyLevel parse(String text) {
        if (text == null) {
            return FILES;
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "files" -> FILES;
            case "data" -> DATA;
            default -> throw new IllegalArgumentException("Unknown verification level '" + text
                    + "': use \"files\" or \"data\"");
        };
    }
}
