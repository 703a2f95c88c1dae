package io.snapbus.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ProblemTypeTest {

    @Test
    void aTypeIsTheCodeInLowerCaseWithDashesUnderTheSnapbusUrn() {
        assertThat(ProblemType.UNKNOWN_TABLE.uri()).isEqualTo("urn:snapbus:problem:unknown-table");
        assertThat(ProblemType.uriOf("SOMETHING_NEW")).isEqualTo("urn:snapbus:problem:something-new");
    }

    @Test
    void everyTypeIsFoundByItsCodeAndItsUri() {
        Arrays.stream(ProblemType.values()).filter(t -> t != ProblemType.OTHER).forEach(t -> {
            assertThat(ProblemType.ofCode(t.code())).isEqualTo(t);
            assertThat(ProblemType.ofUri(t.uri())).isEqualTo(t);
        });
        assertThat(Arrays.stream(ProblemType.values()).map(ProblemType::uri)).doesNotHaveDuplicates();
    }

    @Test
    void anUnknownCodeOrUriIsOther() {
        assertThat(ProblemType.ofCode("SOMETHING_NEW")).isEqualTo(ProblemType.OTHER);
        assertThat(ProblemType.ofUri("about:blank")).isEqualTo(ProblemType.OTHER);
        assertThat(ProblemType.ofUri(null)).isEqualTo(ProblemType.OTHER);
    }
}
