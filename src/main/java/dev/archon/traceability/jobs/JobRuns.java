package dev.archon.traceability.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.archon.traceability.json.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The table job_runs (migration V5), and the only code that reads or writes it: one row per run, whatever started
 * it (schedule, admin HTTP, command line), with its status, report and error.
 */
public final class JobRuns {

    private static final String COLUMNS = "run_id, job, instance, trigger, dry_run, started_at, finished_at, status,"
            + " report::text, error";

    private final DataSource dataSource;

    public JobRuns(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    void insert(UUID id, String job, String instance, String trigger, boolean dryRun, Instant started, String status)
            throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO job_runs (run_id, job, instance, trigger, dry_run,"
                     + " started_at, status) VALUES (?, ?, ?, ?, ?, ?::timestamptz, ?)")) {
            ps.setObject(1, id);
            ps.setString(2, job);
            ps.setString(3, instance);
            ps.setString(4, trigger);
            ps.setBoolean(5, dryRun);
            ps.setString(6, started.toString());
            ps.setString(7, status);
            ps.executeUpdate();
        }
    }

    void finish(UUID id, Instant finished, String status, Map<String, Object> report, String error)
            throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE job_runs SET finished_at = ?::timestamptz, status = ?,"
                     + " report = ?::jsonb, error = ? WHERE run_id = ?")) {
            ps.setString(1, finished.toString());
            ps.setString(2, status);
            ps.setString(3, report == null ? null : Json.write(report));
            ps.setString(4, error);
            ps.setObject(5, id);
            ps.executeUpdate();
        }
    }

    /** Runs of {@code job} still marked running were cut short (the caller holds the job's lock: none can be live). */
    void markInterrupted(String job) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE job_runs SET status = 'interrupted',"
                     + " finished_at = now(), error = 'the instance running it stopped' WHERE job = ?"
                     + " AND status = 'running'")) {
            ps.setString(1, job);
            ps.executeUpdate();
        }
    }

    /** One recorded run, or null. */
    public Map<String, Object> run(UUID id) throws SQLException {
        List<Map<String, Object>> rows = select("run_id = ?", id, 1);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** The newest runs of a job, newest first. */
    public List<Map<String, Object>> runs(String job, int limit) throws SQLException {
        return select("job = ?", job, limit);
    }

    /** The status of each job's last finished run (not running, not skipped), by job name. */
    public Map<String, String> lastFinished() throws SQLException {
        Map<String, String> last = new TreeMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT DISTINCT ON (job) job, status FROM job_runs"
                     + " WHERE status NOT IN ('running', 'skipped') ORDER BY job, started_at DESC")) {
            ps.setQueryTimeout(2);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    last.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return last;
    }

    /** Deletes finished runs older than {@code retention}; returns how many. */
    public int deleteOlderThan(Duration retention) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM job_runs WHERE started_at < now() - ?::interval"
                     + " AND status <> 'running'")) {
            ps.setString(1, retention.toSeconds() + " seconds");
            return ps.executeUpdate();
        }
    }

    private List<Map<String, Object>> select(String where, Object arg, int limit) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM job_runs WHERE " + where
                     + " ORDER BY started_at DESC LIMIT ?")) {
            ps.setObject(1, arg);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("run_id", rs.getObject(1, UUID.class));
                    m.put("job", rs.getString(2));
                    m.put("instance", rs.getString(3));
                    m.put("trigger", rs.getString(4));
                    m.put("dry_run", rs.getBoolean(5));
                    m.put("started_at", rs.getTimestamp(6).toInstant().toString());
                    m.put("finished_at", rs.getTimestamp(7) == null ? null : rs.getTimestamp(7).toInstant().toString());
                    m.put("status", rs.getString(8));
                    m.put("report", rs.getString(9) == null ? null : Json.mapper().readTree(rs.getString(9)));
                    m.put("error", rs.getString(10));
                    out.add(m);
                }
            } catch (JsonProcessingException e) {
                throw new SQLException("unreadable report: " + e.getMessage(), e);
            }
        }
        return out;
    }
}
