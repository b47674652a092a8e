package dev.archon.traceability.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.archon.traceability.errors.ErrorCode;
import dev.archon.traceability.errors.ProblemException;
import dev.archon.traceability.feedback.Feedback;
import dev.archon.traceability.feedback.FeedbackLoop;
import dev.archon.traceability.feedback.FeedbackStore;
import dev.archon.traceability.feedback.FeedbackType;
import dev.archon.traceability.feedback.WorkflowParameters;
import dev.archon.traceability.feedback.Workflows;
import dev.archon.traceability.ingest.EventReader;
import dev.archon.traceability.json.Json;
import dev.archon.traceability.lineage.PatternIds;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The as-built feedback endpoints over our feedback loop: {@code POST /feedback/analyze} starts a real workflow
 * (ours: collect, analyze, generate, validate, apply, track, on real executions) and answers its result when it
 * completes within {@code traceability.compat.feedback-wait}, 504 naming the workflow otherwise (it runs on:
 * GET /api/feedback-loop/status/{id}); {@code POST /feedback/apply} stays the as-built stub (applying a proposal is
 * an admin action of our API); {@code POST /feedback/record} and {@code /feedback/submit}, which clients call but
 * the as-built service lacked, store a feedback item as our {@code POST /api/feedback} does.
 */
public final class CompatFeedbackEndpoints {

    private final CompatQueries queries;
    private final FeedbackLoop loop;
    private final FeedbackStore store;
    private final EventReader reader;
    private final Clock clock;
    private final Duration wait;

    CompatFeedbackEndpoints(CompatQueries queries, FeedbackLoop loop, FeedbackStore store, EventReader reader,
                            Clock clock, Duration wait) {
        this.queries = queries;
        this.loop = loop;
        this.store = store;
        this.reader = reader;
        this.clock = clock;
        this.wait = wait;
    }

    /** POST /feedback/analyze: the as-built FeedbackLoopRequest (422 for a value out of its bounds). */
    public Processor analyze() {
        return CompatReadEndpoints.answering(in -> {
            long start = System.nanoTime();
            ArchonFields f = ArchonFields.body(ArchonFields.parse(in.getBody(byte[].class)));
            String patternId = f.requiredString("pattern_id");
            WorkflowParameters defaults = loop.defaults();
            String type = f.string("feedback_type", "performance");
            if (type != null && !FeedbackType.wireNames().contains(type)) {
                f.error("feedback_type", "enum", "Input should be " + String.join(", ", FeedbackType.wireNames()
                        .stream().map(t -> "'" + t + "'").toList()), Json.mapper().getNodeFactory().textNode(type));
            }
            Integer days = f.integer("time_window_days", 7, 1, WorkflowParameters.MAX_WINDOW_DAYS, false);
            Double threshold = f.number("auto_apply_threshold", 0.95, 0.0, 1.0);
            Integer minSample = f.integer("min_sample_size", 30, WorkflowParameters.MIN_SAMPLE_SIZE,
                    WorkflowParameters.MAX_SAMPLE_SIZE, false);
            Double significance = f.number("significance_level", 0.05, 0.001, 0.1);
            Boolean abTesting = f.bool("enable_ab_testing", true);
            f.check();
            WorkflowParameters parameters = new WorkflowParameters(FeedbackType.fromWire(type), days, threshold,
                    minSample, significance, abTesting != null ? abTesting : defaults.enableAbTesting());
            CompatQueries.Node node = queries.newest(patternId)
                    .orElseThrow(() -> CompatException.notFound("Pattern not found: " + patternId));
            UUID workflowId = startOrJoin(node.patternId(), parameters);
            Map<String, Object> workflow = awaitEnd(workflowId);
            String status = String.valueOf(workflow.get("status"));
            if (status.equals(Workflows.RUNNING) || status.equals(Workflows.WORKFLOW_TIMEOUT)) {
                throw new CompatException(504, "Feedback analysis timed out; workflow " + workflowId + " is "
                        + status + " (GET /api/feedback-loop/status/" + workflowId + ")");
            }
            if (status.equals(Workflows.FAILED)) {
                throw new CompatException(500, "Feedback analysis failed: " + workflow.get("error"));
            }
            Map<String, Object> metadata = new LinkedHashMap<>();
            double ms = CompatTime.millisSince(start);
            metadata.put("correlation_id", workflowId);
            metadata.put("duration_ms", ms);
            metadata.put("processing_time_ms", ms);
            return CompatReadEndpoints.success("data", CompatWorkflows.data(patternId, parameters, workflow, clock),
                    "metadata", metadata);
        });
    }

    /** Starts a workflow, or joins the one already running for the pattern (ours refuses a second one). */
    private UUID startOrJoin(UUID pattern, WorkflowParameters parameters) throws SQLException {
        try {
            return loop.trigger(pattern, parameters);
        } catch (ProblemException e) {
            if (e.problem().code() != ErrorCode.WORKFLOW_RUNNING) {
                throw e;
            }
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> active = (List<Map<String, Object>>) loop.status(0).get("active_workflows");
            return active.stream().filter(w -> pattern.equals(w.get("pattern_id")))
                    .map(w -> (UUID) w.get("workflow_id")).findFirst().orElseThrow(() -> e);
        }
    }

