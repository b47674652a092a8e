package dev.archon.traceability.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.errors.ErrorCode;
import dev.archon.traceability.errors.ProblemException;
import dev.archon.traceability.executions.HookExecution;
import dev.archon.traceability.feedback.Feedback;
import dev.archon.traceability.lineage.EventType;
import dev.archon.traceability.lineage.LineageEvent;
import dev.archon.traceability.lineage.PatternIds;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Turns one JSON event (from HTTP or an inbox line) into a validated {@link LineageEvent} or {@link HookExecution},
 * or throws a {@link ProblemException} naming the field and the reason. Ids the producer left out come from
 * {@code ids}: random over HTTP, derived from the file's content and line number for inbox files.
 */
public final class EventReader {

    static final int NAME_MAX = 512;
    static final int TEXT_MAX = 1024;
    /** The longest correlation id, of a record or of a request (X-Correlation-ID) whose items store it. */
    public static final int CORRELATION_ID_MAX = TEXT_MAX;
    static final int PATH_MAX = 4096;
    static final int CODE_MAX = 1_000_000;
    static final int ERROR_MAX = 65_536;
    static final int PARENTS_MAX = 100;
    private static final Set<String> STATUSES = Set.of("success", "failure", "timeout");

    private final Clock clock;

    public EventReader(Clock clock) {
        this.clock = clock;
    }

    public LineageEvent lineage(JsonNode json, Supplier<UUID> ids) {
        return lineage(json, ids, null);
    }

