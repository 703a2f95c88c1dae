package io.snapbus.jobs.backup.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class JobInfoFileTest {
    @Test
    void ordersIdsAsTheirDecimalStringsWouldBeOrdered() {
        Random random = new Random(7);
        long[] ids = LongStream.concat(LongStream.of(0, 1, 9, 10, 19, 100, 101, 999, 1000, Long.MAX_VALUE,
                Long.MAX_VALUE / 10, 922337203685477580L, 9223372036854775L, -1, -20, Long.MIN_VALUE),
                LongStream.generate(() -> random.nextBoolean() ? random.nextInt(100_000)
                        : random.nextLong() >>> random.nextInt(64)).limit(5000)).toArray();
        Long[] byString = Arrays.stream(ids).boxed().toArray(Long[]::new);
        Arrays.sort(byString, Comparator.comparing(String::valueOf));
        Long[] byDecimal = Arrays.stream(ids).boxed().toArray(Long[]::new);
        Arrays.sort(byDecimal, JobInfoFile::compareDecimal);
        assertThat(byDecimal).containsExactly(byString);
    }
}
