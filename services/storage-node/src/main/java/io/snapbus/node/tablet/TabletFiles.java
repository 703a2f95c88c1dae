package io.snapbus.node.tablet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.snapbus.tabletformat.RowsetFile;
import io.snapbus.tabletformat.TabletHeader;
import io.snapbus.tabletformat.TabletHeaderFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Names and JSON (de)serialisation of the files in a tablet directory (the header's are the shared format's). */
final class TabletFiles {
    static final String PENDING_DIR = "pending";
    static final String DATA_SUFFIX = ".dat";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private TabletFiles() {
    }

    static String headerName(long tabletId) {
        return TabletHeaderFile.name(tabletId);
    }

    /** Doris's segment file name: {@code <rowsetId>_<segment>.dat}. */
    static String segmentName(String rowsetId, int segment) {
        return rowsetId + "_" + segment + DATA_SUFFIX;
    }

    static TabletHeader readHeader(Path file) throws IOException {
        return TabletHeaderFile.read(file);
    }

    static void writeHeader(Path dir, TabletHeader header) throws IOException {
        DurableFiles.write(dir.resolve(headerName(header.tabletId())), TabletHeaderFile.toJson(header));
    }

    static PendingRowset readManifest(Path pendingTxnDir) throws IOException {
        return JSON.readValue(pendingTxnDir.resolve(PendingRowset.MANIFEST).toFile(), PendingRowset.class);
    }

    static void writeManifest(Path pendingTxnDir, PendingRowset manifest) throws IOException {
        DurableFiles.write(pendingTxnDir.resolve(PendingRowset.MANIFEST), toJson(manifest));
    }

    /** Whether {@code dir/file.name} exists with the recorded size. */
    static boolean present(Path dir, RowsetFile file) {
        try {
            return Files.size(dir.resolve(file.name())) == file.size();
        } catch (IOException e) {
            return false;
        }
    }

    private static byte[] toJson(Object value) throws JsonProcessingException {
        return JSON.writeValueAsBytes(value);
    }
}
