package io.snapbus.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClasspathJarsTest {
    @TempDir
    Path dir;

    @Test
    void aClassFolderGoesOnTheClasspathAsAJarWithItsDirectoryEntriesAndJarsStayAsTheyAre() throws Exception {
        Path classes = Files.createDirectories(dir.resolve("module/target/classes"));
        Files.createDirectories(classes.resolve("io/snapbus/x"));
        Files.writeString(classes.resolve("io/snapbus/x/A.class"), "a");
        Files.writeString(classes.resolve("app.properties"), "p=1");
        Path lib = Files.writeString(dir.resolve("lib.jar"), "not really a jar");
        Path missing = dir.resolve("missing/classes");
        Path empty = Files.createDirectories(dir.resolve("empty/classes"));

        String classpath = ClasspathJars.of(dir.resolve("cache"), String.join(File.pathSeparator, classes.toString(),
                lib.toString(), missing.toString(), empty.toString())).orElseThrow();

        List<String> entries = List.of(classpath.split(File.pathSeparator));
        assertThat(entries).hasSize(4);
        assertThat(entries.get(0)).endsWith(".jar").startsWith(dir.resolve("cache/cds/jars").toString());
        assertThat(entries.subList(1, 4)).containsExactly(lib.toString(), missing.toString(), empty.toString());
        try (ZipFile jar = new ZipFile(entries.get(0))) {
            assertThat(Collections.list(jar.entries()).stream().map(ZipEntry::getName))
                    .containsExactlyInAnyOrder("io/", "io/snapbus/", "io/snapbus/x/", "io/snapbus/x/A.class",
                            "app.properties");
            assertThat(new String(jar.getInputStream(jar.getEntry("io/snapbus/x/A.class")).readAllBytes()))
                    .isEqualTo("a");
        }
    }

    @Test
    void theJarIsWrittenAgainOnlyWhenTheFolderChanged() throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Path file = Files.writeString(classes.resolve("A.class"), "a");
        Path cache = dir.resolve("cache");
        Path jar = Path.of(ClasspathJars.of(cache, classes.toString()).orElseThrow());
        FileTime written = Files.getLastModifiedTime(jar);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(written.toMillis() - 60_000));
        FileTime before = Files.getLastModifiedTime(jar);

        assertThat(ClasspathJars.of(cache, classes.toString())).contains(jar.toString());
        assertThat(Files.getLastModifiedTime(jar)).isEqualTo(before);

        Files.writeString(file, "changed");
        Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 120_000));
        assertThat(ClasspathJars.of(cache, classes.toString())).contains(jar.toString());
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            assertThat(new String(zip.getInputStream(zip.getEntry("A.class")).readAllBytes())).isEqualTo("changed");
        }
    }
}
