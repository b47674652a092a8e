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
 * Writes hook execution records in the caller's transaction, each at most once: the execution_id is claimed in
 * hook_execution_keys first, and only the records whose key was new are inserted.
 */
public final class HookExecutionStore {

    private static final String CLAIM_KEYS = """
            INSERT INTO hook_execution_keys (execution_id)
            SELECT unnest(?::uuid[])
            ON CONFLICT DO NOTHING
            RETURNING execution_id""";

    private static final String INSERT = """
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
                     session_id, correlation_id, started_at, error_message, metadata)""";

    /** Writes the records; returns, in input order, true for each one stored now and false for a duplicate. */
    public List<Boolean> write(Connection c, List<HookExecution> executions) throws SQLException {
        if (executions.isEmpty()) {
            return List.of();
        }
        Map<UUID, HookExecution> firsts = new LinkedHashMap<>();
        for (HookExecution e : executions) {
            firsts.putIfAbsent(e.executionId(), e);
        }
        Set<UUID> claimed = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(CLAIM_KEYS)) {
            bind(ps, 1, "uuid", new ArrayList<>(firsts.keySet()), id -> id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    claimed.add(rs.getObject(1, UUID.class));
                }
            }
        }
        List<HookExecution> fresh = firsts.values().stream().filter(e -> claimed.contains(e.executionId())).toList();
        if (!fresh.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                int i = 1;
                bind(ps, i++, "uuid", fresh, HookExecution::executionId);
                bind(ps, i++, "uuid", fresh, HookExecution::patternId);
                bind(ps, i++, "uuid", fresh, HookExecution::nodeId);
                bind(ps, i++, "text", fresh, HookExecution::hookType);
                bind(ps, i++, "text", fresh, HookExecution::hookName);
                bind(ps, i++, "text", fresh, HookExecution::toolName);
                bind(ps, i++, "text", fresh, HookExecution::status);
                bind(ps, i++, "float8", fresh, HookExecution::durationMs);
                bind(ps, i++, "float8", fresh, HookExecution::qualityScore);
                bind(ps, i++, "float8", fresh, HookExecution::performanceScore);
                bind(ps, i++, "bool", fresh, HookExecution::qualityGatesPassed);
                bind(ps, i++, "text", fresh, HookExecution::contextType);
                bind(ps, i++, "text", fresh, HookExecution::agent);
                bind(ps, i++, "text", fresh, HookExecution::project);
                bind(ps, i++, "text", fresh, HookExecution::filePath);
                bind(ps, i++, "text", fresh, HookExecution::sessionId);
                bind(ps, i++, "text", fresh, HookExecution::correlationId);
                bind(ps, i++, "text", fresh, e -> e.startedAt().toString());
                bind(ps, i++, "text", fresh, HookExecution::errorMessage);
                bind(ps, i, "text", fresh, HookExecution::metadataJson);
                ps.executeUpdate();
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
