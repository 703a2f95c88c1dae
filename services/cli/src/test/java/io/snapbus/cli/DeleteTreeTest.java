package io.snapbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeleteTreeTest {
    @TempDir
    Path temp;

    @Test
    void deletesEveryLevelAndLeavesWhatALinkPointsTo() throws Exception {
        Path root = temp.resolve("tablets-1000");
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Files.writeString(outside.resolve("keep.txt"), "kept");
        for (int t = 0; t < 20; t++) {
            Path tablet = Files.createDirectories(root.resolve("nodes/node-1/data/" + t + "/55"));
            Files.writeString(tablet.resolve(t + ".hdr"), "header");
            Files.writeString(tablet.resolve("0200" + t + "_0.dat"), "rows");
        }
        Files.createSymbolicLink(root.resolve("nodes/link"), outside);

        QuickstartCommand.deleteTree(root);

        assertThat(root).doesNotExist();
        assertThat(outside.resolve("keep.txt")).hasContent("kept");
        QuickstartCommand.deleteTree(root); // absent: nothing to do
        assertThat(temp.resolve("outside")).exists();
    }
}
