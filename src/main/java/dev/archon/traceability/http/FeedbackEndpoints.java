package dev.archon.traceability.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.errors.ErrorCode;
import dev.archon.traceability.errors.Problem;
import dev.archon.traceability.errors.ProblemException;
import dev.archon.traceability.feedback.Feedback;
import dev.archon.traceability.feedback.FeedbackLoop;
import dev.archon.traceability.feedback.FeedbackStore;
import dev.archon.traceability.feedback.WorkflowParameters;
import dev.archon.traceability.ingest.EventReader;
import dev.archon.traceability.ingest.IngestMetrics;
import dev.archon.traceability.ingest.Results;
import dev.archon.traceability.json.Json;
import dev.archon.traceability.lineage.PatternIds;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The feedback endpoints (routes/feedback-api.yaml, routes/feedback-loop.yaml): POST /api/feedback (checked as every
 * ingest door checks, through {@link IngestRequests}), the steps of the read routes around their SQL, the trigger,
 * the status reads, and the review of proposals (admin access, as for the job endpoints).
 */
public final class FeedbackEndpoints {

    /** The header the aggregates query of the feedback page leaves its row in (outputHeader). */
    static final String AGGREGATES = "feedbackAggregates";
    private static final List<String> PROPOSAL_STATUSES = List.of("proposed", "validated", "rejected", "applied");

    private final IngestRequests requests;
    private final EventReader reader;
    private final FeedbackStore store;
    private final IngestMetrics metrics;
    private final FeedbackLoop loop;
    private final AdminAccess admin;

    /**
     * @param maxBodyBytes  traceability.http.max-body-size, as for every ingest door
     * @param maxBatchItems traceability.http.max-batch-items
     */
    public FeedbackEndpoints(EventReader reader, FeedbackStore store, IngestMetrics metrics, FeedbackLoop loop,
                             AdminAccess admin, long maxBodyBytes, int maxBatchItems) {
        this.requests = new IngestRequests(maxBodyBytes, maxBatchItems);
        this.reader = reader;
        this.store = store;
        this.metrics = metrics;
        this.loop = loop;
        this.admin = admin;
    }

    /**
     * POST /api/feedback: one item (201 stored, 200 a repeated feedback_id) or a JSON array (200 with per-item
     * results, as POST /api/executions answers).
     */
    public Processor record() {
        return exchange -> {
            Message in = exchange.getMessage();
            JsonNode json = requests.json(in);
            String correlation = IngestRequests.correlationId(in);
            if (!json.isArray()) {
                Feedback item;
                try {
                    item = reader.feedback(json, UUID::randomUUID, correlation);
                } catch (ProblemException e) {
                    metrics.items("feedback", "http", Results.REJECTED, 1);
                    throw e;
                }
                boolean stored = store.write(List.of(item)).get(0);
                metrics.items("feedback", "http", stored ? Results.STORED : Results.DUPLICATE, 1);
                new HttpAnswer(stored ? 201 : 200, feedbackResult(item, stored)).writeTo(exchange);
                return;
            }
            requests.checkItemCount(json.size());
            List<Object> results = new ArrayList<>(json.size());
            List<Feedback> valid = new ArrayList<>();
            List<Integer> validIndex = new ArrayList<>();
            for (int i = 0; i < json.size(); i++) {
                try {
                    valid.add(reader.feedback(json.get(i), UUID::randomUUID, correlation));
                    validIndex.add(i);
                    results.add(null);
                } catch (ProblemException e) {
                    results.add(IngestRequests.positioned("index", i, Results.rejected(e.problem())));
                }
            }
            List<Boolean> stored = store.write(valid);
            for (int k = 0; k < valid.size(); k++) {
                results.set(validIndex.get(k), IngestRequests.positioned("index", validIndex.get(k),
                        feedbackResult(valid.get(k), stored.get(k))));
            }
            HttpAnswer.ok(IngestRequests.summary(metrics, "feedback", results)).writeTo(exchange);
        };
    }

