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
 * execution_id is claimed in hook_execution_keys, only the records whose key was new are inserted, and those rows
 * (and only those: a duplicate is never counted twice) are added to the analytics rollup of their pattern and UTC
 * hour (migration V8). The rollup's grouping here and in rebuild_execution_rollups() (R__execution_rollups.sql) must
 * stay the same.
 */
public final class HookExecutionStore {

    /**
     * Claims the keys, inserts the records whose key was new and rolls those rows up, in one statement; returns
     * their ids. Each rollup upsert groups first (ON CONFLICT may touch a row once per statement) and sorts by key,
     * so two instances writing the same patterns lock their rollup rows in the same order.
     */
    private static final String INSERT = """
            WITH claimed AS (
                INSERT INTO hook_execution_keys (execution_id)
                SELECT unnest(?::uuid[])
                ON CONFLICT DO NOTHING
                RETURNING execution_id
            ), inserted AS (
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
                         quality_score, performance_score, quality_gates_passed, context_type, agent, project,
                         file_path, session_id, correlation_id, started_at, error_message, metadata)
                 WHERE t.execution_id IN (SELECT execution_id FROM claimed)
                RETURNING execution_id, pattern_id, status, duration_ms, quality_score, quality_gates_passed,
                          context_type, agent, project, started_at, date_trunc('hour', started_at, 'UTC') AS hour,
                          execution_latency_bucket(duration_ms) AS bucket
            ), latency_cells AS (
                SELECT pattern_id, hour, bucket, count(*) AS n
                  FROM inserted
                 WHERE bucket IS NOT NULL
                 GROUP BY pattern_id, hour, bucket
            ), hourly AS (
                INSERT INTO execution_rollup_hourly AS r (pattern_id, hour, executions, success_count, failure_count,
                    timeout_count, quality_gate_failures, duration_count, duration_sum, duration_sum_sq, duration_min,
                    duration_max, quality_count, quality_sum, quality_sum_sq, quality_min, quality_max,
                    last_started_at, latency_buckets, latency_counts)
                SELECT a.*, h.buckets, h.counts
                  FROM (SELECT pattern_id, hour,
                               count(*),
                               count(*) FILTER (WHERE status = 'success'),
                               count(*) FILTER (WHERE status = 'failure'),
                               count(*) FILTER (WHERE status = 'timeout'),
                               count(*) FILTER (WHERE quality_gates_passed = false),
                               count(duration_ms), coalesce(sum(duration_ms), 0),
                               coalesce(sum(duration_ms * duration_ms), 0), min(duration_ms), max(duration_ms),
                               count(quality_score), coalesce(sum(quality_score), 0),
                               coalesce(sum(quality_score * quality_score), 0), min(quality_score),
                               max(quality_score), max(started_at)
                          FROM inserted
                         GROUP BY pattern_id, hour) a
                  LEFT JOIN (SELECT pattern_id, hour, array_agg(bucket ORDER BY bucket) AS buckets,
                                    array_agg(n ORDER BY bucket) AS counts
                               FROM latency_cells
                              GROUP BY pattern_id, hour) h USING (pattern_id, hour)
                 ORDER BY a.pattern_id, a.hour
                ON CONFLICT (pattern_id, hour) DO UPDATE SET
                    executions = r.executions + excluded.executions,
                    success_count = r.success_count + excluded.success_count,
                    failure_count = r.failure_count + excluded.failure_count,
                    timeout_count = r.timeout_count + excluded.timeout_count,
                    quality_gate_failures = r.quality_gate_failures + excluded.quality_gate_failures,
                    duration_count = r.duration_count + excluded.duration_count,
                    duration_sum = r.duration_sum + excluded.duration_sum,
                    duration_sum_sq = r.duration_sum_sq + excluded.duration_sum_sq,
                    duration_min = least(r.duration_min, excluded.duration_min),
                    duration_max = greatest(r.duration_max, excluded.duration_max),
                    quality_count = r.quality_count + excluded.quality_count,
                    quality_sum = r.quality_sum + excluded.quality_sum,
                    quality_sum_sq = r.quality_sum_sq + excluded.quality_sum_sq,
                    quality_min = least(r.quality_min, excluded.quality_min),
                    quality_max = greatest(r.quality_max, excluded.quality_max),
                    last_started_at = greatest(r.last_started_at, excluded.last_started_at),
                    (latency_buckets, latency_counts) = (SELECT buckets, counts FROM execution_histogram_add(
                        r.latency_buckets, r.latency_counts, excluded.latency_buckets, excluded.latency_counts))
            ), latency_daily AS (
                INSERT INTO execution_rollup_latency_daily AS l (pattern_id, day, latency_buckets, latency_counts)
                SELECT pattern_id, day, array_agg(bucket ORDER BY bucket), array_agg(n ORDER BY bucket)
                  FROM (SELECT pattern_id, date_trunc('day', hour, 'UTC') AS day, bucket, sum(n)::bigint AS n
                          FROM latency_cells
                         GROUP BY 1, 2, 3) cells
                 GROUP BY pattern_id, day
                 ORDER BY pattern_id, day
                ON CONFLICT (pattern_id, day) DO UPDATE SET
                    (latency_buckets, latency_counts) = (SELECT buckets, counts FROM execution_histogram_add(
                        l.latency_buckets, l.latency_counts, excluded.latency_buckets, excluded.latency_counts))
            ), value_counts AS (
                INSERT INTO execution_rollup_values_hourly AS v (pattern_id, hour, dimension, value, executions)
                SELECT i.pattern_id, i.hour, d.dimension, d.value, count(*)
                  FROM inserted i
                 CROSS JOIN LATERAL (VALUES ('context_type', left(i.context_type, 200)), ('agent', left(i.agent, 200)),
                                            ('project', left(i.project, 200))) AS d(dimension, value)
                 WHERE d.value IS NOT NULL
                 GROUP BY i.pattern_id, i.hour, d.dimension, d.value
                 ORDER BY i.pattern_id, i.hour, d.dimension, d.value
                ON CONFLICT (pattern_id, hour, dimension, value) DO UPDATE SET
                    executions = v.executions + excluded.executions
            ), value_counts_daily AS (
                INSERT INTO execution_rollup_values_daily AS v (pattern_id, day, dimension, value, executions)
                SELECT i.pattern_id, date_trunc('day', i.hour, 'UTC') AS day, d.dimension, d.value, count(*)
                  FROM inserted i
                 CROSS JOIN LATERAL (VALUES ('context_type', left(i.context_type, 200)), ('agent', left(i.agent, 200)),
                                            ('project', left(i.project, 200))) AS d(dimension, value)
                 WHERE d.value IS NOT NULL
                 GROUP BY i.pattern_id, day, d.dimension, d.value
                 ORDER BY i.pattern_id, day, d.dimension, d.value
                ON CONFLICT (pattern_id, day, dimension, value) DO UPDATE SET
                    executions = v.executions + excluded.executions
            )
            SELECT execution_id FROM inserted""";

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
