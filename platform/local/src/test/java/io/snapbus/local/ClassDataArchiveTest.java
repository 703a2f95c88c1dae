package io.snapbus.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataArchiveTest {
    @TempDir
    Path cache;

    @Test
    void anArchiveNoRunMappedForAWeekIsRemovedWhateverItsFamilyAndAMappedOneIsKept() throws Exception {
        Path cds = Files.createDirectories(cache.resolve("cds"));
        Path javaHome = Path.of(System.getProperty("java.home"));
        JavaRuntime java = new JavaRuntime(javaHome, Runtime.version().feature());
        String classpath = Files.writeString(cache.resolve("app.jar"), "classes").toString();

        // A first run finds no archive: it would dump one at exit; publish it as a clean stop does.
        ClassDataArchive first = ClassDataArchive.of(cache, "job-service", java, classpath);
        assertThat(first.dumpsAtExit()).isTrue();
        String dumpOption = first.jvmOptions().get(0);
        Path dump = Path.of(dumpOption.substring(dumpOption.indexOf('=') + 1));
        Files.writeString(dump, "archive");
        first.publish();
        Path archive;
        try (var files = Files.list(cds)) {
            archive = files.filter(f -> f.toString().endsWith(".jsa")).findFirst().orElseThrow();
        }
        Instant longAgo = Instant.now().minus(ClassDataArchive.UNUSED_FOR).minus(Duration.ofDays(1));
        Instant lately = Instant.now().minus(ClassDataArchive.UNUSED_FOR).plus(Duration.ofDays(1));
        Files.setLastModifiedTime(archive, FileTime.from(lately));
        Path otherCheckout = Files.writeString(cds.resolve("job-service-1234abcd-0011223344556677.jsa"), "old");
        Files.setLastModifiedTime(otherCheckout, FileTime.from(longAgo));
        Path recent = Files.writeString(cds.resolve("agent-1234abcd-8899aabbccddeeff.jsa"), "recent");

        // The next run maps the archive, which makes it recent; the unused archive of another classpath goes.
        ClassDataArchive second = ClassDataArchive.of(cache, "job-service", java, classpath);
        assertThat(second.dumpsAtExit()).isFalse();
        assertThat(second.jvmOptions()).contains("-XX:SharedArchiveFile=" + archive);
        assertThat(Files.getLastModifiedTime(archive).toInstant()).isAfter(lately.plus(Duration.ofDays(1)));
        assertThat(otherCheckout).doesNotExist();
        assertThat(recent).exists();

        // Left unused for a week, it goes too, at the next start of anything with an archive.
        Files.setLastModifiedTime(archive, FileTime.from(longAgo));
        ClassDataArchive.of(cache, "agent", java, classpath);
        assertThat(archive).doesNotExist();
        assertThat(recent).exists();
    }
}
