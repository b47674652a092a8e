package dev.archon.traceability.executions;

import static dev.archon.traceability.db.SqlArrays.bind;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Writes hook execution records in the caller's transaction, each at most once, in one round trip: the
 * execution_id is claimed in hook_execution_keys, and only the records whose key was new are inserted.
 */
public final class HookExecutionStore {

    /** Claims the keys and inserts the records whose key was new, in one statement; returns their ids. */
    private static final String INSERT = """
            WITH claimed AS (
                INSERT INTO hook_execution_keys (execution_id)
                SELECT unnest(?::uuid[])
                ON CONFLICT DO NOTHING
                RETURNING execution_id
            )
            INSERT INTO hook_executions (execution_id, pattern_id, node_id, hook_type, hook_name, tool_name, status,
                duration_ms, quality_score, performance_score, quality_gates_passed, context_type, agent, project,
                file_path, session_id, correlation_id, started_at, error_message, metadata)
            SELECT t.execution_id, t.pattern_id, t.node_id, t.hook_type, t.hook_name, t.tool_name, t.status,
                   t.duration_ms, t.quality_score, t.performance_score, t.quality_gates_passed, t.context_type,
                   t.agent, t.project, t.file_path, t.session_id, t.correlation_id, t.started_at::timestamptz,
                   t.error_message, coalesce(t.metadata::jsonb, '{}'::jsonb)
              FROM unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[],
                          ?::float8[], ?::float8[], ?::float8[], ?::bool[], ?::text[], ?::text[], ?::text[],
                          ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                AS t(execution_id, pattern_id, node_id, hook_type, hook_name, tool_name, status, duration_ms,
                     quality_score, performance_score, quality_gates_passed, context_type, agent, project, file_path,
                     session_id, correlation_id, started_at, error_message, metadata)
             WHERE t.execution_id IN (SELECT execution_id FROM claimed)
            RETURNING execution_id""";

    /** Writes the records; returns, in input order, true for each one stored now and false for a duplicate. */
    public List<Boolean> write(Connection c, List<HookExecution> executions) throws SQLException {
        if (executions.isEmpty()) {
            return List.of();
        }
        Map<UUID, HookExecution> firsts = new LinkedHashMap<>();
        for (HookExecution e : executions) {
            firsts.putIfAbsent(e.executionId(), e);
        }
        List<HookExecution> rows = new ArrayList<>(firsts.values());
        Set<UUID> claimed = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            int i = 1;
            bind(ps, i++, "uuid", rows, HookExecution::executionId);
            bind(ps, i++, "uuid", rows, HookExecution::executionId);
            bind(ps, i++, "uuid", rows, HookExecution::patternId);
            bind(ps, i++, "uuid", rows, HookExecution::nodeId);
            bind(ps, i++, "text", rows, HookExecution::hookType);
            bind(ps, i++, "text", rows, HookExecution::hookName);
            bind(ps, i++, "text", rows, HookExecution::toolName);
            bind(ps, i++, "text", rows, HookExecution::status);
            bind(ps, i++, "float8", rows, HookExecution::durationMs);
            bind(ps, i++, "float8", rows, HookExecution::qualityScore);
            bind(ps, i++, "float8", rows, HookExecution::performanceScore);
            bind(ps, i++, "bool", rows, HookExecution::qualityGatesPassed);
            bind(ps, i++, "text", rows, HookExecution::contextType);
            bind(ps, i++, "text", rows, HookExecution::agent);
            bind(ps, i++, "text", rows, HookExecution::project);
            bind(ps, i++, "text", rows, HookExecution::filePath);
            bind(ps, i++, "text", rows, HookExecution::sessionId);
            bind(ps, i++, "text", rows, HookExecution::correlationId);
            bind(ps, i++, "text", rows, e -> e.startedAt().toString());
            bind(ps, i++, "text", rows, HookExecution::errorMessage);
            bind(ps, i, "text", rows, HookExecution::metadataJson);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    claimed.add(rs.getObject(1, UUID.class));
                }
            }
        }
        List<Boolean> stored = new ArrayList<>(executions.size());
        Set<UUID> seen = new HashSet<>();
        for (HookExecution e : executions) {
            stored.add(claimed.contains(e.executionId()) && seen.add(e.executionId()));
        }
        return stored;
    }
}