    private static Map<String, Object> feedbackResult(Feedback f, boolean stored) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", stored ? Results.STORED : Results.DUPLICATE);
        m.put("feedback_id", f.feedbackId());
        m.put("pattern_id", f.patternId());
        return m;
    }

    /**
     * GET /api/feedback/pattern/{pattern_id}?feedback_type=&limit=&after=, before its SQL: the parameters, as the
     * queries' named parameters in the body.
     */
    public Processor pageParameters() {
        return exchange -> {
            Message in = exchange.getMessage();
            UUID pattern = Params.uuid(in, "pattern_id");
            String type = Params.oneOf(in, "feedback_type", null, Feedback.TYPES);
            int limit = Params.integer(in, "limit", 50, 1, 500);
            Map<String, Object> filters = new HashMap<>();
            filters.put("pattern_id", pattern.toString());
            filters.put("feedback_type", type);
            in.setBody(keyset(filters, Cursor.after(in), limit));
        };
    }

    /** The page's answer: the aggregates, the items, and the cursor of the next page; 404 for an unknown pattern. */
    public Processor pageAnswer() {
        return exchange -> {
            Message in = exchange.getMessage();
            Map<?, ?> aggregates = in.getHeader(AGGREGATES, Map.class);
            UUID pattern = Params.uuid(in, "pattern_id");
            if (((Number) aggregates.get("total")).longValue() == 0 && !Boolean.TRUE.equals(
                    aggregates.get("pattern_known"))) {
                throw new ProblemException(Problem.notFound(ErrorCode.INVALID_PATTERN_ID,
                        "pattern_id", "no pattern " + pattern + " and no feedback on it"));
            }
            int limit = Params.integer(in, "limit", 50, 1, 500);
            List<?> rows = in.getBody(List.class);
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("count", aggregates.get("total"));
            summary.put("average_rating", aggregates.get("average_rating"));
            summary.put("ratings", aggregates.get("ratings"));
            Map<String, Object> sentiments = new LinkedHashMap<>();
            sentiments.put("positive", aggregates.get("positive"));
            sentiments.put("neutral", aggregates.get("neutral"));
            sentiments.put("negative", aggregates.get("negative"));
            summary.put("sentiment", sentiments);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("pattern_id", pattern);
            answer.put("feedback_type", Params.string(in, "feedback_type"));
            answer.put("aggregates", summary);
            page(answer, "feedback", rows, limit, "feedback_id");
            in.setBody(answer);
        };
    }

    /** POST /api/feedback-loop/trigger: 202 with the workflow id. */
    public Processor trigger() {
        return exchange -> {
            Message in = exchange.getMessage();
            JsonNode body = requests.json(in);
            if (!body.isObject()) {
                throw new ProblemException(Problem.invalid("", "expected a JSON object with pattern_id, got "
                        + Json.kind(body)));
            }
            UUID pattern = patternOf(body);
            WorkflowParameters parameters = WorkflowParameters.read(body, loop.defaults());
            UUID id = loop.trigger(pattern, parameters);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("workflow_id", id);
            answer.put("pattern_id", pattern);
            answer.put("status", "running");
            answer.put("stage", "queued");
            answer.put("parameters", parameters.asMap());
            answer.put("status_url", "/api/feedback-loop/status/" + id);
            new HttpAnswer(202, answer).writeTo(exchange);
        };
    }

    private static UUID patternOf(JsonNode body) {
        JsonNode id = body.get("pattern_id");
        if (id != null && !id.isNull()) {
            if (id.isTextual() && id.textValue().length() == 36) {
                try {
                    return UUID.fromString(id.textValue());
                } catch (IllegalArgumentException e) {
                    // reported below
                }
            }
            throw new ProblemException(new Problem(ErrorCode.VALIDATION_FAILED,
                    "pattern_id", "not a UUID: " + id, 422));
        }
        JsonNode name = body.get("pattern_name");
        if (name != null && name.isTextual() && !name.textValue().isBlank()) {
            return PatternIds.fromName(name.textValue());
        }
        throw new ProblemException(new Problem(ErrorCode.VALIDATION_FAILED,
                "pattern_id", "is required (or pattern_name)", 422));
    }

    /** GET /api/feedback-loop/status?limit=: running workflows and the latest finished ones. */
    public Processor status() {
        return exchange -> {
            Message in = exchange.getMessage();
            HttpAnswer.ok(loop.status(Params.integer(in, "limit", 20, 1, 500))).writeTo(exchange);
        };
    }

    /** GET /api/feedback-loop/status/{workflow_id}. */
    public Processor workflow() {
        return exchange -> {
            Message in = exchange.getMessage();
            HttpAnswer.ok(loop.workflow(Params.uuid(in, "workflow_id"))).writeTo(exchange);
        };
    }

    /** GET /api/feedback-loop/proposals?pattern_id=&status=&limit=&after=, before its SQL. */
    public Processor proposalParameters() {
        return exchange -> {
            Message in = exchange.getMessage();
            UUID pattern = Params.optionalUuid(in, "pattern_id");
            String status = Params.oneOf(in, "status", null, PROPOSAL_STATUSES);
            int limit = Params.integer(in, "limit", 50, 1, 500);
            Map<String, Object> filters = new HashMap<>();
            filters.put("pattern_id", pattern == null ? null : pattern.toString());
            filters.put("status", status);
            in.setBody(keyset(filters, Cursor.after(in), limit));
        };
    }

    public Processor proposalAnswer() {
        return exchange -> {
            Message in = exchange.getMessage();
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("pattern_id", Params.optionalUuid(in, "pattern_id"));
            answer.put("status", Params.string(in, "status"));
            page(answer, "proposals", in.getBody(List.class), Params.integer(in, "limit", 50, 1, 500),
                    "proposal_id");
            in.setBody(answer);
        };
    }

    /** POST /api/feedback-loop/proposals/{proposal_id}/apply (admin). */
    public Processor applyProposal() {
        return review(true);
    }

    /** POST /api/feedback-loop/proposals/{proposal_id}/reject (admin). */
    public Processor rejectProposal() {
        return review(false);
    }

    private Processor review(boolean apply) {
        return exchange -> {
            Message in = exchange.getMessage();
            admin.require(in);
            UUID id = Params.uuid(in, "proposal_id");
            String note = null;
            byte[] body = in.getBody(byte[].class);
            if (body != null && body.length > 0) {
                in.setBody(body); // the request's stream is read: what was read is the body
                JsonNode json = requests.json(in);
                if (json.hasNonNull("note")) {
                    note = json.get("note").asText();
                }
            }
            HttpAnswer.ok(loop.review(id, apply, note)).writeTo(exchange);
        };
    }

    /** The named parameters of a keyset-paginated query: filters, cursor (after_at, after_id), fetch = limit + 1. */
    private static Map<String, Object> keyset(Map<String, Object> filters, Cursor after, int limit) {
        Map<String, Object> p = new HashMap<>(filters);
        p.put("after_at", after == null ? null : after.at().toString());
        p.put("after_id", after == null ? null : after.id().toString());
        p.put("fetch", limit + 1);
        return p;
    }

    /** Puts the first {@code limit} rows under {@code key}, their count, and next_cursor (null on the last page). */
    private static void page(Map<String, Object> answer, String key, List<?> rows, int limit, String idColumn) {
        List<?> shown = rows.size() > limit ? rows.subList(0, limit) : rows;
        answer.put(key, shown);
        answer.put("count", shown.size());
        String next = null;
        if (rows.size() > limit) {
            Map<?, ?> last = (Map<?, ?>) shown.get(limit - 1);
            next = new Cursor(((Timestamp) last.get("created_at")).toInstant(),
                    UUID.fromString(String.valueOf(last.get(idColumn)))).encode();
        }
        answer.put("next_cursor", next);
    }
}