    /**
     * As {@link #lineage(JsonNode, Supplier)}; an event without a correlation_id of its own gets
     * {@code deliveryCorrelation} (over HTTP: the request's X-Correlation-ID), and so does its execution.
     */
    public LineageEvent lineage(JsonNode json, Supplier<UUID> ids, String deliveryCorrelation) {
        JsonFields f = new JsonFields(json, "");
        String typeName = f.requiredString("event_type", 64);
        EventType type = EventType.fromWire(typeName).orElseThrow(() -> f.invalid("event_type",
                "unknown event type '" + typeName + "'; expected one of " + EventType.wireNames()));

        UUID eventId = f.uuid("event_id");
        UUID patternId = patternId(f);
        List<UUID> parentNodes = f.uuids("parent_node_ids", PARENTS_MAX);
        List<UUID> parentPatterns = f.uuids("parent_pattern_ids", PARENTS_MAX);
        int parents = parentNodes.size() + parentPatterns.size();
        switch (type) {
            case PATTERN_CREATED, PATTERN_DEPRECATED, PATTERN_APPLIED -> {
                f.forbid("parent_node_ids", "not allowed for " + typeName);
                f.forbid("parent_pattern_ids", "not allowed for " + typeName);
            }
            case PATTERN_MODIFIED -> {
                f.forbid("parent_pattern_ids", "not allowed for pattern_modified: the parent is a version of the"
                        + " same pattern; name it in parent_node_ids or leave it out for the newest version");
                if (parentNodes.size() > 1) {
                    throw f.invalid("parent_node_ids", "pattern_modified has one parent version; to combine"
                            + " versions send pattern_merged");
                }
            }
            case PATTERN_FORKED -> {
                if (parents != 1) {
                    throw f.invalid(parents == 0 ? "parent_node_ids" : "parent_pattern_ids",
                            "pattern_forked needs exactly one source: one entry in parent_node_ids or in"
                                    + " parent_pattern_ids (got " + parents + ")");
                }
            }
            case PATTERN_MERGED -> {
                if (parents == 0) {
                    throw f.invalid("parent_node_ids", "pattern_merged needs at least one parent in"
                            + " parent_node_ids or parent_pattern_ids");
                }
            }
        }
        Boolean improvement = f.bool("is_improvement");
        if (improvement != null && type != EventType.PATTERN_MODIFIED) {
            throw f.invalid("is_improvement", "only allowed for pattern_modified");
        }
        UUID replacement = f.uuid("replacement_pattern_id");
        if (replacement != null && type != EventType.PATTERN_DEPRECATED) {
            throw f.invalid("replacement_pattern_id", "only allowed for pattern_deprecated");
        }
        if (replacement != null && replacement.equals(patternId)) {
            throw new ProblemException(ErrorCode.CIRCULAR_DEPENDENCY, "replacement_pattern_id",
                    "a pattern cannot be deprecated in favour of itself");
        }
        UUID nodeId = f.uuid("node_id");
        if (nodeId != null && type != EventType.PATTERN_APPLIED && type != EventType.PATTERN_DEPRECATED) {
            throw f.invalid("node_id", "only allowed for pattern_applied and pattern_deprecated (the version"
                    + " concerned); new versions get their node_id from the service");
        }

        LineageEvent.NodeFields node = new LineageEvent.NodeFields(
                f.string("pattern_name", NAME_MAX),
                f.string("pattern_type", TEXT_MAX),
                f.string("template_code", CODE_MAX),
                f.fraction("confidence_score"),
                performanceBaseline(f),
                f.fraction("quality_baseline"),
                f.fraction("success_rate_baseline"),
                f.string("created_by", TEXT_MAX));
        String correlationId = orElse(f.string("correlation_id", TEXT_MAX), deliveryCorrelation);
        Instant timestamp = f.timestamp("timestamp");
        if (timestamp == null) {
            timestamp = clock.instant();
        }
        f.objectJson("metadata"); // checked to be an object; kept, with the whole event, in event_data
        if (eventId == null) {
            eventId = ids.get();
        }

        HookExecution execution = null;
        if (type == EventType.PATTERN_APPLIED) {
            if (!f.has("execution")) {
                throw f.invalid("execution", "is required for pattern_applied: the hook execution record"
                        + " (at least its status)");
            }
            execution = execution(f.node("execution"), "execution", () -> null, patternId, correlationId,
                    timestamp);
            if (!execution.patternId().equals(patternId)) {
                throw f.invalid("execution.pattern_id", "names pattern " + execution.patternId() + " but the event"
                        + " is about " + patternId + "; leave it out (the execution is of the event's pattern)");
            }
            if (execution.executionId() == null) {
                execution = execution.withExecutionId(eventId);
            }
        } else {
            f.forbid("execution", "only allowed for pattern_applied");
        }
        return new LineageEvent(eventId, type, patternId, parentNodes, parentPatterns,
                Boolean.TRUE.equals(improvement), replacement, nodeId, node, correlationId, timestamp,
                f.string("source", TEXT_MAX), f.string("user_id", TEXT_MAX), json.toString(), execution);
    }

    /** A hook execution record on its own (POST /api/executions, the executions inbox). */
    public HookExecution execution(JsonNode json, Supplier<UUID> ids) {
        return execution(json, ids, null);
    }

    /** As {@link #execution(JsonNode, Supplier)}, with the delivery's correlation id as for lineage events. */
    public HookExecution execution(JsonNode json, Supplier<UUID> ids, String deliveryCorrelation) {
        return execution(json, "", ids, null, deliveryCorrelation, null);
    }

    private HookExecution execution(JsonNode json, String prefix, Supplier<UUID> ids, UUID inheritedPattern,
                                    String inheritedCorrelation, Instant inheritedStart) {
        JsonFields f = new JsonFields(json, prefix);
        UUID executionId = f.uuid("execution_id");
        if (executionId == null) {
            executionId = ids.get();
        }
        UUID patternId = f.has("pattern_id") || f.has("pattern_name") ? patternId(f) : inheritedPattern;
        if (patternId == null) {
            throw f.invalid("pattern_id", "is required (or pattern_name)");
        }
        String status = f.requiredString("status", 16);
        if (!STATUSES.contains(status)) {
            throw f.invalid("status", "expected success, failure or timeout, got '" + status + "'");
        }
        Instant started = f.timestamp("started_at");
        if (started == null) {
            started = inheritedStart != null ? inheritedStart : clock.instant();
        }
        return new HookExecution(executionId, patternId, f.uuid("node_id"),
                f.string("hook_type", TEXT_MAX), f.string("hook_name", TEXT_MAX), f.string("tool_name", TEXT_MAX),
                status, f.nonNegative("duration_ms"), f.fraction("quality_score"), f.fraction("performance_score"),
                f.bool("quality_gates_passed"), f.string("context_type", TEXT_MAX), f.string("agent", TEXT_MAX),
                f.string("project", TEXT_MAX), f.string("file_path", PATH_MAX), f.string("session_id", TEXT_MAX),
                orElse(f.string("correlation_id", TEXT_MAX), inheritedCorrelation), started,
                f.string("error_message", ERROR_MAX), f.objectJson("metadata"));
    }

