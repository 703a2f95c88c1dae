package io.snapbus.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;

/** The broker's storage folder: formatted once (cluster id in meta.properties), checked before every later start. */
final class KafkaStorage {

    private static final String NAME = KafkaBroker.NAME;
    private static final Pattern CLUSTER_ID = Pattern.compile("[A-Za-z0-9_-]{22}");

    private KafkaStorage() {
    }

    /**
     * The cluster id of an already formatted storage folder, null for an empty one; a folder that has data but no
     * readable identity is refused before anything is launched.
     */
    static String readClusterId(Path storage) {
        return readClusterId(storage, 1);
    }

    /** As {@link #readClusterId(Path)}, for the storage of node {@code nodeId}. */
    static String readClusterId(Path storage, int nodeId) {
        Path meta = storage.resolve("meta.properties");
        String corrupt = "data folder " + storage + " looks corrupt (";
        String remedy = "): remove it to start fresh";
        if (!Files.exists(meta)) {
            if (Files.isRegularFile(storage)) {
                throw new LocalComponentException(NAME, corrupt + "it is a file, not a folder" + remedy);
            }
            if (Files.isDirectory(storage) && hasEntries(storage)) {
                throw new LocalComponentException(NAME, corrupt + "it holds files but no meta.properties, so it was never"
                        + " formatted completely" + remedy);
            }
            return null;
        }
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(meta, StandardCharsets.ISO_8859_1)) {
            props.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new LocalComponentException(NAME, corrupt + meta.getFileName() + " is unreadable: " + e + remedy);
        }
        String clusterId = props.getProperty("cluster.id");
        if (clusterId == null || !CLUSTER_ID.matcher(clusterId.trim()).matches()) {
            throw new LocalComponentException(NAME, corrupt + meta.getFileName() + " has "
                    + (clusterId == null ? "no cluster.id" : "an invalid cluster.id '" + clusterId.trim() + "'") + remedy);
        }
        String storedNodeId = props.getProperty("node.id");
        if (storedNodeId != null && !storedNodeId.trim().equals(Integer.toString(nodeId))) {
            throw new LocalComponentException(NAME, corrupt + meta.getFileName() + " belongs to node " + storedNodeId.trim()
                    + ", not to broker node " + nodeId + remedy);
        }
        return clusterId.trim();
    }

    private static boolean hasEntries(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isPresent();
        } catch (IOException e) {
            return true;
        }
    }

    /** Writes meta.properties and the bootstrap metadata, as {@code kafka-storage.sh format} does. */
    static String format(StackLayout layout, Path storage) {
        return format(layout, NAME, storage, 1, Uuid.randomUuid().toString(), null);
    }

    /**
     * Formats node {@code nodeId}'s storage for cluster {@code clusterId}; with {@code scramArgument} (as
     * {@code kafka-storage format --add-scram} takes it) the SCRAM user is created in the bootstrap metadata.
     */
    static String format(StackLayout layout, String logName, Path storage, int nodeId, String clusterId,
                         String scramArgument) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            Formatter formatter = new Formatter();
            if (scramArgument != null) {
                formatter.setScramArguments(java.util.List.of(scramArgument));
            }
            formatter
                    .setPrintStream(print)
                    .setNodeId(nodeId)
                    .setClusterId(clusterId)
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(storage.toString())
                    .addDirectory(storage.toString())
                    .run();
        } catch (Exception e) {
            throw new LocalComponentException(NAME, "cannot format the broker storage in " + storage + " (" + e + "); remove"
                    + " that folder to start fresh", e);
        }
        try {
            Files.writeString(layout.logFile(logName), "snapbus-local: formatted " + storage + " with cluster id " + clusterId + ": "
                    + output.toString(StandardCharsets.UTF_8), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the note is a courtesy to the reader of the log; the format itself succeeded
        }
        return clusterId;
    }

}
