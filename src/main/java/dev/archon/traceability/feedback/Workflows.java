package dev.archon.traceability.feedback;

import dev.archon.traceability.json.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The tables feedback_workflows and feedback_workflow_stages (migration V10), and the only code that reads or
 * writes them: a workflow's row (parameters, status, current stage, state, results), one row per stage (start, end,
 * outcome, figures), and the advisory lock that is a running workflow's lease.
 */
public final class Workflows {

    /** Our advisory-lock namespace for workflow leases ("FLP"); the key is the workflow id's first 32 bits. */
    static final int LEASE_CLASS = 0x464c50;

    public static final String RUNNING = "running";
    public static final String COMPLETED = "completed";
    public static final String INSUFFICIENT_DATA = "insufficient_data";
    public static final String WORKFLOW_TIMEOUT = "workflow_timeout";
    public static final String FAILED = "failed";

    /** A running workflow as a worker takes it: what {@link Workflow} is built from. */
    record Taken(UUID patternId, String trigger, WorkflowParameters parameters, int attempts, String stateJson,
                 Set<Stage> done, Stage interruptedIn) {
    }

    private static final String INSERT = """
            INSERT INTO feedback_workflows (workflow_id, pattern_id, status, stage, trigger, parameters, created_at)
            VALUES (?, ?, 'running', 'queued', ?, ?::jsonb, ?)
            ON CONFLICT (pattern_id) WHERE status = 'running' DO NOTHING""";

    private static final String TAKE = """
            UPDATE feedback_workflows
               SET attempts = attempts + 1, instance = ?, started_at = coalesce(started_at, ?), deadline = ?
             WHERE workflow_id = ? AND status = 'running'
            RETURNING pattern_id, trigger, parameters::text, attempts, state::text""";

    /** Stages left 'running' by an earlier attempt were interrupted; returns them (at most one) and the done ones. */
    private static final String INTERRUPTED_STAGES = """
            WITH cut AS (
                UPDATE feedback_workflow_stages SET status = 'interrupted', finished_at = ?
                 WHERE workflow_id = ? AND status = 'running'
                RETURNING stage, status
            )
            SELECT stage, status FROM cut
            UNION ALL
            SELECT stage, status FROM feedback_workflow_stages
             WHERE workflow_id = ? AND status IN ('completed', 'skipped')""";

    private static final String STAGE_STARTED = """
            WITH s AS (
                INSERT INTO feedback_workflow_stages (workflow_id, stage, position, status, attempt, started_at)
                VALUES (?, ?, ?, 'running', ?, ?)
                ON CONFLICT (workflow_id, stage) DO UPDATE
                   SET status = 'running', attempt = excluded.attempt, started_at = excluded.started_at,
                       finished_at = NULL, figures = NULL
            )
            UPDATE feedback_workflows SET stage = ? WHERE workflow_id = ?""";

    /** A stage's end, and the workflow's state after it (or its end, for the last stage), in one statement. */
    private static final String STAGE_ENDED = """
            WITH s AS (
                INSERT INTO feedback_workflow_stages (workflow_id, stage, position, status, attempt, started_at,
                                                      finished_at, figures)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb)
                ON CONFLICT (workflow_id, stage) DO UPDATE
                   SET status = excluded.status, finished_at = excluded.finished_at, figures = excluded.figures
            )
            UPDATE feedback_workflows
               SET state = ?::jsonb, stage = ?, status = coalesce(?, status), results = coalesce(?::jsonb, results),
                   error = coalesce(?, error), finished_at = coalesce(?, finished_at)
             WHERE workflow_id = ? AND status = 'running'""";

    private static final String LOCK_FREE = """
            NOT EXISTS (SELECT 1 FROM pg_locks l
                         WHERE l.locktype = 'advisory' AND l.database = (SELECT oid FROM pg_database
                                                                          WHERE datname = current_database())
                           AND l.classid = %d::oid AND l.objsubid = 2
                           AND l.objid = (('x' || left(w.workflow_id::text, 8))::bit(32)::int)::oid)"""
            .formatted(LEASE_CLASS);

    private final DataSource dataSource;

