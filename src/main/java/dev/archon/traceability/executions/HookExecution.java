package dev.archon.traceability.executions;

import java.time.Instant;
import java.util.UUID;

/** One hook_executions row: a hook applied a pattern version, with its outcome, duration and quality. */
public record HookExecution(
        UUID executionId,
        UUID patternId,
        UUID nodeId,
        String hookType,
        String hookName,
        String toolName,
        String status,
        Double durationMs,
        Double qualityScore,
        Double performanceScore,
        Boolean qualityGatesPassed,
        String contextType,
        String agent,
        String project,
        String filePath,
        String sessionId,
        String correlationId,
        Instant startedAt,
        String errorMessage,
        String metadataJson) {

    public HookExecution withNodeId(UUID node) {
        return new HookExecution(executionId, patternId, node, hookType, hookName, toolName, status, durationMs,
                qualityScore, performanceScore, qualityGatesPassed, contextType, agent, project, filePath, sessionId,
                correlationId, startedAt, errorMessage, metadataJson);
    }

    public HookExecution withExecutionId(UUID id) {
        return new HookExecution(id, patternId, nodeId, hookType, hookName, toolName, status, durationMs,
                qualityScore, performanceScore, qualityGatesPassed, contextType, agent, project, filePath, sessionId,
                correlationId, startedAt, errorMessage, metadataJson);
    }
}
