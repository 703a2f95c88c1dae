package io.snapbus.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Paths, names and checks exactly as Doris's Repository, LabelName and FeNameFormat have them. */
class RepositoryLayoutTest {

    private static final String MD5 = "0123456789abcdef0123456789abcdef";

    @Test
    void buildsDorisPaths() {
        assertThat(RepositoryLayout.repoDir("repo1")).isEqualTo("__palo_repository_repo1");
        assertThat(RepositoryLayout.repoInfoPath("repo1")).isEqualTo("__palo_repository_repo1/__repo_info");
        assertThat(RepositoryLayout.snapshotDir("repo1", "snap:2024-01-01_a")).isEqualTo("__palo_repository_repo1/__ss_snap:2024-01-01_a");
        assertThat(RepositoryLayout.tabletDir("repo1", "snap1", 10001, 10010, 10011, 10012, 10013)).isEqualTo(
                "__palo_repository_repo1/__ss_snap1/__ss_content/__db_10001/__tbl_10010/__part_10011/__idx_10012/__10013");
        assertThat(RepositoryLayout.snapshotDir("r", "l") + "/" + RepositoryLayout.withChecksum(RepositoryLayout.META_FILE, MD5))
                .isEqualTo("__palo_repository_r/__ss_l/__meta." + MD5);
    }

    @Test
    void namesJobInfoAfterTheCreateTimeInTheGivenZone() {
        long createTime = LocalDateTime.of(2024, 1, 2, 3, 4, 5).toInstant(ZoneOffset.UTC).toEpochMilli();

        assertThat(RepositoryLayout.jobInfoName(createTime, ZoneOffset.UTC)).isEqualTo("__info_2024-01-02-03-04-05");
        assertThat(RepositoryLayout.jobInfoName(createTime, ZoneId.of("Asia/Shanghai"))).isEqualTo("__info_2024-01-02-11-04-05");
    }

    @Test
    void refusesNegativeIds() {
        assertThatThrownBy(() -> RepositoryLayout.tabletDir("r", "l", 1, -2, 3, 4, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tableId");
    }

    @Test
    void appendsAndParsesChecksums() {
        assertThat(RepositoryLayout.withChecksum("a.dat", MD5)).isEqualTo("a.dat." + MD5);
        assertThat(RepositoryLayout.parseChecksummed("a.dat." + MD5)).contains(new ChecksummedName("a.dat", MD5));
        assertThat(RepositoryLayout.parseChecksummed("10013.hdr." + MD5).orElseThrow().name()).isEqualTo("10013.hdr");
        assertThat(RepositoryLayout.parseChecksummed(RepositoryLayout.META_FILE + "." + MD5).orElseThrow().name()).isEqualTo("__meta");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a.dat.part", "a.dat", "a.dat.0123456789abcdef0123456789abcde", "a.dat.0123456789abcdef0123456789abcdef0",
            "a.dat.0123456789ABCDEF0123456789ABCDEF", "a.dat.0123456789abcdef0123456789abcdeg", "." + MD5, "noDot", "a.dat."})
    void rejectsNamesWithoutAValidChecksum(String name) {
        assertThat(RepositoryLayout.parseChecksummed(name)).isEmpty();
    }

    @Test
    void refusesABadChecksumToAppend() {
        assertThatThrownBy(() -> RepositoryLayout.withChecksum("a", "abc")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 lowercase hex");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "snap_2024-01-01", "label:with:colons", "-_-"})
    void acceptsDorisLabels(String label) {
        RepositoryLayout.validateLabel(label);
        RepositoryLayout.validateLabel("x".repeat(128));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "slash/in", "dot.in", "ünïcode", "../up"})
    void refusesOtherLabelsWithDorisMessage(String label) {
        assertThatThrownBy(() -> RepositoryLayout.validateLabel(label)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Label format error. regex: ^[-_A-Za-z0-9:]{1,128}$, label: " + label);
        assertThatThrownBy(() -> RepositoryLayout.validateLabel("x".repeat(129))).hasMessageStartingWith("Label format error.");
    }

    @Test
    void checksRepositoryNames() {
        RepositoryLayout.validateRepositoryName("repo1");
        RepositoryLayout.validateRepositoryName("R-e_p" + "x".repeat(59));
        for (String bad : new String[] {"", "1repo", "_repo", "re po", "re/po", "x".repeat(65)}) {
            assertThatThrownBy(() -> RepositoryLayout.validateRepositoryName(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Repository name format error").hasMessageContaining("name: " + (bad.length() > 64 ? bad.substring(0, 64) + "..." : bad));
        }
        assertThatThrownBy(() -> RepositoryLayout.repoDir("../x")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/abs", "..", "../x", "a/../b", "a/./b", ".", "a//b", "a/", "a\\b", "a\0b", ""})
    void refusesUnsafePaths(String path) {
        assertThatThrownBy(() -> RepositoryLayout.requireSafeRelativePath(path)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + path.replace('\0', '?') + "'");
    }

    @Test
    void acceptsSafePaths() {
        assertThat(RepositoryLayout.requireSafeRelativePath("a/b.c/..d/.e")).isEqualTo("a/b.c/..d/.e");
        assertThat(RepositoryLayout.requireSafeRelativeDir("")).isEmpty();
        assertThatThrownBy(() -> RepositoryLayout.requireSafeRelativePath(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
