package dev.archon.traceability.compat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One as-built {@code LineageTrackRequest}, read: the fields with their as-built defaults, plus the two the as-built
 * service dropped or could not take and we keep ({@code metadata}, {@code correlation_id}, and {@code user_id}).
 * {@code raw} is the request object as received, kept as the event's payload.
 */
record TrackRequest(
        String eventType,
        String patternId,
        String patternName,
        String patternType,
        String patternVersion,
        String toolName,
        String filePath,
        String language,
        JsonNode patternData,
        List<String> parentPatternIds,
        String edgeType,
        String transformationType,
        String reason,
        String triggeredBy,
        JsonNode metadata,
        String correlationId,
        String userId,
        JsonNode raw) {

    /** The code the request carries: {@code pattern_data.code} when it is a string, else null. */
    String code() {
        JsonNode code = patternData.get("code");
        return code != null && code.isTextual() ? code.textValue() : null;
    }

    /** Reads the request's fields (422 for a schema error), without the semantic checks of {@link ArchonTracking}. */
    static TrackRequest read(JsonNode json) {
        return read(ArchonFields.body(json), json);
    }

    static TrackRequest read(ArchonFields f, JsonNode json) {
        TrackRequest r = new TrackRequest(
                f.requiredString("event_type"),
                f.requiredString("pattern_id"),
                f.string("pattern_name", ""),
                f.string("pattern_type", "code"),
                f.string("pattern_version", "1.0.0"),
                f.optionalString("tool_name"),
                f.optionalString("file_path"),
                f.optionalString("language"),
                f.object("pattern_data"),
                f.stringList("parent_pattern_ids"),
                f.optionalString("edge_type"),
                f.optionalString("transformation_type"),
                f.optionalString("reason"),
                f.string("triggered_by", "api"),
                f.optionalObject("metadata"),
                f.optionalString("correlation_id"),
                f.optionalString("user_id"),
                json);
        f.check();
        return r;
    }
}
