package dev.archon.traceability.feedback;

import dev.archon.traceability.feedback.ImprovementDecision.Outcome;
import dev.archon.traceability.feedback.ImprovementDecision.Verdict;
import dev.archon.traceability.feedback.ImprovementRules.Proposal;
import dev.archon.traceability.feedback.ImprovementRules.Reason;
import dev.archon.traceability.feedback.ImprovementRules.Thresholds;
import dev.archon.traceability.feedback.Significance.Comparison;
import dev.archon.traceability.feedback.WindowQueries.Counts;
import dev.archon.traceability.feedback.WindowQueries.Version;
import dev.archon.traceability.feedback.Workflow.Findings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What each stage does, on the workflow's lease connection inside the stage's transaction (see
 * {@link FeedbackLoop}): reads, the rules and tests, the proposals, and what was applied. Each returns the stage's
 * outcome and figures; the stage's effects and its record commit together.
 */
final class WorkflowStages {

    /** A stage's outcome: completed or skipped (with why), its figures, and for the last stage the workflow's end. */
    record Result(String status, Map<String, Object> figures, String finalStatus, Map<String, Object> results) {

        static Result completed(Map<String, Object> figures) {
            return new Result("completed", figures, null, null);
        }

        static Result skipped(String why) {
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("skipped", why);
            return new Result("skipped", figures, null, null);
        }
    }

    private final Thresholds thresholds;
    private final Clock clock;

    WorkflowStages(Thresholds thresholds, Clock clock) {
        this.thresholds = thresholds;
        this.clock = clock;
    }

