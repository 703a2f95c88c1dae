package io.snapbus.jobs.restore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What of a snapshot a restore takes: its ON or EXCLUDE clause applied to the job info, with Doris's checks and
 * messages (BackupHandler.restore, doris-restore-facts.md §1.2). Views and ODBC tables named in an ON clause are
 * taken like tables; without a clause everything is.
 *
 * @param tables     the OLAP tables to restore, each with the partitions taken and the name it gets
 * @param views      views taken, by the name they get
 * @param odbcTables ODBC tables taken, by the name they get
 */
public record SnapshotSelection(List<SelectedTable> tables, List<SelectedObject> views,
        List<SelectedObject> odbcTables) {

    /** A snapshot table, the partitions of it taken (in the snapshot's order) and the name it is restored under. */
    public record SelectedTable(SnapshotInfo.Table source, List<SnapshotInfo.Partition> partitions,
            String targetName) {
        public SelectedTable {
            partitions = List.copyOf(partitions);
        }

        /** Whether every partition of the backed-up table is taken. */
        public boolean whole() {
            return partitions.size() == source.partitions().size();
        }
    }

    /** A view or ODBC table taken, and the name it is restored under. */
    public record SelectedObject(SnapshotInfo.NamedObject source, String targetName) {}

    public SnapshotSelection {
        tables = List.copyOf(tables);
        views = List.copyOf(views);
        odbcTables = List.copyOf(odbcTables);
    }

    /** Applies the request's clause to the snapshot, refusing names the snapshot does not hold. */
    public static SnapshotSelection of(RestoreRequest request, SnapshotInfo info) {
        Map<String, RestoreRequest.TableRequest> named = new LinkedHashMap<>();
        request.tables().forEach(t -> named.put(t.name(), t));
        List<SelectedTable> tables = new ArrayList<>();
        List<SelectedObject> views = new ArrayList<>();
        List<SelectedObject> odbc = new ArrayList<>();
        switch (request.selection()) {
            case ALL -> {
                info.tables().values().forEach(t -> tables.add(whole(t, t.name())));
                info.views().forEach(v -> views.add(new SelectedObject(v, v.name())));
                info.odbcTables().forEach(o -> odbc.add(new SelectedObject(o, o.name())));
            }
            case EXCLUDE -> {
                // A name the snapshot does not hold is no error here: excluding it changes nothing (Doris logs it).
                info.tables().values().stream().filter(t -> !named.containsKey(t.name()))
                        .forEach(t -> tables.add(whole(t, t.name())));
                info.views().stream().filter(v -> !named.containsKey(v.name()))
                        .forEach(v -> views.add(new SelectedObject(v, v.name())));
                info.odbcTables().stream().filter(o -> !named.containsKey(o.name()))
                        .forEach(o -> odbc.add(new SelectedObject(o, o.name())));
            }
            case ON -> {
                for (RestoreRequest.TableRequest wanted : named.values()) {
                    SnapshotInfo.Table table = info.tables().get(wanted.name());
                    if (table != null) {
                        tables.add(partitions(table, wanted));
                        continue;
                    }
                    SnapshotInfo.NamedObject view = find(info.views(), wanted.name());
                    SnapshotInfo.NamedObject odbcTable = find(info.odbcTables(), wanted.name());
                    if ((view != null || odbcTable != null) && !wanted.partitions().isEmpty()) {
                        throw RestoreRequestException.invalid("Table " + wanted.name()
                                + " has no partitions: it is a " + (view != null ? "view" : "ODBC table"));
                    }
                    if (view != null) {
                        views.add(new SelectedObject(view, wanted.targetName()));
                    } else if (odbcTable != null) {
                        odbc.add(new SelectedObject(odbcTable, wanted.targetName()));
                    } else {
                        throw RestoreRequestException.notFound("Table " + wanted.name() + " does not exist in snapshot "
                                + info.label());
                    }
                }
            }
        }
        if (tables.isEmpty() && views.isEmpty() && odbc.isEmpty()) {
            throw RestoreRequestException.invalid("Nothing to restore: the request leaves no table of snapshot "
                    + info.label());
        }
        return new SnapshotSelection(tables, views, odbc);
    }

    private static SelectedTable whole(SnapshotInfo.Table table, String targetName) {
        return new SelectedTable(table, List.copyOf(table.partitions().values()), targetName);
    }

    private static SelectedTable partitions(SnapshotInfo.Table table, RestoreRequest.TableRequest wanted) {
        if (wanted.partitions().isEmpty()) {
            return whole(table, wanted.targetName());
        }
        List<SnapshotInfo.Partition> taken = new ArrayList<>();
        for (SnapshotInfo.Partition partition : table.partitions().values()) {
            if (wanted.partitions().contains(partition.name())) {
                taken.add(partition);
            }
        }
        for (String name : wanted.partitions()) {
            if (!table.partitions().containsKey(name)) {
                throw RestoreRequestException.notFound("Partition " + name + " of table " + table.name()
                        + " does not exist in snapshot");
            }
        }
        // Every name is in the snapshot (checked above), so fewer partitions taken than named means one was named twice.
        if (taken.size() != wanted.partitions().size()) {
            throw RestoreRequestException.invalid("Duplicated partition in table " + table.name());
        }
        return new SelectedTable(table, taken, wanted.targetName());
    }

    private static SnapshotInfo.NamedObject find(List<SnapshotInfo.NamedObject> objects, String name) {
        return objects.stream().filter(o -> o.name().equals(name)).findFirst().orElse(null);
    }
}
