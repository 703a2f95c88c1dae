package io.snapbus.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The file a launcher waits for: the bound FrontendService port, written atomically (temp file + rename). */
record FrontendPortFile(Path file) {
    void write(int port) {
        try {
            Path target = file.toAbsolutePath();
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), ".port", ".tmp");
            Files.writeString(temp, Integer.toString(port));
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the port file " + file, e);
        }
    }
}
