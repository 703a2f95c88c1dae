package io.snapbus.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The behaviour every {@link RepositoryStorage} must have; each implementation's test class extends this. */
abstract class RepositoryStorageContract {

    static final String DIR = "__palo_repository_repo1/__ss_label1/__ss_content/__db_1/__tbl_2/__part_3/__idx_4/__5";

    @TempDir
    Path local;
    RepositoryStorage storage;

    /** A storage over a fresh, empty location. */
    abstract RepositoryStorage openStorage();

    /** Every file or object stored under the location, temp files included, as relative paths. */
    abstract Set<String> everythingStored();

    /** What a failed write could leave behind: temp files (filesystem) or unfinished multipart uploads (S3). */
    abstract List<String> leftovers();

    /** Stores a file as a crashed writer would leave it, bypassing the storage's refusal of partial names. */
    abstract void plantPartialFile(String path, byte[] content);

    @BeforeEach
    void openTheStorage() {
        storage = openStorage();
    }

    @AfterEach
    void closeTheStorage() {
        storage.close();
    }

    @Test
    void uploadsListsAndReadsBack() throws IOException {
        Path a = localFile("a.dat", 100_000);
        Path b = localFile("b.dat", 17);

        storage.upload(a, DIR + "/a.dat");
        storage.upload(b, DIR + "/b.dat");

        assertThat(storage.list(DIR)).containsExactly(Map.entry("a.dat", 100_000L), Map.entry("b.dat", 17L));
        assertThat(storage.read(DIR + "/a.dat")).isEqualTo(Files.readAllBytes(a));
        try (InputStream in = storage.open(DIR + "/a.dat")) {
            assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(a));
        }
        assertThat(storage.exists(DIR + "/b.dat")).isTrue();
        Path copy = local.resolve("back/a.dat");
        storage.download(DIR + "/a.dat", copy);
        assertThat(copy).hasSameBinaryContentAs(a);
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void copyWithinStoresTheSameBytesUnderASecondNameThatOutlivesTheFirst() throws IOException {
        Path a = localFile("a.dat", 70_000);
        String md5 = storage.uploadWithChecksum(a, DIR + "/a.dat");
        String second = "__palo_repository_repo1/__ss_label2/__ss_content/__db_1/__tbl_2/__part_3/__idx_4/__5/a.dat."
                + md5;

        assertThat(storage.copyWithin(DIR + "/a.dat." + md5, second)).isTrue();
        storage.deleteRecursively("__palo_repository_repo1/__ss_label1");

        assertThat(storage.read(second)).isEqualTo(Files.readAllBytes(a));
        assertThat(storage.copyWithin(DIR + "/a.dat." + md5, second)).as("a source deleted meanwhile").isFalse();
        assertThat(storage.read(second)).isEqualTo(Files.readAllBytes(a));
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void writingOneNameOfACopyLeavesTheOtherAsItWas() throws IOException {
        Path v1 = localFile("v1", 5000);
        storage.upload(v1, "r/first");
        assertThat(storage.copyWithin("r/first", "r/second")).isTrue();

        storage.upload(localFile("v2", 10), "r/second");
        storage.write("r/first", new byte[] {1, 2, 3});

        assertThat(storage.list("r")).containsExactly(Map.entry("first", 3L), Map.entry("second", 10L));
        assertThat(storage.copyWithin("r/missing", "r/third")).isFalse();
        assertThat(storage.exists("r/third")).isFalse();
    }

    @Test
    void uploadReplacesAnExistingFile() throws IOException {
        storage.upload(localFile("v1", 1000), "r/f");
        Path v2 = localFile("v2", 10);

        storage.upload(v2, "r/f");

        assertThat(storage.read("r/f")).isEqualTo(Files.readAllBytes(v2));
        assertThat(everythingStored()).containsExactly("r/f");
    }

    @Test
    void uploadWithChecksumNamesTheFileAfterItsMd5() throws IOException {
        // Empty, tiny, a few chunks, and more chunks than the copy keeps in flight.
        for (int size : new int[] {0, 1, 3 * 1024 * 1024 + 5, 9 * 1024 * 1024 + 123}) {
            Path file = localFile("f" + size + ".dat", size);

            String md5 = storage.uploadWithChecksum(file, DIR + "/f" + size + ".dat");

            assertThat(md5).isEqualTo(Md5.of(file));
            String stored = "f" + size + ".dat." + md5;
            assertThat(storage.list(DIR)).containsEntry(stored, (long) size);
            assertThat(RepositoryLayout.parseChecksummed(stored)).contains(new ChecksummedName("f" + size + ".dat", md5));
            assertThat(storage.read(DIR + "/" + stored)).isEqualTo(Files.readAllBytes(file));
        }
        assertThat(Md5.of(localFile("empty", 0))).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
        assertThat(leftovers()).isEmpty();
        assertThat(everythingStored()).allMatch(p -> !p.endsWith(".part"));
    }

    @Test
    void uploadWithKnownChecksumStoresTheFileUnderTheGivenMd5WithoutRehashing() throws IOException {
        Path file = localFile("known.dat", 2 * 1024 * 1024 + 7);
        String md5 = Md5.of(file);

        assertThat(storage.uploadWithKnownChecksum(file, DIR + "/known.dat", md5)).isEqualTo(md5);

        assertThat(storage.list(DIR)).containsEntry("known.dat." + md5, Files.size(file));
        assertThat(storage.read(DIR + "/known.dat." + md5)).isEqualTo(Files.readAllBytes(file));
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void anUploadBatchStoresEveryFileByTheCommitAndLeavesNoPartialFile() throws IOException {
        Path known = localFile("known.dat", 300_000);
        Path hashed = localFile("hashed.dat", 4_000);
        String knownMd5 = Md5.of(known);

        String hashedMd5;
        try (RepositoryStorage.UploadBatch batch = storage.uploadBatch(true)) {
            assertThat(batch.uploadWithKnownChecksum(known, DIR + "/known.dat", knownMd5)).isEqualTo(knownMd5);
            hashedMd5 = batch.uploadWithChecksum(hashed, DIR + "/sub/hashed.dat");
            batch.commit();
        }

        assertThat(hashedMd5).isEqualTo(Md5.of(hashed));
        assertThat(storage.read(DIR + "/known.dat." + knownMd5)).isEqualTo(Files.readAllBytes(known));
        assertThat(storage.read(DIR + "/sub/hashed.dat." + hashedMd5)).isEqualTo(Files.readAllBytes(hashed));
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void listIgnoresPartialFilesAndSubdirectories() {
        storage.write(DIR + "/a.dat", bytes("a"));
        storage.write(DIR + "/sub/c.dat", bytes("c"));
        plantPartialFile(DIR + "/.b.dat.1f2e3d4c5b6a.part", bytes("half of b"));
        plantPartialFile(DIR + "/b.dat.part", bytes("half of b, as Doris's broker writes it"));

        assertThat(storage.list(DIR)).containsOnlyKeys("a.dat");
        assertThat(storage.listDirs(DIR)).containsExactly("sub");
    }

    @Test
    void listDirsNamesTheSubdirectoriesInOrder() {
        storage.write("r/__ss_b/__meta", bytes("b"));
        storage.write("r/__ss_a/__meta", bytes("a"));
        storage.write("r/__ss_a/deeper/file", bytes("x"));
        storage.write("r/__repo_info", bytes("{}"));

        assertThat(storage.listDirs("r")).containsExactly("__ss_a", "__ss_b");
        assertThat(storage.listDirs("")).containsExactly("r");
        assertThat(storage.list("r")).containsOnlyKeys("__repo_info");
    }

    @Test
    void listingAnAbsentDirectoryIsEmpty() {
        storage.write("r/file", bytes("x"));

        assertThat(storage.list("absent")).isEmpty();
        assertThat(storage.listDirs("absent/deeper")).isEmpty();
        assertThat(storage.list("r/file")).isEmpty();
    }

    @Test
    void writeReplacesContentAtomically() {
        storage.write("r/__repo_info", bytes("first"));
        storage.write("r/__repo_info", bytes("second"));

        assertThat(storage.read("r/__repo_info")).isEqualTo(bytes("second"));
        assertThat(everythingStored()).containsExactly("r/__repo_info");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aFailedUploadLeavesNothingBehind() {
        Path missing = local.resolve("vanished.dat");

        assertRepositoryError(() -> storage.upload(missing, DIR + "/vanished.dat"), RepositoryException.Kind.IO)
                .hasMessageContaining(missing.toString()).hasMessageContaining("does not exist");
        assertRepositoryError(() -> storage.uploadWithChecksum(missing, DIR + "/vanished.dat"), RepositoryException.Kind.IO)
                .hasMessageContaining(missing.toString());

        assertThat(storage.exists(DIR + "/vanished.dat")).isFalse();
        assertThat(everythingStored()).isEmpty();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void partialFileNamesAreReservedAsTargets() {
        assertRepositoryError(() -> storage.write("r/x.part", bytes("x")), RepositoryException.Kind.INVALID_PATH)
                .hasMessageContaining("reserved for partial files");
        assertThat(everythingStored()).isEmpty();
    }

    @Test
    void deleteRemovesOneFileAndAcceptsAnAbsentOne() {
        storage.write("r/a", bytes("a"));
        storage.write("r/b", bytes("b"));

        storage.write("r/dir/c", bytes("c"));

        storage.delete("r/a");
        storage.delete("r/never-there");
        storage.delete("r/dir");

        assertThat(everythingStored()).containsExactlyInAnyOrder("r/b", "r/dir/c");
    }

    @Test
    void deleteRecursivelyRemovesTheTreeOnly() {
        storage.write("r/__ss_a/__meta", bytes("a"));
        storage.write("r/__ss_a/__ss_content/__db_1/f", bytes("f"));
        storage.write("r/__ss_ab/__meta", bytes("neighbour with the same prefix"));
        storage.write("r/__ss_a.txt", bytes("file next to it"));

        storage.deleteRecursively("r/__ss_a");
        storage.deleteRecursively("r/absent");

        assertThat(everythingStored()).containsExactlyInAnyOrder("r/__ss_ab/__meta", "r/__ss_a.txt");
        assertThat(storage.listDirs("r")).containsExactly("__ss_ab");
    }

    @Test
    void existsIsTrueForFilesOnly() {
        storage.write("r/dir/file", bytes("x"));

        assertThat(storage.exists("r/dir/file")).isTrue();
        assertThat(storage.exists("r/dir")).isFalse();
        assertThat(storage.exists("r/other")).isFalse();
    }

    @Test
    void refusesPathsThatCouldLeaveTheLocation() throws IOException {
        Path source = localFile("evil.dat", 10);
        for (String bad : List.of("../escape", "r/../../escape", "/etc/passwd", "r//x", "r/./x", "r/x/", "..", ".", "",
                "r\\..\\x", "r/x\0y")) {
            List<Consumer<String>> operations = List.of(
                    p -> storage.upload(source, p),
                    p -> storage.uploadWithChecksum(source, p),
                    p -> storage.write(p, bytes("x")),
                    p -> storage.read(p),
                    p -> storage.open(p),
                    p -> storage.download(p, local.resolve("out")),
                    p -> storage.downloadWithChecksum(p, local.resolve("out")),
                    p -> storage.exists(p),
                    p -> storage.delete(p),
                    p -> storage.deleteRecursively(p));
            for (Consumer<String> operation : operations) {
                assertRepositoryError(() -> operation.accept(bad), RepositoryException.Kind.INVALID_PATH)
                        .hasMessageContaining(storage.location().toString());
            }
            if (!bad.isEmpty()) {
                assertRepositoryError(() -> storage.list(bad), RepositoryException.Kind.INVALID_PATH);
                assertRepositoryError(() -> storage.listDirs(bad), RepositoryException.Kind.INVALID_PATH);
            }
        }
        assertThat(everythingStored()).isEmpty();
        assertThat(local.resolve("out")).doesNotExist();
    }

    @Test
    void readingAMissingFileIsNotFound() {
        assertRepositoryError(() -> storage.read("r/missing"), RepositoryException.Kind.NOT_FOUND)
                .hasMessageContaining("r/missing").hasMessageContaining(storage.location().toString());
        assertRepositoryError(() -> storage.open("r/missing"), RepositoryException.Kind.NOT_FOUND)
                .hasMessageContaining("r/missing");
        assertRepositoryError(() -> storage.download("r/missing", local.resolve("out")), RepositoryException.Kind.NOT_FOUND);
        assertThat(local.resolve("out")).doesNotExist();
        assertThat(local.toFile().list()).isEmpty();
    }

    @Test
    void downloadWithChecksumWritesTheGivenFileAndReturnsTheMd5OfItsBytes() throws IOException {
        Path restored = local.resolve("restore/tablet");
        List<String> written = new java.util.ArrayList<>();
        // Empty, tiny, a few chunks, and more chunks than the copy keeps in flight.
        for (int size : new int[] {0, 1, 3 * 1024 * 1024 + 5, 9 * 1024 * 1024 + 123}) {
            Path source = localFile("d" + size + ".dat", size);
            String md5 = storage.uploadWithChecksum(source, DIR + "/d" + size + ".dat");
            Path target = restored.resolve("d" + size + ".dat.download.tmp");

            String got = storage.downloadWithChecksum(DIR + "/d" + size + ".dat." + md5, target);

            assertThat(got).isEqualTo(md5).isEqualTo(Md5.of(source));
            assertThat(target).hasSameBinaryContentAs(source);
            written.add(target.getFileName().toString());
        }
        assertThat(localFiles(restored)).as("the targets only: no temp file, no rename of its own")
                .containsExactlyInAnyOrderElementsOf(written);
    }

    @Test
    void downloadWithChecksumHashesTheBytesItWroteNotTheNameTheyAreStoredUnder() {
        String claimed = "0123456789abcdef0123456789abcdef";
        storage.write(DIR + "/c.dat." + claimed, bytes("not the content the name claims"));
        Path target = local.resolve("c.dat");

        String got = storage.downloadWithChecksum(DIR + "/c.dat." + claimed, target);

        assertThat(got).isEqualTo(Md5.of(bytes("not the content the name claims"))).isNotEqualTo(claimed);
        assertThat(target).hasBinaryContent(bytes("not the content the name claims"));
    }

    @Test
    void downloadWithChecksumNeverWritesIntoAnExistingLocalFileNorThroughItsHardLinks() throws IOException {
        storage.write("r/f", bytes("repository bytes"));
        Path existing = Files.writeString(local.resolve("in-a-tablet"), "another tablet's bytes");
        Path link = Files.createLink(local.resolve("hard-link"), existing);

        assertRepositoryError(() -> storage.downloadWithChecksum("r/f", link), RepositoryException.Kind.IO)
                .hasMessageContaining("r/f").hasMessageContaining(link.toString()).hasMessageContaining("already exists");

        assertThat(existing).hasContent("another tablet's bytes");
        assertThat(link).hasContent("another tablet's bytes");
    }

    @Test
    void downloadWithChecksumOfAMissingFileOrADirectoryIsNotFoundAndLeavesNothingLocally() {
        storage.write("r/dir/file", bytes("x"));

        assertRepositoryError(() -> storage.downloadWithChecksum("r/missing", local.resolve("out/missing")),
                RepositoryException.Kind.NOT_FOUND).hasMessageContaining("r/missing")
                .hasMessageContaining(storage.location().toString());
        assertRepositoryError(() -> storage.downloadWithChecksum("r/dir", local.resolve("out/dir")),
                RepositoryException.Kind.NOT_FOUND).hasMessageContaining("r/dir");

        assertThat(localFiles(local)).isEmpty();
    }

    @Test
    void repositoryInfoIsWrittenOnceAndReadBack() {
        Instant created = Instant.parse("2024-01-01T00:00:00Z");
        assertThat(RepositoryInfo.read(storage, "repo1")).isEmpty();

        RepositoryInfo.writeIfAbsent(storage, "repo1", created, ZoneId.of("Asia/Shanghai"));
        RepositoryInfo.writeIfAbsent(storage, "repo1", created.plusSeconds(3600), ZoneId.of("UTC"));

        assertThat(RepositoryInfo.read(storage, "repo1")).contains(new RepositoryInfo("repo1", "2024-01-01 08:00:00"));
        assertThat(new String(storage.read("__palo_repository_repo1/__repo_info"), StandardCharsets.UTF_8))
                .isEqualTo("{\"name\":\"repo1\",\"create_time\":\"2024-01-01 08:00:00\"}");
        assertThat(storage.list("__palo_repository_repo1")).containsOnlyKeys("__repo_info");
    }

    Path localFile(String name, int size) {
        byte[] content = new byte[size];
        new Random(name.hashCode() * 31L + size).nextBytes(content);
        try {
            return Files.write(local.resolve(name), content);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Names of the regular files anywhere under {@code dir}. */
    static List<String> localFiles(Path dir) {
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertRepositoryError(ThrowingCallable call,
            RepositoryException.Kind kind) {
        return assertThatThrownBy(call).isInstanceOf(RepositoryException.class)
                .satisfies(e -> assertThat(((RepositoryException) e).kind()).as(e.getMessage()).isEqualTo(kind));
    }
}
