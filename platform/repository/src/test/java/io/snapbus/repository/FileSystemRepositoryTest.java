package io.snapbus.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** The filesystem repository: the shared contract, plus what only a local directory can get wrong. */
class FileSystemRepositoryTest extends RepositoryStorageContract {

    @TempDir
    Path parent;
    Path root;

    @Override
    RepositoryStorage openStorage() {
        root = parent.resolve("repository");
        return RepositoryStorages.open(RepositorySpec.ofDirectory(root));
    }

    @Override
    Set<String> everythingStored() {
        if (!Files.exists(root)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    List<String> leftovers() {
        return everythingStored().stream().filter(p -> p.endsWith(".part")).toList();
    }

    @Override
    void plantPartialFile(String path, byte[] content) {
        try {
            Path file = root.resolve(path);
            Files.createDirectories(file.getParent());
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "flush the file system: {0}")
    @ValueSource(booleans = {true, false})
    void anUploadBatchNamesNothingBeforeItsCommitAndEachCommitPublishesWhatWasStagedSinceTheLast(boolean flush)
            throws IOException {
        Path first = localFile("first.dat", 1_500_000); // above EARLY_FSYNC_BYTES: fsynced when written
        Path second = localFile("second.dat", 900);
        String firstMd5 = Md5.of(first);
        String secondMd5 = Md5.of(second);

        try (RepositoryStorage.UploadBatch batch = storage.uploadBatch(flush)) {
            batch.uploadWithKnownChecksum(first, "t/first.dat", firstMd5);
            assertThat(storage.list("t")).isEmpty();
            assertThat(leftovers()).hasSize(1);

            batch.commit();
            assertThat(storage.list("t")).containsOnlyKeys("first.dat." + firstMd5);

            batch.uploadWithChecksum(second, "t/second.dat");
            assertThat(storage.list("t")).containsOnlyKeys("first.dat." + firstMd5);
            batch.commit();
            batch.commit();
        }

        assertThat(storage.list("t")).containsOnlyKeys("first.dat." + firstMd5, "second.dat." + secondMd5);
        assertThat(root.resolve("t/second.dat." + secondMd5)).hasSameBinaryContentAs(second);
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void anUploadBatchClosedBeforeItsCommitRemovesWhatItStagedAndKeepsWhatItCommitted() throws IOException {
        Path kept = localFile("kept.dat", 5_000);
        Path dropped = localFile("dropped.dat", 5_000);
        RepositoryStorage.UploadBatch batch = storage.uploadBatch(true);
        String keptMd5 = batch.uploadWithChecksum(kept, "t/kept.dat");
        batch.commit();
        batch.uploadWithChecksum(dropped, "t/dropped.dat");

        batch.close();

        assertThat(storage.list("t")).containsOnlyKeys("kept.dat." + keptMd5);
        assertThat(leftovers()).isEmpty();
        assertThatThrownBy(() -> batch.uploadWithChecksum(dropped, "t/dropped.dat"))
                .isInstanceOf(IllegalStateException.class);
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aCommitWhoseRenameFailsRemovesTheGroupsTempFilesAndNamesNoPartialFile() throws IOException {
        Path good = localFile("good.dat", 2_000);
        Path blocked = localFile("blocked.dat", 2_000);
        String blockedMd5 = Md5.of(blocked);
        Files.createDirectories(root.resolve("t/blocked.dat." + blockedMd5 + "/inside"));

        try (RepositoryStorage.UploadBatch batch = storage.uploadBatch(true)) {
            batch.uploadWithChecksum(good, "t/good.dat");
            batch.uploadWithKnownChecksum(blocked, "t/blocked.dat", blockedMd5);
            assertRepositoryError(batch::commit, RepositoryException.Kind.IO).hasMessageContaining("t/blocked.dat");
        }

        assertThat(leftovers()).isEmpty();
        assertThat(Files.isDirectory(root.resolve("t/blocked.dat." + blockedMd5))).isTrue();
    }

    @Test
    void copyWithinSharesOneStoredCopyThroughAHardLink() throws IOException {
        storage.upload(localFile("rowset", 40_000), "a/rowset.dat");

        assertThat(storage.copyWithin("a/rowset.dat", "b/rowset.dat")).isTrue();

        Object inode = Files.getAttribute(root.resolve("a/rowset.dat"), "unix:ino");
        assertThat(Files.getAttribute(root.resolve("b/rowset.dat"), "unix:ino")).isEqualTo(inode);
        assertThat(Files.getAttribute(root.resolve("b/rowset.dat"), "unix:nlink")).isEqualTo(2);
    }

    @Test
    void aLocationThatCannotHoldDirectoriesIsNotWritable() throws IOException {
        // Tests run as root, which ignores permission bits: a regular file where a directory must be stops root too.
        Path blocker = Files.writeString(parent.resolve("a-file"), "not a directory");
        try (RepositoryStorage blocked = RepositoryStorages.open(RepositorySpec.ofDirectory(blocker.resolve("repo")))) {
            assertRepositoryError(() -> RepositoryInfo.writeIfAbsent(blocked, "r", java.time.Instant.now(), java.time.ZoneOffset.UTC),
                    RepositoryException.Kind.NOT_WRITABLE)
                    .hasMessageStartingWith("repository file://" + blocker.resolve("repo") + " is not writable: ")
                    .hasMessageContaining(blocker.toString())
                    .hasMessageContaining("choose another location");
            assertRepositoryError(() -> blocked.upload(localFile("x", 10), "r/x"), RepositoryException.Kind.NOT_WRITABLE);
            assertRepositoryError(() -> blocked.uploadWithChecksum(localFile("x", 10), "r/x"), RepositoryException.Kind.NOT_WRITABLE);
            assertThat(blocked.list("")).isEmpty();
        }
        assertThat(blocker).hasContent("not a directory");
    }

    @Test
    void aLocationUnderProcIsNotWritable() {
        try (RepositoryStorage blocked = RepositoryStorages.open(RepositorySpec.ofDirectory(Path.of("/proc/snapbus-repo")))) {
            assertRepositoryError(() -> blocked.write("r/x", bytes("x")), RepositoryException.Kind.NOT_WRITABLE)
                    .hasMessageContaining("/proc/snapbus-repo");
        }
    }

    @Test
    void aFailureAfterTheCopyRemovesTheTempFile() throws IOException {
        // A non-empty directory under the final name makes the rename, the very last step, fail.
        Path source = localFile("a.dat", 3 * 1024 * 1024);
        String md5 = Md5.of(source);
        Files.createDirectories(root.resolve("d/a.dat/inside"));
        Files.createDirectories(root.resolve("d/a.dat." + md5 + "/inside"));

        assertRepositoryError(() -> storage.upload(source, "d/a.dat"), RepositoryException.Kind.IO).hasMessageContaining("d/a.dat");
        assertRepositoryError(() -> storage.uploadWithChecksum(source, "d/a.dat"), RepositoryException.Kind.IO);

        try (Stream<Path> files = Files.list(root.resolve("d"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("a.dat", "a.dat." + md5);
        }
    }

    @Test
    void writesFilesInPlaceWithTheLocationResolvedToAnAbsoluteDirectory() throws IOException {
        Path source = localFile("a.dat", 1234);
        RepositorySpec spec = RepositorySpec.of(java.net.URI.create("file://" + parent + "/x/../repository"), Map.of(RepositorySpec.FS_FSYNC, "false"));
        try (RepositoryStorage unsynced = RepositoryStorages.open(spec)) {
            assertThat(unsynced.location().toString()).isEqualTo("file://" + root);

            String md5 = unsynced.uploadWithChecksum(source, "r/a.dat");

            assertThat(root.resolve("r/a.dat." + md5)).hasSameBinaryContentAs(source);
        }
    }

    @Test
    void aCommittedBatchRemovesTheTempFilesAKilledWriterOfItsTargetsLeftBehind() throws IOException {
        Path rowset = localFile("r.dat", 10);
        String md5 = Md5.of(rowset);
        plantPartialFile(DIR + "/.r.dat." + md5 + ".0123456789ab.part", new byte[] {1, 2});
        plantPartialFile(DIR + "/.h.hdr.fedcba987654.part", new byte[] {4});
        plantPartialFile(DIR + "/.other.dat.0123456789ab.part", new byte[] {3});
        plantPartialFile(DIR + "/.r.dat." + md5 + ".not-random.part", new byte[] {5});

        try (RepositoryStorage.UploadBatch batch = storage.uploadBatch(true)) {
            batch.uploadWithKnownChecksum(rowset, DIR + "/r.dat", md5);
            batch.uploadWithChecksum(localFile("h.hdr", 20), DIR + "/h.hdr");
            batch.commit();
        }

        assertThat(leftovers()).containsExactlyInAnyOrder(DIR + "/.other.dat.0123456789ab.part",
                DIR + "/.r.dat." + md5 + ".not-random.part");
    }

    @Test
    void writingATargetRemovesTheTempFilesAKilledWriterOfItLeftBehind() throws IOException {
        plantPartialFile(DIR + "/.a.dat.0123456789ab.part", new byte[] {1, 2});
        plantPartialFile(DIR + "/.other.dat.0123456789ab.part", new byte[] {3});

        storage.upload(localFile("a.dat", 10), DIR + "/a.dat");

        assertThat(everythingStored()).contains(DIR + "/a.dat", DIR + "/.other.dat.0123456789ab.part")
                .doesNotContain(DIR + "/.a.dat.0123456789ab.part");
    }
}