    public Workflows(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Deletes the workflows that finished more than {@code retention} ago, with their stages and proposals, except
     * those with a proposal still awaiting review (proposed or validated: POST .../proposals/{id}/apply may still
     * take it). What was applied stays in the graph: the IMPROVED_VERSION edge's metadata and the lineage event.
     * Answers how many workflows it deleted. Called by the daily maintenance.
     */
    public int deleteFinishedOlderThan(Duration retention) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     DELETE FROM feedback_workflows w
                      WHERE w.status <> 'running' AND w.finished_at < now() - CAST(? AS interval)
                        AND NOT EXISTS (SELECT 1 FROM feedback_proposals p
                                         WHERE p.workflow_id = w.workflow_id
                                           AND p.status IN ('proposed', 'validated'))""")) {
            ps.setString(1, retention.toSeconds() + " seconds");
            return ps.executeUpdate();
        }
    }

    /** Records a new workflow, queued; false when the pattern has a running one (here or on another instance). */
    boolean insert(UUID id, UUID patternId, String trigger, WorkflowParameters parameters, Instant at)
            throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setObject(1, id);
            ps.setObject(2, patternId);
            ps.setString(3, trigger);
            ps.setString(4, Json.write(parameters.asMap()));
            ps.setObject(5, WindowQueries.at(at));
            return ps.executeUpdate() == 1;
        }
    }

    /** The pattern's running workflow, or null. */
    UUID runningFor(UUID patternId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT workflow_id FROM feedback_workflows"
                     + " WHERE pattern_id = ? AND status = 'running'")) {
            ps.setObject(1, patternId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1, UUID.class) : null;
            }
        }
    }

    /** Tries to take the workflow's lease on {@code lease}: its advisory lock, held until released or disconnected. */
    static boolean tryLease(Connection lease, UUID id) throws SQLException {
        try (PreparedStatement ps = lease.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            ps.setInt(1, LEASE_CLASS);
            ps.setInt(2, leaseKey(id));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    static void releaseLease(Connection lease, UUID id) throws SQLException {
        try (PreparedStatement ps = lease.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
            ps.setInt(1, LEASE_CLASS);
            ps.setInt(2, leaseKey(id));
            ps.executeQuery().close();
        }
    }

    /** The id's first 32 bits, as the sweep's SQL computes them from the id's text. */
    static int leaseKey(UUID id) {
        return (int) (id.getMostSignificantBits() >>> 32);
    }

    /**
     * Starts an attempt at a running workflow under its lease: counts the attempt, sets its deadline, marks the
     * stages an earlier attempt left running as interrupted. Null when the workflow is no longer running.
     */
    static Taken take(Connection lease, UUID id, String instance, Instant now, Instant deadline) throws SQLException {
        UUID pattern;
        String trigger;
        WorkflowParameters parameters;
        int attempts;
        String state;
        try (PreparedStatement ps = lease.prepareStatement(TAKE)) {
            ps.setString(1, instance);
            ps.setObject(2, WindowQueries.at(now));
            ps.setObject(3, WindowQueries.at(deadline));
            ps.setObject(4, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                pattern = rs.getObject(1, UUID.class);
                trigger = rs.getString(2);
                parameters = WorkflowParameters.fromStored(Proposals.json(rs.getString(3)));
                attempts = rs.getInt(4);
                state = rs.getString(5);
            }
        }
        Set<Stage> done = EnumSet.noneOf(Stage.class);
        Stage interrupted = null;
        try (PreparedStatement ps = lease.prepareStatement(INTERRUPTED_STAGES)) {
            ps.setObject(1, WindowQueries.at(now));
            ps.setObject(2, id);
            ps.setObject(3, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Stage stage = Stage.valueOf(rs.getString(1).toUpperCase());
                    if (rs.getString(2).equals("interrupted")) {
                        interrupted = stage;
                    } else {
                        done.add(stage);
                    }
                }
            }
        }
        return new Taken(pattern, trigger, parameters, attempts, state, done, interrupted);
    }

    static void stageStarted(Connection c, Workflow w, Stage stage, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(STAGE_STARTED)) {
            ps.setObject(1, w.id());
            ps.setString(2, stage.wireName());
            ps.setInt(3, stage.position());
            ps.setInt(4, w.attempt());
            ps.setObject(5, WindowQueries.at(at));
            ps.setString(6, stage.wireName());
            ps.setObject(7, w.id());
            ps.executeUpdate();
        }
    }

    /**
     * Records a stage's end ({@code completed}, {@code skipped}, {@code failed}, {@code timed_out}) with its
     * figures and the workflow's state; with a {@code finalStatus} the workflow ends too, with its results and
     * error. False when the workflow was no longer running.
     */
    static boolean stageEnded(Connection c, Workflow w, Stage stage, String status, Instant started, Instant at,
                              Map<String, Object> figures, String finalStatus, Map<String, Object> results,
                              String error) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(STAGE_ENDED)) {
            ps.setObject(1, w.id());
            ps.setString(2, stage.wireName());
            ps.setInt(3, stage.position());
            ps.setString(4, status);
            ps.setInt(5, w.attempt());
            ps.setObject(6, WindowQueries.at(started));
            ps.setObject(7, WindowQueries.at(at));
            ps.setString(8, figures == null ? null : Json.write(figures));
            ps.setString(9, w.findings().toJson());
            ps.setString(10, stage.wireName());
            ps.setString(11, finalStatus);
            ps.setString(12, results == null ? null : Json.write(results));
            ps.setString(13, error);
            ps.setObject(14, finalStatus == null ? null : WindowQueries.at(at));
            ps.setObject(15, w.id());
            return ps.executeUpdate() == 1;
        }
    }

    /** Ends a running workflow that no stage ended (interrupted too often): false if it was not running. */
    static boolean end(Connection c, UUID id, String status, String error, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE feedback_workflows SET status = ?, error = ?,"
                + " finished_at = ? WHERE workflow_id = ? AND status = 'running'")) {
            ps.setString(1, status);
            ps.setString(2, error);
            ps.setObject(3, WindowQueries.at(at));
            ps.setObject(4, id);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Running workflows that no worker holds (no lease: their instance stopped or died, or no worker took them
     * yet), triggered before {@code before}, oldest first: what the sweep queues again.
     */
    List<UUID> unleased(Instant before, int limit) throws SQLException {
        List<UUID> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT w.workflow_id FROM feedback_workflows w"
                     + " WHERE w.status = 'running' AND w.created_at < ? AND " + LOCK_FREE
                     + " ORDER BY w.created_at LIMIT ?")) {
            ps.setObject(1, WindowQueries.at(before));
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return out;
    }

    /** One workflow as GET /api/feedback-loop/status/{id} shows it, or null. */
    Map<String, Object> one(UUID id, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Map<String, Object> w;
            try (PreparedStatement ps = c.prepareStatement("SELECT workflow_id, pattern_id, status, stage, trigger,"
                    + " parameters::text, results::text, error, instance, attempts, created_at, started_at, deadline,"
                    + " finished_at FROM feedback_workflows WHERE workflow_id = ?")) {
                ps.setObject(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    w = new LinkedHashMap<>();
                    w.put("workflow_id", rs.getObject(1, UUID.class));
                    w.put("pattern_id", rs.getObject(2, UUID.class));
                    String status = rs.getString(3);
                    w.put("status", status);
                    w.put("current_stage", rs.getString(4));
                    w.put("trigger", rs.getString(5));
                    w.put("parameters", Proposals.json(rs.getString(6)));
                    w.put("results", Proposals.json(rs.getString(7)));
                    w.put("error", rs.getString(8));
                    w.put("instance", rs.getString(9));
                    w.put("attempts", rs.getInt(10));
                    Instant created = instant(rs, 11);
                    Instant finished = instant(rs, 14);
                    w.put("created_at", text(created));
                    w.put("started_at", text(instant(rs, 12)));
                    w.put("deadline", status.equals(RUNNING) ? text(instant(rs, 13)) : null);
                    w.put("finished_at", text(finished));
                    w.put("duration_ms", Duration.between(created, finished != null ? finished : now).toMillis());
                }
            }
            List<Map<String, Object>> stages = new ArrayList<>();
            List<String> completed = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT stage, status, attempt, started_at, finished_at,"
                    + " figures::text FROM feedback_workflow_stages WHERE workflow_id = ? ORDER BY position")) {
                ps.setObject(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, Object> s = new LinkedHashMap<>();
                        s.put("stage", rs.getString(1));
                        s.put("status", rs.getString(2));
                        s.put("attempt", rs.getInt(3));
                        Instant started = instant(rs, 4);
                        Instant ended = instant(rs, 5);
                        s.put("started_at", text(started));
                        s.put("finished_at", text(ended));
                        s.put("duration_ms", ended == null ? null : Duration.between(started, ended).toMillis());
                        s.put("figures", Proposals.json(rs.getString(6)));
                        stages.add(s);
                        if (rs.getString(2).equals("completed")) {
                            completed.add(rs.getString(1));
                        }
                    }
                }
            }
            w.put("completed_stages", completed);
            w.put("stages", stages);
            w.put("proposals", Proposals.ofWorkflow(c, id).stream().map(Proposals.Proposal::asMap).toList());
            return w;
        }
    }

    /** Running workflows (every instance's), oldest first: id, pattern, stage, age. */
    List<Map<String, Object>> active(Instant now, int limit) throws SQLException {
        return list("status = 'running' ORDER BY created_at LIMIT ?", limit, now);
    }

    /** Finished workflows, newest first, with their outcome. */
    List<Map<String, Object>> recent(Instant now, int limit) throws SQLException {
        return list("status <> 'running' ORDER BY created_at DESC LIMIT ?", limit, now);
    }

    private List<Map<String, Object>> list(String where, int limit, Instant now) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT workflow_id, pattern_id, status, stage, trigger,"
                     + " instance, attempts, created_at, finished_at, results->>'outcome', error"
                     + " FROM feedback_workflows WHERE " + where)) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("workflow_id", rs.getObject(1, UUID.class));
                    m.put("pattern_id", rs.getObject(2, UUID.class));
                    String status = rs.getString(3);
                    m.put("status", status);
                    m.put("stage", rs.getString(4));
                    m.put("trigger", rs.getString(5));
                    m.put("instance", rs.getString(6));
                    m.put("attempts", rs.getInt(7));
                    Instant created = instant(rs, 8);
                    Instant finished = instant(rs, 9);
                    m.put("created_at", text(created));
                    if (status.equals(RUNNING)) {
                        m.put("age_seconds", Duration.between(created, now).toMillis() / 1000.0);
                    } else {
                        m.put("finished_at", text(finished));
                        m.put("duration_ms", Duration.between(created, finished).toMillis());
                        m.put("outcome", rs.getString(10));
                        m.put("error", rs.getString(11));
                    }
                    out.add(m);
                }
            }
        }
        return out;
    }

    /** For /api/feedback-loop/health: running workflows (all instances), the oldest one's age, the last failure. */
    Map<String, Object> health(Instant now) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT (SELECT count(*) FROM feedback_workflows WHERE status = 'running'),
                            (SELECT min(created_at) FROM feedback_workflows WHERE status = 'running'),
                            f.workflow_id, f.pattern_id, f.status, f.error, f.finished_at
                       FROM (SELECT 1) one
                       LEFT JOIN LATERAL (SELECT workflow_id, pattern_id, status, error, finished_at
                                            FROM feedback_workflows
                                           WHERE status IN ('failed', 'workflow_timeout')
                                           ORDER BY finished_at DESC LIMIT 1) f ON true""")) {
            ps.setQueryTimeout(2);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                m.put("active_workflows", rs.getLong(1));
                Instant oldest = instant(rs, 2);
                m.put("oldest_active_age_seconds", oldest == null ? null
                        : Duration.between(oldest, now).toMillis() / 1000.0);
                if (rs.getObject(3) == null) {
                    m.put("last_failure", null);
                } else {
                    Map<String, Object> f = new LinkedHashMap<>();
                    f.put("workflow_id", rs.getObject(3, UUID.class));
                    f.put("pattern_id", rs.getObject(4, UUID.class));
                    f.put("status", rs.getString(5));
                    f.put("error", rs.getString(6));
                    f.put("finished_at", text(instant(rs, 7)));
                    m.put("last_failure", f);
                }
            }
        }
        return m;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
