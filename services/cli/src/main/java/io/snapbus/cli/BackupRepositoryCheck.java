package io.snapbus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapbus.repository.Md5;
import io.snapbus.repository.RepositoryLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * File-by-file check of a finished backup in a filesystem repository against the nodes' tablet dirs, shared by the
 * end-to-end tests and the control-plane benchmark: for each checked tablet of the job info, the repository's tablet
 * dir holds exactly the files the job info lists, each file's md5 matches its name, and the rowsets are exactly the
 * chosen replica's rowsets with the same bytes. A mismatch throws {@link IllegalStateException} naming it.
 */
public final class BackupRepositoryCheck {
    private BackupRepositoryCheck() {}

    /** A tablet of a job info file. */
    public record InfoTablet(long tableId, long partitionId, long indexId, long tabletId) {}

    /** Checks of one tablet: the files the job info lists for it and its tablet dir on the chosen replica's node. */
    public interface TabletCheck {
        void check(InfoTablet tablet, List<String> listed, Path source) throws Exception;
    }

    /**
     * Checks every {@code every}-th tablet of the job info (1: all) in the repository and returns how many tablets the
     * job info lists.
     */
    public static int verify(JsonNode info, Path repository, String repositoryName, String label,
            Map<Long, Path> nodeDataDirs, int every) throws Exception {
        int[] seen = {0};
        return forEachTablet(info, nodeDataDirs, (tablet, listed, source) -> {
            if (seen[0]++ % every != 0) {
                return;
            }
            Path remote = repository.resolve(RepositoryLayout.tabletDir(repositoryName, label, info.get("id").asLong(),
                    tablet.tableId(), tablet.partitionId(), tablet.indexId(), tablet.tabletId()));
            require(new HashSet<>(names(remote)).equals(new HashSet<>(listed)) && names(remote).size() == listed.size(),
                    "tablet " + tablet.tabletId() + ": repository holds " + names(remote) + ", job info lists "
                            + listed);
            List<String> rowsets = names(source).stream().filter(n -> n.endsWith(".dat")).toList();
            List<String> uploadedRowsets = new ArrayList<>();
            for (String stored : listed) {
                var name = RepositoryLayout.parseChecksummed(stored).orElseThrow(() -> new IllegalStateException(
                        "tablet " + tablet.tabletId() + ": " + stored + " is not named <file>.<md5>"));
                require(Md5.of(remote.resolve(stored)).equals(name.md5()), stored + ": md5 differs from its name");
                if (name.name().endsWith(".dat")) {
                    uploadedRowsets.add(name.name());
                    require(Md5.of(source.resolve(name.name())).equals(name.md5()), "source of " + stored
                            + " differs");
                }
            }
            require(new HashSet<>(uploadedRowsets).equals(new HashSet<>(rowsets))
                    && uploadedRowsets.size() == rowsets.size(), "rowsets of tablet " + tablet.tabletId()
                            + ": uploaded " + uploadedRowsets + ", node has " + rowsets);
        });
    }

    /** Runs the check for every tablet of the job info; returns how many there were. */
    public static int forEachTablet(JsonNode info, Map<Long, Path> nodeDataDirs, TabletCheck check) throws Exception {
        int tablets = 0;
        for (Iterator<Map.Entry<String, JsonNode>> tables = info.get("backup_objects").fields(); tables.hasNext();) {
            Map.Entry<String, JsonNode> table = tables.next();
            long tableId = table.getValue().get("id").asLong();
            for (Iterator<JsonNode> partitions = table.getValue().get("partitions").elements(); partitions.hasNext();) {
                JsonNode partition = partitions.next();
                for (Iterator<JsonNode> indexes = partition.get("indexes").elements(); indexes.hasNext();) {
                    JsonNode index = indexes.next();
                    for (Iterator<Map.Entry<String, JsonNode>> it = index.get("tablets").fields(); it.hasNext();) {
                        Map.Entry<String, JsonNode> tablet = it.next();
                        long tabletId = Long.parseLong(tablet.getKey());
                        List<String> listed = new ArrayList<>();
                        tablet.getValue().forEach(f -> listed.add(f.asText()));
                        long backend = info.get("tablet_be_map").get(tablet.getKey()).asLong();
                        Path source = nodeDataDirs.get(backend).resolve(Long.toString(tabletId))
                                .resolve(Integer.toString(index.get("schema_hash").asInt()));
                        check.check(new InfoTablet(tableId, partition.get("id").asLong(), index.get("id").asLong(),
                                tabletId), listed, source);
                        tablets++;
                    }
                }
            }
        }
        return tablets;
    }

    /** The one file in {@code dir} whose name starts with {@code prefix}. */
    public static Path single(Path dir, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> matches = files.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
            require(matches.size() == 1, prefix + "* in " + dir + ": " + matches);
            return matches.get(0);
        }
    }

    public static List<String> names(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }
}
