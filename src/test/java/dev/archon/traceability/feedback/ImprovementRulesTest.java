package dev.archon.traceability.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archon.traceability.feedback.ImprovementRules.Proposal;
import dev.archon.traceability.feedback.ImprovementRules.Reason;
import dev.archon.traceability.feedback.ImprovementRules.Thresholds;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ImprovementRulesTest {

    private static final Thresholds T = new Thresholds(500, 1.0, 0.7, 0.9, 0.3, 5);

    /** A parent version: n executions, mean and standard deviation of durations, mean quality, successes. */
    private static Baseline parent(long n, double meanMs, double sdMs, Double quality, long successes) {
        return new Baseline(UUID.randomUUID(), UUID.randomUUID(), 1, n, successes, n, meanMs, sdMs * sdMs, meanMs,
                meanMs, meanMs, quality == null ? 0 : n, quality, quality == null ? null : 0.01);
    }

    private static List<String> rules(Proposal p) {
        return p.reasons().stream().map(Reason::rule).toList();
    }

    @Test
    void aHealthyParentGetsOnlyTheRequestedMetric() {
        List<Proposal> proposals = ImprovementRules.generate(T, parent(100, 120, 30, 0.9, 99), FeedbackSummary.NONE,
                List.of(Metric.DURATION));
        assertThat(proposals).hasSize(1);
        assertThat(proposals.get(0).metric()).isEqualTo(Metric.DURATION);
        assertThat(rules(proposals.get(0))).containsExactly("requested");
    }

    @Test
    void eachRuleProposesItsMetricWithTheFiguresItSaw() {
        // mean 600 ms > 500; sd 900 / mean 600 = cv 1.5 > 1.0; quality 0.6 < 0.7; 80 of 100 = 0.8 < 0.9
        List<Proposal> proposals = ImprovementRules.generate(T, parent(100, 600, 900, 0.6, 80), FeedbackSummary.NONE,
                List.of(Metric.QUALITY));
        assertThat(proposals).extracting(Proposal::metric)
                .containsExactly(Metric.QUALITY, Metric.DURATION, Metric.SUCCESS_RATE); // requested first
        assertThat(rules(proposals.get(0))).containsExactly("requested", "low_quality");
        assertThat(rules(proposals.get(1))).containsExactly("slow", "high_variance");
        assertThat(rules(proposals.get(2))).containsExactly("unreliable");
        assertThat(proposals.get(1).reasons().get(0).detail()).isEqualTo("mean duration 600 ms of version 1 is above"
                + " 500 ms");
        assertThat(proposals.get(1).reasons().get(1).detail()).contains("coefficient of variation of 1.5, above 1");
        assertThat(proposals.get(2).reasons().get(0).detail()).isEqualTo("success rate 0.8 of version 1 is below 0.9");
    }

    @Test
    void thresholdsAreStrict() {
        // exactly at each threshold: mean 500, cv 1.0, quality 0.7, success 0.9: nothing but the request
        List<Proposal> proposals = ImprovementRules.generate(T, parent(100, 500, 500, 0.7, 90), FeedbackSummary.NONE,
                List.of(Metric.DURATION));
        assertThat(proposals).hasSize(1);
        assertThat(rules(proposals.get(0))).containsExactly("requested");
    }

    @Test
    void negativeFeedbackProposesTheMetricOfItsType() {
        FeedbackSummary feedback = new FeedbackSummary(10, 2.1, 2, 4, 4,
                Map.of("performance", 0L, "quality", 3L, "usage", 0L, "general", 1L));
        List<Proposal> proposals = ImprovementRules.generate(T, parent(100, 120, 30, 0.9, 99), feedback,
                List.of(Metric.DURATION));
        assertThat(proposals).extracting(Proposal::metric).containsExactlyInAnyOrder(Metric.DURATION, Metric.QUALITY);
        Proposal quality = proposals.stream().filter(p -> p.metric() == Metric.QUALITY).findFirst().orElseThrow();
        assertThat(rules(quality)).containsExactly("negative_feedback");
        assertThat(quality.reasons().get(0).detail()).startsWith("4 of 10 feedback items are negative");
        // "general" negative feedback goes to the requested metric
        Proposal duration = proposals.stream().filter(p -> p.metric() == Metric.DURATION).findFirst().orElseThrow();
        assertThat(rules(duration)).containsExactly("requested", "negative_feedback");
    }

    @Test
    void tooFewFeedbackItemsOrTooSmallAShareProposeNothing() {
        FeedbackSummary few = new FeedbackSummary(4, 1.0, 0, 0, 4, Map.of("quality", 4L));
        assertThat(ImprovementRules.generate(T, parent(100, 120, 30, 0.9, 99), few, List.of(Metric.DURATION)))
                .hasSize(1);
        FeedbackSummary mostlyHappy = new FeedbackSummary(10, 4.0, 8, 0, 2, Map.of("quality", 2L));
        assertThat(ImprovementRules.generate(T, parent(100, 120, 30, 0.9, 99), mostlyHappy, List.of(Metric.DURATION)))
                .hasSize(1);
    }

    @Test
    void aParentWithoutDurationsOrQualityScoresTriggersNoRuleOnThem() {
        Baseline noValues = new Baseline(UUID.randomUUID(), UUID.randomUUID(), 3, 50, 50, 0, null, null, null, null,
                null, 0, null, null);
        List<Proposal> proposals = ImprovementRules.generate(T, noValues, FeedbackSummary.NONE,
                List.of(Metric.SUCCESS_RATE));
        assertThat(proposals).extracting(Proposal::metric).containsExactly(Metric.SUCCESS_RATE);
    }
}