    /**
     * A feedback item (POST /api/feedback): pattern_id or pattern_name, and at least one of rating (1 to 5),
     * sentiment (positive, neutral, negative; read from the rating when absent) and comments; optionally node_id,
     * execution_id, feedback_type (performance, quality, usage, general: the default), feedback_id (the idempotency
     * key), timestamp, user_id, source, correlation_id, metadata.
     */
    public Feedback feedback(JsonNode json, Supplier<UUID> ids) {
        return feedback(json, ids, null);
    }

    /** As {@link #feedback(JsonNode, Supplier)}, with the delivery's correlation id as for lineage events. */
    public Feedback feedback(JsonNode json, Supplier<UUID> ids, String deliveryCorrelation) {
        JsonFields f = new JsonFields(json, "");
        UUID feedbackId = f.uuid("feedback_id");
        UUID patternId = patternId(f);
        String type = f.string("feedback_type", 32);
        if (type == null) {
            type = "general";
        } else if (!Feedback.TYPES.contains(type)) {
            throw f.invalid("feedback_type", "expected one of " + String.join(", ", Feedback.TYPES) + ", got '"
                    + type + "'");
        }
        Integer rating = f.integer("rating", 1, 5);
        String sentiment = f.string("sentiment", 16);
        if (sentiment != null && !Feedback.SENTIMENTS.contains(sentiment)) {
            throw f.invalid("sentiment", "expected one of " + String.join(", ", Feedback.SENTIMENTS) + ", got '"
                    + sentiment + "'");
        }
        String comments = f.string("comments", ERROR_MAX);
        if (rating == null && sentiment == null && (comments == null || comments.isBlank())) {
            throw f.invalid("rating", "a feedback item needs a rating (1 to 5), a sentiment or comments");
        }
        Instant at = f.timestamp("timestamp");
        return new Feedback(feedbackId != null ? feedbackId : ids.get(), patternId, f.uuid("node_id"),
                f.uuid("execution_id"), type, rating, sentiment != null ? sentiment
                : rating != null ? Feedback.sentimentOf(rating) : null, comments, f.objectJson("metadata"),
                f.string("user_id", TEXT_MAX), f.string("source", TEXT_MAX),
                orElse(f.string("correlation_id", TEXT_MAX), deliveryCorrelation), at != null ? at : clock.instant());
    }

    private static String orElse(String own, String delivery) {
        return own != null ? own : delivery;
    }

    private static UUID patternId(JsonFields f) {
        UUID id = f.uuid("pattern_id");
        if (id != null) {
            return id;
        }
        String name = f.string("pattern_name", NAME_MAX);
        if (name == null || name.isBlank()) {
            throw f.invalid("pattern_id", "is required (or pattern_name, which maps to a stable id)");
        }
        return PatternIds.fromName(name);
    }

    private static String performanceBaseline(JsonFields f) {
        if (!f.has("performance_baseline")) {
            return null;
        }
        JsonNode v = f.node("performance_baseline");
        JsonFields baseline = new JsonFields(v, f.path("performance_baseline"));
        for (String key : List.of("p50_ms", "p95_ms", "p99_ms", "avg_ms")) {
            baseline.nonNegative(key);
        }
        return v.toString();
    }
}
