package io.snapbus.node.bench;

import io.snapbus.bench.Figure;
import java.util.Arrays;

/**
 * The seconds each side of a comparison took in every round, as rates of one data set. On a shared virtual machine
 * the same copy's time moves several-fold between rounds, so a figure gives both the best and the median round of
 * each side, and every round.
 */
record Rounds(double[] seconds, double[] baselineSeconds) {

    /** Adds best and median rates of both sides, their ratios and every round's rate to {@code figure}. */
    Figure describe(Figure figure, long bytes) {
        double[] rates = rates(bytes, seconds);
        double[] baselineRates = rates(bytes, baselineSeconds);
        double best = Arrays.stream(rates).max().orElseThrow();
        double baselineBest = Arrays.stream(baselineRates).max().orElseThrow();
        double median = median(rates);
        double baselineMedian = median(baselineRates);
        return figure.with("best", best, 1).with("baseline_best", baselineBest, 1)
                .with("ratio_best", best / baselineBest, 2).with("median", median, 1)
                .with("baseline_median", baselineMedian, 1).with("ratio_median", median / baselineMedian, 2)
                .with("rounds", rates, 1).with("baseline_rounds", baselineRates, 1);
    }

    double bestSeconds() {
        return Arrays.stream(seconds).min().orElseThrow();
    }

    double baselineBestSeconds() {
        return Arrays.stream(baselineSeconds).min().orElseThrow();
    }

    private static double[] rates(long bytes, double[] seconds) {
        return Arrays.stream(seconds).map(s -> bytes / s / 1e6).toArray();
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
