package dev.archon.traceability.feedback;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.descriptive.StatisticalSummaryValues;
import org.apache.commons.math3.stat.inference.TTest;

/**
 * The significance tests of the validate stage. Inputs are summaries of one metric on two versions, the parent (the
 * control) and the child (the candidate); the answer is a {@link Comparison}: test statistic, two-sided p-value,
 * confidence = 1 − p, effect size, relative delta and direction. Welch's t-test (unequal variances, Apache Commons
 * Math's {@code TTest.tTest}, p from the t distribution with Welch–Satterthwaite degrees of freedom) compares means
 * of durations and quality scores; a two-proportion z-test (pooled standard error, p from the standard normal)
 * compares success rates. Deltas and effect sizes are signed so that positive means the child is better (faster,
 * higher quality, more reliable). Plain Java: no database, no Camel.
 */
public final class Significance {

    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

    private Significance() {
    }

    /** n, mean and sample variance (n − 1 in the denominator) of one metric over one version's executions. */
    public record Sample(long n, double mean, double variance) {
    }

    /** Successful executions out of n. */
    public record Proportion(long successes, long n) {

        public double rate() {
            return n == 0 ? Double.NaN : (double) successes / n;
        }
    }

    /** Which way the child differs from the parent on the metric (NONE: the same value). */
    public enum Direction {
        BETTER, WORSE, NONE;

        public String wireName() {
            return name().toLowerCase();
        }
    }

    /**
     * One test's result. {@code statistic} is t or z of child − parent (null when undefined: no variance at all);
     * {@code degreesOfFreedom} is null for the z-test; {@code effectSize} is Cohen's d (pooled standard deviation)
     * or Cohen's h (arcsine difference) in the better direction (null when undefined: different values, no
     * variance); {@code relativeDelta} is the change relative to
     * the parent in the better direction (0.25 = 25 % faster for durations; null when the parent's value is 0);
     * {@code significant} is p &lt; {@code significanceLevel}.
     */
    public record Comparison(Metric metric, long nParent, long nChild, double parentValue, double childValue,
                             Double statistic, Double degreesOfFreedom, double pValue, String effectSizeKind,
                             Double effectSize, Double relativeDelta, Direction direction, boolean significant,
                             double significanceLevel) {

        public double confidence() {
            return 1 - pValue;
        }

        public String test() {
            return metric.test();
        }

        /** Significantly better: p below the significance level, child better. */
        public boolean better() {
            return significant && direction == Direction.BETTER;
        }

        /** Significantly worse: p below the significance level, child worse. */
        public boolean worse() {
            return significant && direction == Direction.WORSE;
        }

        /** As recorded with proposals, in workflow results and in an IMPROVED_VERSION edge's metadata. */
        public Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("metric", metric.wireName());
            m.put("test", test());
            m.put("n_parent", nParent);
            m.put("n_child", nChild);
            m.put("parent_value", parentValue);
            m.put("child_value", childValue);
            m.put("statistic", statistic);
            m.put("degrees_of_freedom", degreesOfFreedom);
            m.put("p_value", pValue);
            m.put("confidence", confidence());
            m.put("effect_size", effectSize);
            m.put("effect_size_kind", effectSizeKind);
            m.put("relative_delta", relativeDelta);
            m.put("direction", direction.wireName());
            m.put("significant", significant);
            m.put("significance_level", significanceLevel);
            return m;
        }
    }

    /**
     * Welch's t-test of the child's mean against the parent's (durations, quality scores); both samples need at
     * least 2 values.
     */
    public static Comparison welch(Metric metric, Sample parent, Sample child, double significanceLevel) {
        if (parent.n() < 2 || child.n() < 2) {
            throw new IllegalArgumentException("Welch's t-test needs at least 2 values per version (parent "
                    + parent.n() + ", child " + child.n() + ")");
        }
        double difference = child.mean() - parent.mean();
        double gain = metric.lowerIsBetter() ? -difference : difference;
        Double t;
        Double df;
        double p;
        double se2 = parent.variance() / parent.n() + child.variance() / child.n();
        if (se2 == 0) {
            // no variance in either version: the means differ for certain, or not at all
            t = difference == 0 ? 0.0 : null;
            df = null;
            p = difference == 0 ? 1 : 0;
        } else {
            TTest tTest = new TTest();
            StatisticalSummaryValues c = summary(child);
            StatisticalSummaryValues pa = summary(parent);
            t = tTest.t(c, pa);
            p = tTest.tTest(c, pa);
            df = welchDegreesOfFreedom(parent, child);
        }
        double pooledSd = Math.sqrt(((parent.n() - 1) * parent.variance() + (child.n() - 1) * child.variance())
                / (parent.n() + child.n() - 2));
        Double d = null; // undefined: different values without any variance
        if (pooledSd > 0) {
            d = gain / pooledSd;
        } else if (gain == 0) {
            d = 0.0;
        }
        return new Comparison(metric, parent.n(), child.n(), parent.mean(), child.mean(), t, df, p, "cohens_d", d,
                relative(gain, parent.mean()), direction(gain), p < significanceLevel, significanceLevel);
    }

    /** The two-proportion z-test of the child's success rate against the parent's (pooled standard error). */
    public static Comparison twoProportions(Proportion parent, Proportion child, double significanceLevel) {
        if (parent.n() == 0 || child.n() == 0) {
            throw new IllegalArgumentException("the z-test needs executions of both versions (parent " + parent.n()
                    + ", child " + child.n() + ")");
        }
        double p1 = parent.rate();
        double p2 = child.rate();
        double pooled = (double) (parent.successes() + child.successes()) / (parent.n() + child.n());
        double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / parent.n() + 1.0 / child.n()));
        Double z;
        double p;
        if (se == 0) {
            // every execution of both succeeded (or none did): the rates are equal
            z = 0.0;
            p = 1;
        } else {
            z = (p2 - p1) / se;
            p = 2 * STANDARD_NORMAL.cumulativeProbability(-Math.abs(z));
        }
        double h = 2 * Math.asin(Math.sqrt(p2)) - 2 * Math.asin(Math.sqrt(p1));
        double gain = p2 - p1;
        return new Comparison(Metric.SUCCESS_RATE, parent.n(), child.n(), p1, p2, z, null, p, "cohens_h", h,
                relative(gain, p1), direction(gain), p < significanceLevel, significanceLevel);
    }

    /** Welch–Satterthwaite: (v1/n1 + v2/n2)² / ((v1/n1)²/(n1 − 1) + (v2/n2)²/(n2 − 1)). */
    static double welchDegreesOfFreedom(Sample a, Sample b) {
        double x = a.variance() / a.n();
        double y = b.variance() / b.n();
        return (x + y) * (x + y) / (x * x / (a.n() - 1) + y * y / (b.n() - 1));
    }

    private static StatisticalSummaryValues summary(Sample s) {
        // TTest reads n, mean and variance only; max, min and sum are not used by the test
        return new StatisticalSummaryValues(s.mean(), s.variance(), s.n(), Double.NaN, Double.NaN, s.mean() * s.n());
    }

    private static Double relative(double gain, double parentValue) {
        return parentValue == 0 ? null : gain / Math.abs(parentValue);
    }

    private static Direction direction(double gain) {
        return gain > 0 ? Direction.BETTER : gain < 0 ? Direction.WORSE : Direction.NONE;
    }
}
