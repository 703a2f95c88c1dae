package io.snapbus.node.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapbus.repository.ChecksummedName;
import io.snapbus.repository.Md5;
import io.snapbus.repository.RepositoryLayout;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench restore} on a tiny data set: a real node backs up, snapshots new replicas and downloads into them; the
 * figure lines and the downloaded bytes are what is checked, never a time.
 */
class DownloadBenchmarkIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void printsBothSidesOfEveryRoundAndLeavesTheReplicasHoldingTheRepositorysBytes() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

        List<DownloadBenchmark.DataSet> sets = new DownloadBenchmark(new DownloadBenchmark.Options(dir.resolve("work"),
                3L << 20, 3, 2, true, 40, 2), out).run();

        Map<String, JsonNode> figures = new TreeMap<>();
        for (String line : printed.toString(StandardCharsets.UTF_8).split("\\R")) {
            JsonNode figure = JSON.readTree(line);
            assertThat(figure.get("scenario").asText()).isEqualTo("restore");
            figures.put(figure.get("metric").asText(), figure);
        }
        assertThat(figures).containsOnlyKeys("download_fs", "download_unchanged", "download_fs_small_files",
                "download_unchanged_small_files");
        for (String metric : List.of("download_fs", "download_fs_small_files")) {
            JsonNode figure = figures.get(metric);
            assertThat(figure.get("value").asDouble()).as(metric).isPositive();
            assertThat(figure.get("baseline_value").asDouble()).as(metric).isPositive();
            assertThat(figure.get("rounds")).as(metric).hasSize(2).allSatisfy(r -> assertThat(r.asDouble())
                    .isPositive());
            assertThat(figure.get("baseline_rounds")).as(metric).hasSize(2).allSatisfy(r -> assertThat(r.asDouble())
                    .isPositive());
            assertThat(figure.get("page_cache_dropped").asBoolean()).isFalse();
        }
        assertThat(sets).hasSize(2);
        DownloadBenchmark.DataSet large = sets.get(0);
        assertThat(large.tablets()).hasSize(3);
        assertThat(figures.get("download_fs").get("bytes").asLong()).isEqualTo(large.bytes()).isPositive();
        assertThat(figures.get("download_fs").get("files").asLong()).isEqualTo(large.files());
        assertThat(figures.get("download_unchanged").get("bytes_checked").asLong()).as("every data file checked")
                .isPositive().isLessThan(large.bytes());
        assertThat(figures.get("download_fs_small_files").get("files").asLong())
                .isEqualTo(sets.get(1).files()).isEqualTo(40);

        for (DownloadBenchmark.DataSet set : sets) {
            for (DownloadBenchmark.TabletRestore tablet : set.tablets()) {
                assertHoldsTheRepositorysFiles(tablet);
            }
        }
    }

    /** Each repository file {@code <name>.<md5>} is in the replica's dir with the same bytes, whose md5 matches. */
    private static void assertHoldsTheRepositorysFiles(DownloadBenchmark.TabletRestore tablet) throws Exception {
        List<String> expected = new ArrayList<>();
        for (Path stored : files(tablet.repositoryDir())) {
            ChecksummedName name = RepositoryLayout.parseChecksummed(stored.getFileName().toString()).orElseThrow();
            String localName = name.name().endsWith(".hdr") ? tablet.localTabletId() + ".hdr" : name.name();
            Path local = tablet.localDir().resolve(localName);
            assertThat(Files.readAllBytes(local)).as(local.toString()).isEqualTo(Files.readAllBytes(stored));
            assertThat(Md5.of(local)).isEqualTo(name.md5());
            expected.add(localName);
        }
        assertThat(expected).anySatisfy(n -> assertThat(n).endsWith(".dat"));
        assertThat(files(tablet.localDir()).stream().map(p -> p.getFileName().toString()))
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    private static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> listing = Files.list(dir)) {
            return listing.filter(Files::isRegularFile).toList();
        }
    }
}
