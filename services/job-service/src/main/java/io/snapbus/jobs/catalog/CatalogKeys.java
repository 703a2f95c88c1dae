package io.snapbus.jobs.catalog;

/** Record keys of the catalog topic. */
public final class CatalogKeys {
    public static final String IDS = "ids";

    private CatalogKeys() {}

    public static String database(long id) {
        return "db/" + id;
    }

    public static String table(long id) {
        return "table/" + id;
    }

    public static String partition(long id) {
        return "partition/" + id;
    }

    public static String tablets(long partitionId, long indexId, int chunk) {
        return "tablets/" + partitionId + "/" + indexId + "/" + chunk;
    }

    public static String view(long id) {
        return "view/" + id;
    }

    public static String odbcTable(long id) {
        return "odbc-table/" + id;
    }

    public static String resource(String name) {
        return "resource/" + name;
    }

    public static String backend(long id) {
        return "backend/" + id;
    }

    public static String repository(String name) {
        return "repository/" + name;
    }

    public static String backupSchedule(String name) {
        return "backup-schedule/" + name;
    }

    public static String retentionPolicy(String name) {
        return "retention-policy/" + name;
    }

    /** A dropped table, partition or database in the recycle bin, by the object's id. */
    public static String recycled(long id) {
        return "recycle-bin/" + id;
    }
}
