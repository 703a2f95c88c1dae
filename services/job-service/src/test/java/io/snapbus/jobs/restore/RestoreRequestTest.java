package io.snapbus.jobs.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapbus.jobs.restore.RestoreRequest.Selection;
import io.snapbus.jobs.restore.shell.SnapshotInfoFileTest;
import io.snapbus.jobs.restore.RestoreRequest.TableRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Doris's checks on a RESTORE's clause, properties and the snapshot it names, each with Doris's message. */
class RestoreRequestTest {
    private static final Map<String, String> TIMESTAMP = Map.of("backup_timestamp", "2024-01-01-00-00-00");

    private static RestoreRequest request(Selection selection, TableRequest... tables) {
        return new RestoreRequest("snap1", "db1", "repo", selection, List.of(tables),
                RestoreOptions.parse(TIMESTAMP, false));
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> properties = new LinkedHashMap<>(TIMESTAMP);
        properties.put(key, value);
        return properties;
    }

    private static void refused(Runnable action, String message) {
        assertThatThrownBy(action::run).isInstanceOf(RestoreRequestException.class).hasMessage(message);
    }

    @Test
    void defaultsAreDorissAndEveryPropertyIsRead() {
        RestoreOptions defaults = RestoreOptions.parse(TIMESTAMP, false);
        assertThat(defaults.timeoutMs()).isEqualTo(86_400_000L);
        assertThat(defaults.replicationNum()).isEqualTo(3);
        assertThat(defaults.replicaAllocationText()).isEqualTo("tag.location.default: 3");
        assertThat(defaults.metaVersion()).isEqualTo(-1);
        assertThat(defaults.atomicRestore() || defaults.allowLoad() || defaults.cleanTables()).isFalse();

        Map<String, String> all = new LinkedHashMap<>(TIMESTAMP);
        all.putAll(Map.of("timeout", "600", "replication_allocation", "tag.location.default: 1, tag.location.b: 2",
                "reserve_replica", "TRUE", "allow_load", "true", "meta_version", "130", "clean_tables", "true",
                "clean_partitions", "true", "atomic_restore", "true", "force_replace", "true",
                "reserve_dynamic_partition_enable", "true"));
        RestoreOptions options = RestoreOptions.parse(all, false);
        assertThat(options.timeoutMs()).isEqualTo(600_000L);
        assertThat(options.replicationNum()).isEqualTo(3);
        assertThat(options.replicaAllocationText()).isEqualTo("tag.location.b: 2, tag.location.default: 1");
        assertThat(options.reserveReplica() && options.allowLoad() && options.cleanTables()
                && options.cleanPartitions() && options.atomicRestore() && options.forceReplace()
                && options.reserveDynamicPartitionEnable()).isTrue();
        assertThat(options.metaVersion()).isEqualTo(130);
        assertThat(RestoreOptions.parse(with("force_replace", "true"), false).forceReplace())
                .as("force_replace counts only with atomic_restore").isFalse();
        assertThat(RestoreOptions.parse(Map.of(), true).backupTimestamp()).isNull();
    }

    @Test
    void refusesBadPropertiesWithDorissMessages() {
        refused(() -> RestoreOptions.parse(Map.of(), false), "Missing backup_timestamp property");
        refused(() -> RestoreOptions.parse(with("timeout", "ten"), false), "Invalid timeout format: ten");
        refused(() -> RestoreOptions.parse(with("timeout", "18446744073713152"), false),
                "Invalid timeout format: 18446744073713152");
        refused(() -> RestoreOptions.parse(with("timeout", "599"), false), "timeout must be at least 10 min");
        refused(() -> RestoreOptions.parse(with("allow_load", "yes"), false),
                "Invalid boolean property allow_load value: yes");
        refused(() -> RestoreOptions.parse(with("meta_version", "x"), false), "Invalid meta version format: x");
        refused(() -> RestoreOptions.parse(with("colour", "red"), false), "Unknown restore job properties: [colour]");
        refused(() -> RestoreOptions.parse(with("backup_timestamp", "2024-01-01"), false),
                "Invalid backup_timestamp format: 2024-01-01, expected yyyy-MM-dd-HH-mm-ss");
        refused(() -> RestoreOptions.parse(with("replication_num", "0"), false),
                "a replica count must be a whole number from 1 to 32767, got '0'");
        refused(() -> RestoreOptions.parse(with("replication_allocation", "default:3"), false),
                "Invalid replication allocation property: default:3");
    }

    @Test
    void refusesABadClauseWithDorissMessages() {
        refused(() -> request(Selection.ON, new TableRequest("db2.t1", List.of(), null)),
                "Cannot specify database name on backup objects: db2.t1. Specify database name before label");
        refused(() -> request(Selection.ON, new TableRequest("t1", List.of(), null),
                new TableRequest("t1", List.of("p1"), null)), "Duplicated table: t1");
        refused(() -> request(Selection.ON, new TableRequest("t1", List.of(), "a"),
                new TableRequest("t2", List.of(), "A")), "Duplicated alias name: A");
        refused(() -> request(Selection.EXCLUDE, new TableRequest("t1", List.of(), "a")),
                "The table alias in exclude clause does not make sense");
    }

    @Test
    void anOnClauseTakesTheNamedTablesPartitionsAndViewsUnderTheirAliases() {
        SnapshotInfo info = SnapshotInfoFileTest.dorisInfo();

        SnapshotSelection selection = SnapshotSelection.of(request(Selection.ON,
                new TableRequest("t1", List.of("p2"), "t1_copy"), new TableRequest("v1", List.of(), null)), info);

        assertThat(selection.tables()).singleElement().satisfies(t -> {
            assertThat(t.targetName()).isEqualTo("t1_copy");
            assertThat(t.partitions()).extracting(SnapshotInfo.Partition::name).containsExactly("p2");
            assertThat(t.whole()).isFalse();
        });
        assertThat(selection.views()).extracting(SnapshotSelection.SelectedObject::targetName).containsExactly("v1");
        assertThat(SnapshotSelection.of(request(Selection.ALL), info).tables().get(0).whole()).isTrue();
        SnapshotSelection excluded = SnapshotSelection.of(request(Selection.EXCLUDE,
                new TableRequest("t1", List.of(), null), new TableRequest("gone", List.of(), null)), info);
        assertThat(excluded.tables()).isEmpty();
        assertThat(excluded.views()).hasSize(1);
    }

    @Test
    void refusesNamesTheSnapshotDoesNotHoldWithDorissMessages() {
        SnapshotInfo info = SnapshotInfoFileTest.dorisInfo();
        refused(() -> SnapshotSelection.of(request(Selection.ON, new TableRequest("t9", List.of(), null)), info),
                "Table t9 does not exist in snapshot snap1");
        refused(() -> SnapshotSelection.of(request(Selection.ON, new TableRequest("t1", List.of("p9"), null)), info),
                "Partition p9 of table t1 does not exist in snapshot");
        refused(() -> SnapshotSelection.of(request(Selection.EXCLUDE, new TableRequest("t1", List.of(), null),
                new TableRequest("v1", List.of(), null)), info), "Nothing to restore: the request leaves no table of "
                        + "snapshot snap1");
    }
}
