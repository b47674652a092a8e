package dev.archon.traceability.lineage;

import dev.archon.traceability.executions.HookExecution;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A validated lineage event. {@code patternId} is the pattern the event is about: the new pattern of a fork, the
 * target of a merge. {@code payload} is the event as received (JSON text), kept in lineage_events.event_data.
 *
 * <p>Three options serve producers whose events say less than ours (the as-built Archon API's clients):
 * {@code createOrAppend} makes the version-adding events open-ended (created of a known pattern adds its next
 * version; modified, forked or merged of an unknown pattern creates it: see {@link LineageTracker});
 * {@code edgeType}, when set, is the type of the edges the event's rule draws from its parents (instead of the
 * rule's own); {@code edgeMetadataJson}, a JSON object, is added to the metadata of every edge the event draws.
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
        HookExecution execution,
        boolean createOrAppend,
        String edgeType,
        String edgeMetadataJson) {

    /** An event of our own contract: none of the options. */
    public LineageEvent(UUID eventId, EventType type, UUID patternId, List<UUID> parentNodeIds,
                        List<UUID> parentPatternIds, boolean improvement, UUID replacementPatternId, UUID nodeId,
                        NodeFields node, String correlationId, Instant timestamp, String source, String userId,
                        String payload, HookExecution execution) {
        this(eventId, type, patternId, parentNodeIds, parentPatternIds, improvement, replacementPatternId, nodeId,
                node, correlationId, timestamp, source, userId, payload, execution, false, null, null);
    }

    /**
     * The columns of a new lineage_nodes row that come from the event (null: not given). {@code externalPatternId}
     * and {@code externalVersion} are a producer's own names for the version (an opaque pattern id string and a free
     * version string such as 1.0.0), kept beside our UUID and version number.
     */
    public record NodeFields(
            String patternName,
            String patternType,
            String templateCode,
            Double confidenceScore,
            String performanceBaselineJson,
            Double qualityBaseline,
            Double successRateBaseline,
            String createdBy,
            String externalPatternId,
            String externalVersion) {

        public NodeFields(String patternName, String patternType, String templateCode, Double confidenceScore,
                          String performanceBaselineJson, Double qualityBaseline, Double successRateBaseline,
                          String createdBy) {
            this(patternName, patternType, templateCode, confidenceScore, performanceBaselineJson, qualityBaseline,
                    successRateBaseline, createdBy, null, null);
        }
    }
}
