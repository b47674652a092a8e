package dev.archon.traceability.compat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.feedback.WorkflowParameters;
import dev.archon.traceability.feedback.Workflows;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished workflow of our feedback loop ({@code GET /api/feedback-loop/status/{id}}'s answer) in the shape of the
 * as-built {@code ModelFeedbackLoopOutput}: its counts and results, the proposals as improvement opportunities and
 * validation results, the baselines of the versions compared, and which as-built stages ran. The whole workflow is
 * kept under {@code metadata.workflow}.
 */
final class CompatWorkflows {

    private static final List<String> AS_BUILT_STAGES = List.of("collect", "analyze", "validate", "apply");

    private CompatWorkflows() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> data(String patternId, WorkflowParameters parameters, Map<String, Object> workflow,
                                    Clock clock) {
        JsonNode results = (JsonNode) workflow.get("results");
        List<Map<String, Object>> proposals = (List<Map<String, Object>>) workflow.getOrDefault("proposals",
                List.of());
        List<Map<String, Object>> stages = (List<Map<String, Object>>) workflow.getOrDefault("stages", List.of());
        String status = String.valueOf(workflow.get("status"));

        Map<String, Object> d = new LinkedHashMap<>();
        d.put("success", status.equals(Workflows.COMPLETED) || status.equals(Workflows.INSUFFICIENT_DATA));
        d.put("pattern_id", patternId);
        for (String count : List.of("feedback_collected", "executions_analyzed", "improvements_identified",
                "improvements_validated", "improvements_applied")) {
            d.put(count, results == null ? 0 : results.path(count).asLong(0));
        }
        d.put("improvements_rejected", proposals.stream().filter(p -> "rejected".equals(p.get("status"))).count());
        List<Map<String, Object>> opportunities = new ArrayList<>();
        List<Map<String, Object>> validations = new ArrayList<>();
        for (Map<String, Object> p : proposals) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("type", p.get("metric"));
            o.put("description", String.valueOf(p.get("reasons")));
            o.put("expected_delta", null);
            o.put("improvement_id", p.get("proposal_id"));
            opportunities.add(o);
            if (p.get("p_value") != null) {
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("improvement_id", p.get("proposal_id"));
                v.put("p_value", p.get("p_value"));
                v.put("confidence", p.get("confidence"));
                v.put("significant", "validated".equals(p.get("status")) || "applied".equals(p.get("status")));
                validations.add(v);
            }
        }
        d.put("improvement_opportunities", opportunities);
        d.put("validation_results", validations);
        d.put("performance_delta", value(results, "performance_delta"));
        JsonNode baselines = figures(stages, "analyze").path("baselines");
        int n = baselines.isArray() ? baselines.size() : 0;
        d.put("baseline_metrics", n >= 2 ? metrics(baselines.get(n - 2)) : null);
        d.put("improved_metrics", n >= 1 ? metrics(baselines.get(n - 1)) : null);
        d.put("confidence_score", value(results, "confidence_score"));
        d.put("p_value", value(results, "p_value"));
        d.put("statistically_significant", results != null && results.path("statistically_significant")
                .asBoolean(false));
        d.put("next_review_date", clock.instant().plus(Duration.ofDays(parameters.timeWindowDays())).toString());
        Map<String, Object> ran = new LinkedHashMap<>();
        for (String stage : AS_BUILT_STAGES) {
            ran.put(stage, stages.stream().anyMatch(s -> stage.equals(s.get("stage"))
                    && "completed".equals(s.get("status"))) ? "completed" : "skipped");
        }
        d.put("workflow_stages", ran);
        List<String> errors = new ArrayList<>();
        if (workflow.get("error") != null) {
            errors.add(String.valueOf(workflow.get("error")));
        }
        List<String> warnings = new ArrayList<>();
        if (status.equals(Workflows.INSUFFICIENT_DATA)) {
            warnings.add("Insufficient data: " + (results == null ? "" : results.path("reason").asText(
                    "fewer than " + parameters.minSampleSize() + " values per compared version")));
        }
        d.put("errors", errors);
        d.put("warnings", warnings);
        d.put("correlation_id", workflow.get("workflow_id"));
        d.put("duration_ms", workflow.get("duration_ms"));
        d.put("timestamp", workflow.get("finished_at"));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("workflow_id", workflow.get("workflow_id"));
        metadata.put("status", status);
        metadata.put("outcome", value(results, "outcome"));
        metadata.put("workflow", workflow);
        d.put("metadata", metadata);
        return d;
    }

    private static JsonNode figures(List<Map<String, Object>> stages, String stage) {
        return stages.stream().filter(s -> stage.equals(s.get("stage"))).map(s -> s.get("figures"))
                .filter(JsonNode.class::isInstance).map(JsonNode.class::cast).findFirst()
                .orElse(com.fasterxml.jackson.databind.node.MissingNode.getInstance());
    }

    private static Map<String, Object> metrics(JsonNode baseline) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("avg_execution_time_ms", value(baseline, "mean_duration_ms"));
        m.put("median_execution_time_ms", value(baseline, "median_duration_ms"));
        m.put("avg_quality_score", value(baseline, "mean_quality"));
        m.put("success_rate", value(baseline, "success_rate"));
        m.put("version_number", value(baseline, "version_number"));
        return m;
    }

    private static Object value(JsonNode node, String field) {
        if (node == null || !node.hasNonNull(field)) {
            return null;
        }
        JsonNode v = node.get(field);
        return v.isNumber() ? v.numberValue() : v.isBoolean() ? v.booleanValue() : v.asText();
    }
}
