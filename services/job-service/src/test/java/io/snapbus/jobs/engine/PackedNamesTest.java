package io.snapbus.jobs.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PackedNamesTest {
    private static final String MD5 = "0123456789abcdef0123456789abcdef";

    @Test
    void unpacksExactlyWhatWasPackedNullsAndLookAlikesIncluded() {
        List<String> names = Arrays.asList(null, "10001.hdr." + MD5, "020000000000000a_0.dat." + MD5, "",
                "upper.0123456789ABCDEF0123456789ABCDEF", "short.abc", "x".repeat(300), "é/ü." + MD5,
                "." + MD5, MD5);
        byte[] packed = PackedNames.pack(names);
        assertThat(PackedNames.count(packed)).isEqualTo(names.size());
        assertThat(PackedNames.unpack(packed, 0)).isEqualTo(names);
        assertThat(PackedNames.unpack(packed, 1)).isEqualTo(names.subList(1, names.size()));
        assertThat(PackedNames.unpack(packed, names.size())).isEmpty();
        for (int i = 0; i < names.size(); i++) {
            assertThat(PackedNames.get(packed, i)).isEqualTo(names.get(i));
        }
    }

    @Test
    void keepsAnMd5SuffixAsSixteenBytes() {
        String name = "020000000000000a_0.dat";
        byte[] plain = PackedNames.pack(List.of(name + ".x"));
        byte[] withMd5 = PackedNames.pack(List.of(name + "." + MD5));
        assertThat(withMd5.length).isEqualTo(plain.length - 2 + 16);
    }

    @Test
    void sharesOneInstanceOfEachPathPrefix() {
        String a = PackedNames.sharedPrefix(new String("/data/node-1/snapshot/20261207.1.60"));
        String b = PackedNames.sharedPrefix(new String("/data/node-1/snapshot/20261207.2.60"));
        assertThat(a).isEqualTo("/data/node-1/snapshot/").isSameAs(b);
        assertThat(PackedNames.sharedPrefix("relative")).isNull();
    }
}
