package io.snapbus.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryDistributionTest {

    @TempDir
    Path dir;

    @Test
    void publishRenamesTheUnpackedFolderIntoPlace() throws IOException {
        Path unpacked = folderWith(dir.resolve(".registry.unpacking-1"), "mine");

        RegistryDistribution.publish(unpacked, dir.resolve("registry"));

        assertThat(dir.resolve("registry/runner.jar")).hasContent("mine");
        assertThat(unpacked).doesNotExist();
    }

    /** Two forks of a test run unpacking into an empty cache at once: the one that comes second keeps the first's. */
    @Test
    void publishKeepsTheCopyAnotherJvmRenamedIntoPlaceFirst() throws IOException {
        Path theirs = folderWith(dir.resolve("registry"), "theirs");
        Path unpacked = folderWith(dir.resolve(".registry.unpacking-2"), "mine");

        RegistryDistribution.publish(unpacked, theirs);

        assertThat(theirs.resolve("runner.jar")).hasContent("theirs");
    }

    @Test
    void publishStillFailsWhenTheTargetIsNoFolder() throws IOException {
        Path file = Files.writeString(dir.resolve("registry"), "not a folder");
        Path unpacked = folderWith(dir.resolve(".registry.unpacking-3"), "mine");

        assertThatThrownBy(() -> RegistryDistribution.publish(unpacked, file)).isInstanceOf(FileSystemException.class);
    }

    private static Path folderWith(Path folder, String content) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("runner.jar"), content);
        return folder;
    }
}