    /** collect: the window, the newest version and its parent, the pattern's executions and feedback in the window. */
    Result collect(Connection c, Workflow w) throws SQLException {
        Findings f = w.findings();
        f.windowEnd = clock.instant();
        f.windowStart = f.windowEnd.minus(Duration.ofDays(w.parameters().timeWindowDays()));
        Version child = WindowQueries.newestVersion(c, w.patternId());
        Version parent = child == null || child.parentNodeId() == null ? null
                : WindowQueries.node(c, child.parentNodeId());
        if (child != null) {
            f.childNodeId = child.nodeId();
            f.childVersion = child.version();
        }
        if (parent != null) {
            f.parentNodeId = parent.nodeId();
            f.parentVersion = parent.version();
            f.parentPatternId = parent.patternId();
        }
        Counts counts = WindowQueries.counts(c, w.patternId(), f.windowStart, f.windowEnd);
        f.executions = counts.total();
        f.unattributed = counts.byNode().getOrDefault(null, 0L);
        f.feedback = WindowQueries.feedback(c, w.patternId(), f.windowStart, f.windowEnd);

        List<Map<String, Object>> byVersion = new ArrayList<>();
        List<UUID> nodes = counts.byNode().keySet().stream().filter(n -> n != null).toList();
        long unknown = counts.total() - f.unattributed;
        for (Version v : WindowQueries.nodes(c, nodes)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("version_number", v.version());
            m.put("node_id", v.nodeId());
            m.put("executions", counts.byNode().get(v.nodeId()));
            byVersion.add(m);
            unknown -= counts.byNode().get(v.nodeId());
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("window_start", f.windowStart.toString());
        figures.put("window_end", f.windowEnd.toString());
        figures.put("executions", f.executions);
        figures.put("executions_by_version", byVersion);
        figures.put("executions_without_version", f.unattributed + unknown);
        figures.put("newest_version", child == null ? null : version(child));
        figures.put("parent_version", parent == null ? null : version(parent));
        figures.put("feedback", f.feedback.asMap());
        return Result.completed(figures);
    }

    /**
     * analyze: each version's baseline in the window, and whether the two compared versions have min_sample_size
     * values of every metric the feedback_type asks about (otherwise the workflow ends as INSUFFICIENT_DATA).
     */
    Result analyze(Connection c, Workflow w) throws SQLException {
        Findings f = w.findings();
        Map<UUID, Baseline> all = WindowQueries.baselines(c, w.patternId(), f.windowStart, f.windowEnd, null);
        f.child = f.childNodeId == null ? null : all.get(f.childNodeId);
        if (f.parentNodeId != null) {
            f.parent = f.parentPatternId.equals(w.patternId()) ? all.get(f.parentNodeId)
                    : WindowQueries.baselines(c, f.parentPatternId, f.windowStart, f.windowEnd, f.parentNodeId)
                    .get(f.parentNodeId);
        }
        int min = w.parameters().minSampleSize();
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("min_sample_size", min);
        counts.put("parent", arm(f.parentVersion, f.parentNodeId, f.parent));
        counts.put("child", arm(f.childVersion, f.childNodeId, f.child));
        f.counts = counts;
        if (f.childNodeId == null) {
            f.insufficient = "the pattern has no version";
        } else if (f.parentNodeId == null) {
            f.insufficient = "version " + f.childVersion + " has no parent version to compare it with";
        } else {
            for (Metric m : w.parameters().feedbackType().metrics()) {
                long np = f.parent == null ? 0 : f.parent.n(m);
                long nc = f.child == null ? 0 : f.child.n(m);
                if (np < min || nc < min) {
                    f.insufficient = "fewer than min_sample_size (" + min + ") executions with " + m.wireName()
                            + " per version in the window: version " + f.parentVersion + " has " + np + ", version "
                            + f.childVersion + " has " + nc;
                    break;
                }
            }
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("baselines", all.values().stream().sorted(Comparator.comparingInt(Baseline::version))
                .map(Baseline::asMap).toList());
        if (f.parent != null && !all.containsKey(f.parent.nodeId())) {
            figures.put("parent_baseline", f.parent.asMap()); // a fork's parent, of another pattern
        }
        figures.put("compared", counts);
        figures.put("sufficient_data", f.insufficient == null);
        if (f.insufficient != null) {
            figures.put("insufficient_data", f.insufficient);
        }
        return Result.completed(figures);
    }

    /** generate: the rules' proposals (one per metric), stored with status proposed. */
    Result generate(Connection c, Workflow w) throws SQLException {
        Findings f = w.findings();
        if (f.insufficient != null) {
            return Result.skipped("insufficient data: " + f.insufficient);
        }
        Instant now = clock.instant();
        List<Map<String, Object>> made = new ArrayList<>();
        for (Proposal p : ImprovementRules.generate(thresholds, f.parent,
                f.feedback == null ? FeedbackSummary.NONE : f.feedback, w.parameters().feedbackType().metrics())) {
            UUID id = UUID.randomUUID();
            List<Map<String, Object>> reasons = p.reasons().stream().map(Reason::asMap).toList();
            Proposals.insert(c, id, w.id(), w.patternId(), "improvement", p.metric(), f.parentNodeId,
                    f.childNodeId, reasons, Proposals.PROPOSED, null, null, null, null, null, now);
            f.proposals.add(id);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("proposal_id", id);
            m.put("metric", p.metric().wireName());
            m.put("reasons", reasons);
            made.add(m);
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("improvements_identified", made.size());
        figures.put("proposals", made);
        return Result.completed(figures);
    }

    /**
     * validate: the newer version against its parent on every metric both have min_sample_size values of (Welch's
     * t-test on durations and quality, the two-proportion z-test on success); each proposal validated (significantly
     * better on its metric) or rejected; the decision; a roll-back proposal when the newer version is worse.
     */
    Result validate(Connection c, Workflow w) throws SQLException {
        Findings f = w.findings();
        if (f.insufficient != null) {
            return Result.skipped("insufficient data: " + f.insufficient);
        }
        if (!w.parameters().enableAbTesting()) {
            return Result.skipped("enable_ab_testing is false: nothing is tested, so nothing is applied; the"
                    + " proposals wait for review");
        }
        WorkflowParameters params = w.parameters();
        double alpha = params.significanceLevel();
        int min = params.minSampleSize();
        List<Map<String, Object>> untested = new ArrayList<>();
        for (Metric m : Metric.values()) {
            long np = f.parent.n(m);
            long nc = f.child.n(m);
            if (np < Math.max(min, 2) || nc < Math.max(min, 2)) {
                Map<String, Object> u = new LinkedHashMap<>();
                u.put("metric", m.wireName());
                u.put("n_parent", np);
                u.put("n_child", nc);
                untested.add(u);
                continue;
            }
            f.comparisons.put(m, switch (m) {
                case DURATION -> Significance.welch(m, f.parent.duration(), f.child.duration(), alpha);
                case QUALITY -> Significance.welch(m, f.parent.quality(), f.child.quality(), alpha);
                case SUCCESS_RATE -> Significance.twoProportions(f.parent.success(), f.child.success(), alpha);
            });
        }
        f.tested = true;
        List<Metric> requested = params.feedbackType().metrics();
        Verdict verdict = ImprovementDecision.decide(requested, f.comparisons, params.autoApplyThreshold());
        f.verdict = verdict.outcome();
        f.verdictReason = verdict.reason();
        f.ofRecord = verdict.ofRecord() == null ? null : verdict.ofRecord().metric();
        f.pValue = verdict.pValue();
        f.confidence = verdict.confidence();

        Instant now = clock.instant();
        int validated = 0;
        int rejected = 0;
        for (Proposals.Proposal p : Proposals.ofWorkflow(c, w.id())) {
            if (!p.kind().equals("improvement") || !p.status().equals(Proposals.PROPOSED)) {
                continue;
            }
            Comparison cmp = f.comparisons.get(p.metric());
            if (cmp == null) {
                Proposals.judge(c, p.id(), Proposals.REJECTED, null, null, null, "not tested: fewer than"
                        + " min_sample_size (" + min + ") values of " + p.metric().wireName() + " per version", now);
                rejected++;
            } else if (ImprovementDecision.validates(cmp)) {
                Proposals.judge(c, p.id(), Proposals.VALIDATED, test(cmp, f, verdict, requested), cmp.pValue(),
                        cmp.confidence(), "significantly better on " + p.metric().wireName() + " (p = "
                                + ImprovementDecision.fmtP(cmp.pValue()) + ")", now);
                validated++;
            } else {
                Proposals.judge(c, p.id(), Proposals.REJECTED, test(cmp, f, verdict, requested), cmp.pValue(),
                        cmp.confidence(), (cmp.worse() ? "significantly worse on " : "not significantly better on ")
                                + p.metric().wireName() + " (p = " + ImprovementDecision.fmtP(cmp.pValue())
                                + ", significance level " + alpha + ")", now);
                rejected++;
            }
        }
        if (verdict.outcome() == Outcome.REGRESSION) {
            Comparison worst = verdict.worse().get(0);
            List<Map<String, Object>> reasons = new ArrayList<>();
            for (Comparison cmp : verdict.worse()) {
                reasons.add(new Reason("regression", "version " + f.childVersion + " is significantly worse than"
                        + " version " + f.parentVersion + " on " + cmp.metric().wireName() + ": "
                        + ImprovementRules.fmt(cmp.parentValue()) + " -> " + ImprovementRules.fmt(cmp.childValue())
                        + " (p = " + ImprovementDecision.fmtP(cmp.pValue()) + ")").asMap());
            }
            f.rollbackProposal = UUID.randomUUID();
            Proposals.insert(c, f.rollbackProposal, w.id(), w.patternId(), "rollback", worst.metric(),
                    f.parentNodeId, f.childNodeId, reasons, Proposals.PROPOSED, test(worst, f, verdict, requested),
                    worst.pValue(), worst.confidence(), null, "roll back to version " + f.parentVersion
                            + " (apply: version " + f.childVersion + " is marked deprecated)", now);
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("tests", f.comparisons.values().stream().map(Comparison::asMap).toList());
        figures.put("untested", untested);
        figures.put("improvements_validated", validated);
        figures.put("improvements_rejected", rejected);
        figures.put("verdict", verdict.outcome().wireName());
        figures.put("reason", verdict.reason());
        figures.put("regression", verdict.outcome() == Outcome.REGRESSION);
        figures.put("rollback_proposal_id", f.rollbackProposal);
        return Result.completed(figures);
    }

    /**
     * apply: at the verdict APPLY, the proposal of the metric of record becomes the IMPROVED_VERSION edge (with the
     * child's baselines and a lineage event); validated proposals not applied wait for review.
     */
    Result apply(Connection c, Workflow w) throws SQLException {
        Findings f = w.findings();
        if (f.insufficient != null) {
            return Result.skipped("insufficient data: " + f.insufficient);
        }
        if (!f.tested) {
            return Result.skipped("enable_ab_testing is false: nothing is applied without a test");
        }
        Instant now = clock.instant();
        List<Map<String, Object>> applied = new ArrayList<>();
        List<UUID> waiting = new ArrayList<>();
        for (Proposals.Proposal p : Proposals.ofWorkflow(c, w.id())) {
            if (!p.status().equals(Proposals.VALIDATED)) {
                continue;
            }
            if (f.verdict == Outcome.APPLY && p.metric() == f.ofRecord && p.kind().equals("improvement")) {
                ImprovementApplier.Applied a = ImprovementApplier.apply(c, p, "auto", now);
                Proposals.applied(c, p.id(), a.edgeId(), "auto", a.alreadyApplied()
                        ? "already applied by an earlier workflow (edge " + a.edgeId() + "): nothing written"
                        : "applied automatically: " + f.verdictReason, now);
                if (!a.alreadyApplied()) {
                    f.applied.add(p.id());
                }
                f.edgeId = a.edgeId();
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("proposal_id", p.id());
                m.put("edge_id", a.edgeId());
                m.put("lineage_event_id", a.eventId());
                m.put("already_applied", a.alreadyApplied());
                applied.add(m);
            } else {
                Proposals.note(c, p.id(), (p.note() == null ? "" : p.note() + "; ") + "waits for review: " + (f.verdict == Outcome.REGRESSION
                        ? "not applied automatically while the version is worse on another metric"
                        : p.metric() == f.ofRecord ? f.verdictReason
                        : p.metric().wireName() + " is not what the workflow's feedback_type asks about"));
                waiting.add(p.id());
            }
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("verdict", f.verdict.wireName());
        figures.put("reason", f.verdictReason);
        figures.put("applied", applied);
        figures.put("waiting_for_review", waiting);
        if (f.rollbackProposal != null) {
            figures.put("rollback_proposal_id", f.rollbackProposal);
        }
        return Result.completed(figures);
    }

    /**
     * track: the lineage events this workflow wrote (their correlation_id is the workflow id), and the workflow's
     * results; it ends completed, or insufficient_data.
     */
    Result track(Connection c, Workflow w) throws SQLException {
        Findings f = w.findings();
        List<Map<String, Object>> events = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT event_id, event_type, node_id, edge_id, \"timestamp\""
                + " FROM lineage_events WHERE correlation_id = ? ORDER BY \"timestamp\", event_id")) {
            ps.setString(1, w.id().toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("event_id", rs.getObject(1, UUID.class));
                    e.put("event_type", rs.getString(2));
                    e.put("node_id", rs.getObject(3, UUID.class));
                    e.put("edge_id", rs.getObject(4, UUID.class));
                    e.put("timestamp", rs.getTimestamp(5).toInstant().toString());
                    events.add(e);
                }
            }
        }
        String status = f.insufficient != null ? Workflows.INSUFFICIENT_DATA : Workflows.COMPLETED;
        Map<String, Object> results = results(w, Proposals.ofWorkflow(c, w.id()));
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("lineage_events", events);
        figures.put("outcome", results.get("outcome"));
        return new Result("completed", figures, status, results);
    }

    /** The workflow's results: the contract's figures, then what they rest on. */
    static Map<String, Object> results(Workflow w, List<Proposals.Proposal> proposals) {
        Findings f = w.findings();
        Comparison ofRecord = f.ofRecord == null ? null : f.comparisons.get(f.ofRecord);
        long improvements = proposals.stream().filter(p -> p.kind().equals("improvement")).count();
        long validated = proposals.stream().filter(p -> p.kind().equals("improvement")
                && (p.status().equals(Proposals.VALIDATED) || p.status().equals(Proposals.APPLIED))
                && p.pValue() != null).count();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("feedback_collected", f.feedback == null ? 0 : f.feedback.items());
        r.put("executions_analyzed", (f.parent == null ? 0 : f.parent.executions())
                + (f.child == null ? 0 : f.child.executions()));
        r.put("improvements_identified", improvements);
        r.put("improvements_validated", validated);
        r.put("improvements_applied", f.applied.size());
        r.put("performance_delta", ofRecord == null ? null : ofRecord.relativeDelta());
        r.put("confidence_score", f.confidence);
        r.put("p_value", f.pValue);
        r.put("statistically_significant", f.pValue != null && f.pValue < w.parameters().significanceLevel());
        r.put("outcome", outcome(f));
        r.put("metric", f.ofRecord == null ? null : f.ofRecord.wireName());
        r.put("reason", f.insufficient != null ? f.insufficient : f.verdictReason);
        r.put("regression", f.verdict == Outcome.REGRESSION);
        r.put("rollback_proposal_id", f.rollbackProposal);
        r.put("edge_id", f.edgeId);
        r.put("parent_version", f.parentVersion);
        r.put("child_version", f.childVersion);
        r.put("executions_in_window", f.executions);
        if (f.insufficient != null) {
            r.put("counts", f.counts);
        }
        r.put("tests", f.comparisons.values().stream().map(Comparison::asMap).toList());
        return r;
    }

    private static String outcome(Findings f) {
        if (f.insufficient != null) {
            return "insufficient_data";
        }
        if (f.verdict == null) {
            return f.tested || f.proposals.isEmpty() ? "not_decided" : "not_tested";
        }
        return switch (f.verdict) {
            case APPLY -> f.applied.isEmpty() && f.edgeId != null ? "already_applied" : "applied";
            case REVIEW -> "awaiting_review";
            case REJECTED -> "rejected";
            case REGRESSION -> "regression";
        };
    }

    /** What a proposal records of its test: the comparison, the child's baseline (for applying it later), the window. */
    private static Map<String, Object> test(Comparison cmp, Findings f, Verdict verdict, List<Metric> requested) {
        Map<String, Object> m = cmp.asMap();
        if (requested.size() > 1 && verdict.ofRecord() == cmp) {
            m.put("adjusted_p_value", verdict.pValue());
            m.put("adjustment", "bonferroni over the " + requested.stream()
                    .filter(f.comparisons::containsKey).count() + " metrics tested");
        }
        m.put("parent_version", f.parentVersion);
        m.put("child_version", f.childVersion);
        m.put("window_start", f.windowStart.toString());
        m.put("window_end", f.windowEnd.toString());
        m.put("child_baseline", f.child.asMap());
        return m;
    }

    private static Map<String, Object> arm(Integer version, UUID node, Baseline b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version_number", version);
        m.put("node_id", node);
        m.put("executions", b == null ? 0 : b.executions());
        m.put("with_duration", b == null ? 0 : b.durationN());
        m.put("with_quality", b == null ? 0 : b.qualityN());
        return m;
    }

    private static Map<String, Object> version(Version v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("node_id", v.nodeId());
        m.put("version_number", v.version());
        m.put("pattern_id", v.patternId());
        return m;
    }
}
