package io.snapbus.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

/** The {@code __repo_info} JSON as Doris writes and reads it, and md5s as Doris names files with them. */
class RepositoryInfoTest {

    @Test
    void writesCompactJsonAndReadsAnySpacingAndOrder() {
        RepositoryInfo info = RepositoryInfo.of("repo1", Instant.parse("2024-05-06T07:08:09Z"), ZoneOffset.UTC);

        assertThat(info.toJson()).isEqualTo("{\"name\":\"repo1\",\"create_time\":\"2024-05-06 07:08:09\"}");
        assertThat(RepositoryInfo.parse(info.toJson())).isEqualTo(info);
        assertThat(RepositoryInfo.parse(" {\n \"create_time\" : \"2024-05-06 07:08:09\", \"extra\": 1.5e3, \"flag\": true,\n"
                + " \"none\": null, \"name\" : \"re\\u0070o1\" }\n")).isEqualTo(info);
    }

    @Test
    void escapesAndRefusesMalformedJson() {
        RepositoryInfo quoted = new RepositoryInfo("r", "a\"b\\c\n\u0001");
        assertThat(quoted.toJson()).isEqualTo("{\"name\":\"r\",\"create_time\":\"a\\\"b\\\\c\\n\\u0001\"}");
        assertThat(RepositoryInfo.parse(quoted.toJson())).isEqualTo(quoted);
        assertThatThrownBy(() -> RepositoryInfo.parse("{\"name\":\"r\"}")).hasMessageContaining("create_time");
        assertThatThrownBy(() -> RepositoryInfo.parse("{\"name\":\"r\",")).hasMessageContaining("malformed JSON");
        assertThatThrownBy(() -> RepositoryInfo.parse("{\"name\":{\"nested\":1},\"create_time\":\"t\"}"))
                .hasMessageContaining("must be strings");
        assertThat(RepositoryInfo.parse("{\"name\":\"r\",\"create_time\":\"t\",\"more\":{\"nested\":[1]}}"))
                .isEqualTo(new RepositoryInfo("r", "t"));
        assertThatThrownBy(() -> RepositoryInfo.parse("{} trailing")).hasMessageContaining("malformed JSON at line 1, column 4");
    }

    @Test
    void md5MatchesKnownVectors() {
        assertThat(Md5.of(new byte[0])).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
        assertThat(Md5.of("The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("9e107d9d372bb6826bd81d3542a419d6");
        assertThat(Md5.hex(new byte[] {0, 15, (byte) 255})).isEqualTo("000fff");
    }
}
