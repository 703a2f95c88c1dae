package io.snapbus.jobs.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.avro.RetentionPolicyDef;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SLM's retention rules: min_count first, then max_count and expire_after. */
class RetentionRulesTest {
    private static final long DAY = 86_400_000L;
    private static final long NOW = 100 * DAY;
    /** One snapshot a day for the last ten days: day1 is the oldest, day10 was taken a day ago. */
    private static final List<RetentionRules.Snapshot> TEN_DAYS = java.util.stream.IntStream.rangeClosed(1, 10)
            .mapToObj(d -> new RetentionRules.Snapshot("day" + d, NOW - (11 - d) * DAY)).toList();

    @Test
    void maxCountDeletesTheOldestBeyondIt() {
        assertThat(labels(RetentionRules.toDelete(policy(0, 0, 7), TEN_DAYS, NOW)))
                .containsExactly("day1", "day2", "day3");
    }

    @Test
    void expireAfterDeletesWhatIsOlderButMinCountKeepsTheNewestWhateverTheirAge() {
        assertThat(labels(RetentionRules.toDelete(policy(5 * DAY, 0, 0), TEN_DAYS, NOW)))
                .containsExactly("day1", "day2", "day3", "day4", "day5");
        assertThat(labels(RetentionRules.toDelete(policy(5 * DAY, 8, 0), TEN_DAYS, NOW)))
                .as("min_count 8 keeps day3..day10").containsExactly("day1", "day2");
        assertThat(RetentionRules.toDelete(policy(DAY / 2, 10, 0), TEN_DAYS, NOW)).as("all kept by min_count")
                .isEmpty();
    }

    @Test
    void aSnapshotGoesWhenEitherLimitSaysSo() {
        assertThat(labels(RetentionRules.toDelete(policy(8 * DAY, 2, 4), TEN_DAYS, NOW)))
                .containsExactly("day1", "day2", "day3", "day4", "day5", "day6");
    }

    @Test
    void noLimitsOrFewSnapshotsDeleteNothing() {
        assertThat(RetentionRules.toDelete(policy(0, 0, 0), TEN_DAYS, NOW)).isEmpty();
        assertThat(RetentionRules.toDelete(policy(0, 0, 20), TEN_DAYS, NOW)).isEmpty();
        assertThat(RetentionRules.toDelete(policy(DAY, 0, 1), List.of(), NOW)).isEmpty();
    }

    private static RetentionPolicyDef policy(long expireAfterMs, int minCount, int maxCount) {
        return new RetentionPolicyDef("daily", "repo", expireAfterMs, minCount, maxCount, 0L);
    }

    private static List<String> labels(List<RetentionRules.Snapshot> snapshots) {
        return snapshots.stream().map(RetentionRules.Snapshot::label).toList();
    }
}
