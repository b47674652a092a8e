package dev.archon.traceability.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.archon.traceability.errors.ErrorCode;
import dev.archon.traceability.errors.Problem;
import dev.archon.traceability.json.Json;
import dev.archon.traceability.lineage.EventType;
import dev.archon.traceability.lineage.LineageEvent;
import dev.archon.traceability.lineage.LineageTracker.Outcome;
import dev.archon.traceability.lineage.PatternIds;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * How an as-built {@code POST /lineage/track} request becomes one of our lineage events, and how what our pipeline
 * did with it is answered in the as-built shape. Plain Java: the checks, the mapping and the answers test without
 * a database.
 *
 * <ul>
 * <li>Identity: the pattern is the name-based UUID of its {@code pattern_id} string
 * ({@link PatternIds#fromExternalId}); the string and {@code pattern_version} are kept on the node as given.</li>
 * <li>Event types: created and validated add a version (version 1 of a new pattern, the next version of a known
 * one); modified and forked add the next version of the pattern, or create it, with the newest version of
 * {@code parent_pattern_ids[0]} (or the pattern's own newest) as parent; merged needs two parents and adds the next
 * version (or version 1) with an edge from each; applied and deprecated add an event to the newest version.</li>
 * <li>Idempotency: the event id of a version-adding event is derived from (pattern_id, pattern_version, the code or,
 * without code, the pattern_data): the same content sent again is acknowledged as {@code already_exists} by our
 * idempotency keys, so one node is stored however often a hook repeats it.</li>
 * <li>Edge labels: lowercase as-built edge types map to our types, unknown ones to RELATED_TO; the label as given,
 * the transformation_type and the reason go into the edge's metadata.</li>
 * </ul>
 */
final class ArchonTracking {

    /** The as-built event types and the operation names of the answer's metadata. */
    static final Map<String, String> OPERATIONS = Map.of(
            "pattern_created", "track_creation", "pattern_modified", "track_modification",
            "pattern_merged", "track_merge", "pattern_applied", "track_application",
            "pattern_deprecated", "track_deprecation", "pattern_forked", "track_fork",
            "pattern_validated", "track_creation");

    /** The as-built (lowercase) edge types and ours; an unknown label is kept as a RELATED_TO edge. */
    static final Map<String, String> EDGE_TYPES = Map.of(
            "derived_from", "DERIVED_FROM", "modified_from", "DERIVED_FROM", "merged_from", "MERGED_INTO",
            "replaced_by", "DEPRECATED_BY", "inspired_by", "RELATED_TO", "deprecated_by", "DEPRECATED_BY");

    private static final List<String> OUR_EDGE_TYPES = List.of("DERIVED_FROM", "IMPROVED_VERSION", "FORKED_FROM",
            "MERGED_INTO", "DEPRECATED_BY", "RELATED_TO");

    /** The event's source column: which door it came through. */
    static final String SOURCE = "api/pattern-traceability";

    private final Clock clock;
    private final int maxCodeChars;

    /** @param maxCodeChars the longest pattern_data.code accepted (traceability.compat.max-code-chars) */
    ArchonTracking(Clock clock, int maxCodeChars) {
        this.clock = clock;
        this.maxCodeChars = maxCodeChars;
    }

    /**
     * The semantic checks the as-built service made before any database work, each a 400 naming the field, plus
     * ours: text PostgreSQL cannot store (NUL, unpaired surrogates) and code longer than the setting.
     */
    void check(TrackRequest r) {
        if (!OPERATIONS.containsKey(r.eventType())) {
            throw CompatException.invalid("'" + r.eventType() + "' is not a valid LineageEventType; expected one of "
                    + String.join(", ", OPERATIONS.keySet().stream().sorted().toList()));
        }
        if (r.patternId().isEmpty()) {
            throw CompatException.invalid("pattern_id is required");
        }
        maxLength("pattern_id", r.patternId(), PatternIds.EXTERNAL_MAX);
        maxLength("pattern_name", r.patternName(), 255);
        maxLength("pattern_type", r.patternType(), 100);
        maxLength("pattern_version", r.patternVersion(), 50);
        maxLength("triggered_by", r.triggeredBy(), 100);
        for (int i = 0; i < r.parentPatternIds().size(); i++) {
            String p = r.parentPatternIds().get(i);
            if (p.isEmpty()) {
                throw CompatException.invalid("parent_pattern_ids[" + i + "] is empty");
            }
            maxLength("parent_pattern_ids[" + i + "]", p, PatternIds.EXTERNAL_MAX);
        }
        boolean creation = r.eventType().equals("pattern_created") || r.eventType().equals("pattern_validated");
        if (creation && r.patternData().isEmpty()) {
            throw CompatException.invalid("pattern_data is required (non-empty) for " + r.eventType());
        }
        if (r.eventType().equals("pattern_merged") && r.parentPatternIds().size() < 2) {
            throw CompatException.invalid("track_merge requires at least 2 parent_pattern_ids, got "
                    + r.parentPatternIds().size());
        }
        String code = r.code();
        if (code != null && code.length() > maxCodeChars) {
            throw CompatException.invalid("pattern_data.code has " + code.length() + " characters; at most "
                    + maxCodeChars + " are accepted (traceability.compat.max-code-chars)");
        }
        unstorableText(r.raw(), "");
    }

    private static void maxLength(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw CompatException.invalid(field + " is longer than " + max + " characters (" + value.length() + ")");
        }
    }

    /**
     * 400 naming the first string (or key) PostgreSQL would refuse: NUL ({@code \u0000}: not in text, not in
     * JSONB) or a lone UTF-16 surrogate (not valid Unicode). Refused whole rather than altered, so what is stored is
     * what was sent.
     */
    static void unstorableText(JsonNode node, String path) {
        if (node.isTextual()) {
            String reason = unstorable(node.textValue());
            if (reason != null) {
                throw CompatException.invalid((path.isEmpty() ? "the body" : path) + " contains " + reason
                        + ", which PostgreSQL cannot store; remove it");
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                String reason = unstorable(field.getKey());
                if (reason != null) {
                    throw CompatException.invalid("the key of " + child + " contains " + reason
                            + ", which PostgreSQL cannot store; remove it");
                }
                unstorableText(field.getValue(), child);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                unstorableText(node.get(i), path + "[" + i + "]");
            }
        }
    }

    private static String unstorable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                return "a NUL character (\\u0000) at offset " + i;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "an unpaired surrogate (\\u" + HexFormat.of().toHexDigits(c) + ") at offset " + i;
            }
            if (Character.isLowSurrogate(c)) {
                return "an unpaired surrogate (\\u" + HexFormat.of().toHexDigits(c) + ") at offset " + i;
            }
        }
        return null;
    }

    /** Our event for a checked request. {@code correlationId}: the request's, when it sent none in the body. */
    LineageEvent event(TrackRequest r, String correlationId) {
        return event(r, correlationId, (byte[]) null);
    }

    /**
     * As {@link #event(TrackRequest, String)}, with the request's body as received: kept as event_data, but for
     * {@code pattern_data.code} when the event adds a version (see {@link #withoutCode}).
     */
    LineageEvent event(TrackRequest r, String correlationId, byte[] body) {
        String type = r.eventType();
        UUID pattern = PatternIds.fromExternalId(r.patternId());
        List<UUID> parents = r.parentPatternIds().stream().map(PatternIds::fromExternalId).toList();
        EventType ours;
        String defaultLabel = null;
        String transformation = null;
        switch (type) {
            case "pattern_created", "pattern_validated" -> {
                ours = EventType.PATTERN_CREATED;
                parents = List.of(); // the as-built creation ignores parents and edge fields
            }
            case "pattern_modified", "pattern_forked" -> {
                ours = EventType.PATTERN_MODIFIED;
                parents = parents.isEmpty() ? List.of() : List.of(parents.get(0)); // the others: in the payload
                defaultLabel = "modified_from";
                transformation = r.transformationType() != null ? r.transformationType() : "refactor";
            }
            case "pattern_merged" -> {
                ours = EventType.PATTERN_MERGED;
                defaultLabel = "merged_from";
                transformation = "merge"; // as built: a merge's transformation is always merge
            }
            case "pattern_applied" -> {
                ours = EventType.PATTERN_APPLIED;
                parents = List.of();
            }
            default -> {
                ours = EventType.PATTERN_DEPRECATED;
                parents = List.of();
            }
        }
        String label = r.edgeType() != null ? r.edgeType() : defaultLabel;
        String edgeType = label == null ? null : ourEdgeType(label);
        String edgeMetadata = null;
        if (label != null) {
            ObjectNode m = Json.mapper().createObjectNode();
            m.put("label", label);
            m.put("transformation_type", transformation);
            if (r.reason() != null) {
                m.put("reason", r.reason());
            }
            edgeMetadata = m.toString();
        }
        boolean addsVersion = ours != EventType.PATTERN_APPLIED && ours != EventType.PATTERN_DEPRECATED;
        UUID eventId = addsVersion ? versionKey(r) : UUID.randomUUID();
        String payload = addsVersion && r.code() != null ? withoutCode(r.raw())
                : body != null ? new String(body, StandardCharsets.UTF_8) : r.raw().toString();
        Instant now = clock.instant();
        LineageEvent.NodeFields node = new LineageEvent.NodeFields(
                r.patternName().isEmpty() ? null : r.patternName(), r.patternType(), r.code(), null, null, null,
                null, r.triggeredBy(), r.patternId(), r.patternVersion());
        return new LineageEvent(eventId, ours, pattern, List.of(), parents, false, null, null, node,
                r.correlationId() != null ? r.correlationId() : correlationId, now, SOURCE, r.userId(), payload, null,
                true, edgeType, edgeMetadata);
    }

    /**
     * The request as received but for {@code pattern_data.code}, which the version's node keeps as its
     * template_code: stored once, not twice (on a 100 KB source file that is half of what the commit writes).
     */
    static String withoutCode(JsonNode request) {
        ObjectNode copy = (ObjectNode) request.deepCopy();
        ObjectNode data = (ObjectNode) copy.get("pattern_data");
        ObjectNode stored = data.putObject("code");
        stored.put("stored_as", "lineage_nodes.template_code");
        stored.put("length", request.get("pattern_data").get("code").textValue().length());
        return copy.toString();
    }

    /** Our edge type for an as-built label: its mapping, our own type named in any case, else RELATED_TO. */
    static String ourEdgeType(String label) {
        String mapped = EDGE_TYPES.get(label);
        if (mapped != null) {
            return mapped;
        }
        String upper = label.toUpperCase(Locale.ROOT);
        return OUR_EDGE_TYPES.contains(upper) ? upper : "RELATED_TO";
    }

    /**
     * The idempotency key of a version-adding request: (pattern_id, pattern_version, content), where the content is
     * pattern_data.code, or the whole pattern_data when it has no code, and for a merge its parents too.
     */
    static UUID versionKey(TrackRequest r) {
        String code = r.code();
        String content = code != null ? code : r.patternData().toString();
        String parents = r.eventType().equals("pattern_merged") ? String.join("\u0000", r.parentPatternIds()) : "";
        return UUID.nameUUIDFromBytes(("archon-version\u0000" + r.patternId() + "\u0000" + r.patternVersion()
                + "\u0000" + sha256(content) + "\u0000" + parents).getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The as-built {@code data} of a stored or repeated event. Our pattern UUID stands for the as-built lineage_id
     * (the family of versions) and our version number for its generation.
     */
    static Map<String, Object> data(TrackRequest r, LineageEvent e, Outcome o) {
        Map<String, Object> d = new LinkedHashMap<>();
        String type = r.eventType();
        if (type.equals("pattern_applied") || type.equals("pattern_deprecated")) {
            d.put("event_id", e.eventId());
            d.put("pattern_id", r.patternId());
            d.put("pattern_node_id", o.nodeId());
            d.put("timestamp", CompatTime.iso(e.timestamp()));
            if (type.equals("pattern_deprecated")) {
                d.put("deprecated", true);
            }
            return d;
        }
        d.put("lineage_id", e.patternId());
        d.put("pattern_node_id", o.nodeId());
        d.put("event_id", e.eventId());
        if (o.duplicate()) {
            d.put("status", "already_exists");
            d.put("message", "Pattern " + r.patternId() + " version " + r.patternVersion() + " with this content"
                    + " is already tracked");
            d.put("pattern_id", r.patternId());
            d.put("generation", o.version());
            return d;
        }
        d.put("pattern_id", r.patternId());
        if (o.version() != null && o.version() == 1 && e.type() == EventType.PATTERN_CREATED) {
            d.put("pattern_name", r.patternName());
        } else {
            d.put("generation", o.version());
            if (type.equals("pattern_merged")) {
                d.put("parent_count", r.parentPatternIds().size());
            }
        }
        d.put("pattern_version", r.patternVersion());
        d.put("edge_ids", o.edgeIds());
        d.put("created_at", CompatTime.iso(e.timestamp()));
        return d;
    }

    /** The as-built answer metadata of a track request. */
    static Map<String, Object> metadata(TrackRequest r, String correlationId, long startNanos) {
        Map<String, Object> m = new LinkedHashMap<>();
        double ms = CompatTime.millisSince(startNanos);
        m.put("correlation_id", correlationId);
        m.put("operation", OPERATIONS.get(r.eventType()));
        m.put("duration_ms", ms);
        m.put("pattern_id", r.patternId());
        m.put("processing_time_ms", ms);
        return m;
    }

    /**
     * The as-built message of a request our tracker refused: an unknown parent or pattern ({@code Validation error:
     * Parent pattern not found: X}) by its external id, else our own message.
     */
    static String rejection(TrackRequest r, Problem p) {
        if (p.code() == ErrorCode.INVALID_PATTERN_ID) {
            String field = p.field();
            if (field.startsWith("parent_pattern_ids[")) {
                int i = Integer.parseInt(field.substring("parent_pattern_ids[".length(), field.indexOf(']')));
                return "Validation error: Parent pattern not found: " + r.parentPatternIds().get(i);
            }
            return "Validation error: Pattern not found: " + r.patternId();
        }
        return "Validation error: " + p.message();
    }
}
