package io.snapbus.repository;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Pattern;

/** Doris's repository layout; all paths are '/'-separated and RELATIVE to the repository location. */
public final class RepositoryLayout {

    public static final String PREFIX_REPO = "__palo_repository_";
    public static final String PREFIX_SNAPSHOT_DIR = "__ss_";
    public static final String SNAPSHOT_CONTENT_DIR = "__ss_content";
    public static final String PREFIX_DB = "__db_";
    public static final String PREFIX_TBL = "__tbl_";
    public static final String PREFIX_PART = "__part_";
    public static final String PREFIX_IDX = "__idx_";
    public static final String PREFIX_COMMON = "__";
    public static final String PREFIX_JOB_INFO = "__info_";
    public static final String REPO_INFO_FILE = "__repo_info";
    public static final String META_FILE = "__meta";
    /** Names ending in this are partial files (our temp files, a broker's or HDFS's left-overs): never listed, never a target. */
    public static final String SUFFIX_PARTIAL = ".part";

    public static final String LABEL_REGEX = "^[-_A-Za-z0-9:]{1,128}$";
    public static final String REPOSITORY_NAME_REGEX = "^[a-zA-Z][a-zA-Z0-9-_]{0,63}$";
    private static final Pattern LABEL = Pattern.compile(LABEL_REGEX);
    private static final Pattern REPOSITORY_NAME = Pattern.compile(REPOSITORY_NAME_REGEX);
    private static final Pattern MD5_HEX = Pattern.compile("[0-9a-f]{32}");
    /** Doris's DATETIME_FORMAT_WITH_HYPHEN, the job-info timestamp that RESTORE's backup_timestamp must match. */
    private static final DateTimeFormatter JOB_INFO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss");

    private RepositoryLayout() {
    }

    /** {@code __palo_repository_<name>}. */
    public static String repoDir(String repoName) {
        validateRepositoryName(repoName);
        return PREFIX_REPO + repoName;
    }

    /** {@code __palo_repository_<name>/__repo_info}. */
    public static String repoInfoPath(String repoName) {
        return repoDir(repoName) + "/" + REPO_INFO_FILE;
    }

    /** {@code __palo_repository_<name>/__ss_<label>}. */
    public static String snapshotDir(String repoName, String label) {
        validateLabel(label);
        return repoDir(repoName) + "/" + PREFIX_SNAPSHOT_DIR + label;
    }

    /**
     * {@code .../__ss_<label>/__ss_content/__db_<id>/__tbl_<id>/__part_<id>/__idx_<id>/__<tabletId>}: numeric ids, not
     * names, and no schema-hash level, exactly as Doris's {@code getRepoTabletPathBySnapshotInfo}.
     */
    public static String tabletDir(String repoName, String label, long dbId, long tableId, long partitionId, long indexId,
            long tabletId) {
        return snapshotDir(repoName, label) + "/" + SNAPSHOT_CONTENT_DIR
                + "/" + PREFIX_DB + requireId("dbId", dbId)
                + "/" + PREFIX_TBL + requireId("tableId", tableId)
                + "/" + PREFIX_PART + requireId("partitionId", partitionId)
                + "/" + PREFIX_IDX + requireId("indexId", indexId)
                + "/" + PREFIX_COMMON + requireId("tabletId", tabletId);
    }

    /** {@code __info_yyyy-MM-dd-HH-mm-ss} of the job's create time in the coordinator's time zone. */
    public static String jobInfoName(long createTimeMs, ZoneId zone) {
        return PREFIX_JOB_INFO + JOB_INFO_TIME.format(Instant.ofEpochMilli(createTimeMs).atZone(zone));
    }

    /** {@code <name>.<md5>}; the md5 must be 32 lowercase hex characters. */
    public static String withChecksum(String name, String md5Hex) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a checksummed file needs a name, got: " + name);
        }
        if (md5Hex == null || !MD5_HEX.matcher(md5Hex).matches()) {
            throw new IllegalArgumentException("md5 must be 32 lowercase hex characters, got: " + md5Hex);
        }
        return name + "." + md5Hex;
    }

    /**
     * Splits a stored name at its LAST '.', as Doris's {@code decodeFileNameWithChecksum}; empty unless the suffix is
     * exactly 32 lowercase hex characters and a name precedes it (so left-over {@code .part} files are not snapshot files).
     */
    public static Optional<ChecksummedName> parseChecksummed(String fileName) {
        if (fileName == null) {
            return Optional.empty();
        }
        int dot = fileName.lastIndexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        String md5 = fileName.substring(dot + 1);
        if (!MD5_HEX.matcher(md5).matches()) {
            return Optional.empty();
        }
        return Optional.of(new ChecksummedName(fileName.substring(0, dot), md5));
    }

    /** Doris's label rule; a label becomes part of repository and local paths, so it is checked before any job exists. */
    public static void validateLabel(String label) {
        if (label == null || !LABEL.matcher(label).matches()) {
            throw new IllegalArgumentException("Label format error. regex: " + LABEL_REGEX + ", label: " + echo(label));
        }
    }

    /** A user's value as a message echoes it: its first 64 characters and "..." when longer. */
    private static String echo(String value) {
        return value == null || value.length() <= 64 ? value : value.substring(0, 64) + "...";
    }

    /** Doris's common-name rule for repositories. */
    public static void validateRepositoryName(String name) {
        if (name == null || !REPOSITORY_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Repository name format error. regex: " + REPOSITORY_NAME_REGEX + ", name: " + echo(name)
                    + " (start with a letter, then up to 63 letters, digits, '-' or '_')");
        }
    }

    /**
     * Returns the path if it is a relative path that cannot leave the location: no leading '/', no "." or ".." or empty
     * segment, no backslash (a separator on Windows and a trap on S3), no NUL.
     */
    public static String requireSafeRelativePath(String path) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("path must not be empty: '" + path + "'");
        }
        if (path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("path contains a NUL character: '" + path.replace('\0', '?') + "'");
        }
        if (path.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("path contains a backslash: '" + path + "'");
        }
        if (path.startsWith("/")) {
            throw new IllegalArgumentException("path must be relative to the repository location, got the absolute path '" + path + "'");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("path has a '" + segment + "' segment"
                        + (segment.isEmpty() ? " (an empty one: '//' or a trailing '/')" : "") + ": '" + path + "'");
            }
        }
        return path;
    }

    /** Like {@link #requireSafeRelativePath} but also accepts "" for the location itself (for listings only). */
    public static String requireSafeRelativeDir(String dir) {
        return "".equals(dir) ? dir : requireSafeRelativePath(dir);
    }

    /** Whether a file name marks a partial file: ours, or a left-over of Doris's broker/HDFS writers. */
    static boolean isPartial(String name) {
        return name.endsWith(SUFFIX_PARTIAL);
    }

    /** The last segment of a relative path. */
    static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static long requireId(String what, long id) {
        if (id < 0) {
            throw new IllegalArgumentException(what + " must not be negative, got " + id);
        }
        return id;
    }
}