    private Map<String, Object> awaitEnd(UUID workflowId) throws SQLException, InterruptedException {
        Instant deadline = clock.instant().plus(wait);
        Map<String, Object> w = loop.workflow(workflowId);
        long pause = 20;
        while (Workflows.RUNNING.equals(w.get("status")) && clock.instant().isBefore(deadline)) {
            Thread.sleep(pause);
            pause = Math.min(pause * 2, 200);
            w = loop.workflow(workflowId);
        }
        return w;
    }

    /**
     * POST /feedback/apply?pattern_id=&improvement_ids=&improvement_ids=&force=false: as built, an acknowledgement
     * with no side effects (422 without pattern_id or improvement_ids).
     */
    public Processor apply() {
        return CompatReadEndpoints.answering(in -> {
            long start = System.nanoTime();
            List<String> ids = values(in.getHeader("improvement_ids"));
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("pattern_id", CompatReadEndpoints.header(in, "pattern_id"));
            params.put("force", CompatReadEndpoints.header(in, "force"));
            params.values().removeIf(java.util.Objects::isNull);
            ArchonFields q = ArchonFields.query(params);
            String patternId = q.requiredString("pattern_id");
            Boolean force = q.bool("force", false);
            if (ids.isEmpty()) {
                q.error("improvement_ids", "missing", "Field required", null);
            }
            q.check();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("success", true);
            m.put("pattern_id", patternId);
            m.put("improvements_applied", ids.size());
            m.put("improvement_ids", ids);
            m.put("forced", force);
            m.put("processing_time_ms", CompatTime.millisSince(start));
            m.put("message", "Improvements applied successfully");
            return m;
        });
    }

    private static List<String> values(Object header) {
        List<String> out = new ArrayList<>();
        if (header instanceof List<?> list) {
            list.forEach(v -> out.add(String.valueOf(v)));
        } else if (header != null) {
            for (String v : header.toString().split(",")) {
                if (!v.isBlank()) {
                    out.add(v.trim());
                }
            }
        }
        return out;
    }

    /**
     * POST /feedback/record and /feedback/submit: {pattern_id, rating?, sentiment?, comments? (or feedback,
     * comment, message), feedback_type?, user_id?, metadata?, ...}: stored as our feedback on the pattern (the whole
     * request kept in its metadata). A type we do not know is stored as general.
     */
    public Processor record() {
        return CompatReadEndpoints.answering(in -> {
            JsonNode body = ArchonFields.parse(in.getBody(byte[].class));
            ArchonFields f = ArchonFields.body(body);
            String patternId = f.requiredString("pattern_id");
            f.check();
            if (patternId.isEmpty() || patternId.length() > PatternIds.EXTERNAL_MAX) {
                throw CompatException.invalid("pattern_id must have 1 to " + PatternIds.EXTERNAL_MAX
                        + " characters");
            }
            ArchonTracking.unstorableText(body, "");
            UUID pattern = queries.newest(patternId).map(CompatQueries.Node::patternId)
                    .orElse(PatternIds.fromExternalId(patternId));
            ObjectNode ours = Json.mapper().createObjectNode();
            ours.put("pattern_id", pattern.toString());
            copy(body, ours, "rating", "rating");
            copy(body, ours, "sentiment", "sentiment");
            for (String text : List.of("comments", "feedback", "comment", "message")) {
                if (!ours.has("comments") && body.path(text).isTextual()) {
                    ours.put("comments", body.get(text).textValue());
                }
            }
            String type = body.path("feedback_type").asText("general");
            ours.put("feedback_type", Feedback.TYPES.contains(type) ? type : "general");
            copy(body, ours, "user_id", "user_id");
            copy(body, ours, "correlation_id", "correlation_id");
            ObjectNode metadata = Json.mapper().createObjectNode();
            metadata.set("request", body);
            metadata.put("external_pattern_id", patternId);
            ours.set("metadata", metadata);
            ours.put("source", ArchonTracking.SOURCE);
            Feedback item;
            try {
                item = reader.feedback(ours, UUID::randomUUID);
            } catch (ProblemException e) {
                throw CompatException.invalid(e.problem().field() + ": " + e.problem().message());
            }
            boolean stored = store.write(List.of(item)).get(0);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("success", true);
            m.put("feedback_id", item.feedbackId());
            m.put("pattern_id", patternId);
            m.put("status", stored ? "recorded" : "already_exists");
            m.put("timestamp", CompatTime.iso(item.createdAt()));
            return m;
        });
    }

    private static void copy(JsonNode from, ObjectNode to, String source, String target) {
        JsonNode v = from.get(source);
        if (v != null && !v.isNull()) {
            to.set(target, v);
        }
    }
}
