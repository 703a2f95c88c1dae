package io.snapbus.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemFlushTest {
    @TempDir
    Path dir;

    @Test
    void isAvailableOnLinuxAndFlushesTheFilesystemOfAFileOrADirectory() throws IOException {
        assertThat(FileSystemFlush.available()).as("os.name " + System.getProperty("os.name"))
                .isEqualTo(System.getProperty("os.name").startsWith("Linux"));
        if (!FileSystemFlush.available()) {
            assertThatThrownBy(() -> FileSystemFlush.flush(dir)).isInstanceOf(IllegalStateException.class);
            return;
        }
        Path file = Files.writeString(dir.resolve("written"), "content");

        FileSystemFlush.flush(dir);
        FileSystemFlush.flush(file);

        assertThat(Files.readString(file)).isEqualTo("content");
    }

    @Test
    void aMissingPathIsAnIoErrorNamingItAndItsErrno() {
        if (!FileSystemFlush.available()) {
            return;
        }
        Path missing = dir.resolve("missing");

        assertThatThrownBy(() -> FileSystemFlush.flush(missing)).isInstanceOf(IOException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("errno 2");
    }
}
