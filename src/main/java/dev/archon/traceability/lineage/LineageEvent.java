package dev.archon.traceability.lineage;

import dev.archon.traceability.executions.HookExecution;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A validated lineage event. {@code patternId} is the pattern the event is about: the new pattern of a fork, the
 * target of a merge. {@code payload} is the event as received (JSON text), kept in lineage_events.event_data.
 */
public record LineageEvent(
        UUID eventId,
        EventType type,
        UUID patternId,
        List<UUID> parentNodeIds,
        List<UUID> parentPatternIds,
        boolean improvement,
        UUID replacementPatternId,
        UUID nodeId,
        NodeFields node,
        String correlationId,
        Instant timestamp,
        String source,
        String userId,
        String payload,
        HookExecution execution) {

    /** The columns of a new lineage_nodes row that come from the event (null: not given). */
    public record NodeFields(
            String patternName,
            String patternType,
            String templateCode,
            Double confidenceScore,
            String performanceBaselineJson,
            Double qualityBaseline,
            Double successRateBaseline,
            String createdBy) {
    }
}
