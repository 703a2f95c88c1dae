package io.snapbus.jobs.restore;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A restore as the user asked for it: {@code RESTORE SNAPSHOT db.label FROM repo [ON | EXCLUDE] (tbl [PARTITION
 * (...)] [AS alias], ...) PROPERTIES (...)}. The constructor applies Doris's checks on the clause itself; what the
 * snapshot holds is checked by {@link SnapshotSelection}.
 *
 * @param selection ALL (no clause), ON (only the named tables) or EXCLUDE (all but the named tables)
 */
public record RestoreRequest(String label, String dbName, String repositoryName, Selection selection,
        List<TableRequest> tables, RestoreOptions options) {

    /** Which of the snapshot's tables the request takes. */
    public enum Selection { ALL, ON, EXCLUDE }

    /** A table named in the ON or EXCLUDE clause; no partitions means all of them. */
    public record TableRequest(String name, List<String> partitions, String alias) {
        public TableRequest {
            partitions = partitions == null ? List.of() : List.copyOf(partitions);
        }

        /** The name the table is restored under. */
        public String targetName() {
            return alias == null ? name : alias;
        }
    }

    public RestoreRequest {
        tables = tables == null ? List.of() : List.copyOf(tables);
        if (selection == Selection.ALL && !tables.isEmpty()) {
            selection = Selection.ON;
        }
        Set<String> names = new HashSet<>();
        Set<String> targets = new HashSet<>();
        for (TableRequest table : tables) {
            if (table.name().contains(".")) {
                throw RestoreRequestException.invalid("Cannot specify database name on backup objects: "
                        + table.name() + ". Specify database name before label");
            }
            if (selection == Selection.EXCLUDE && table.alias() != null) {
                throw RestoreRequestException.invalid("The table alias in exclude clause does not make sense");
            }
            if (!names.add(table.name())) {
                throw RestoreRequestException.invalid("Duplicated table: " + table.name());
            }
            if (table.alias() != null && !targets.add(table.alias().toLowerCase(Locale.ROOT))) {
                throw RestoreRequestException.invalid("Duplicated alias name: " + table.alias());
            }
        }
    }
}
