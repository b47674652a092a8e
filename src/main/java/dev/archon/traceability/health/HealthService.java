package dev.archon.traceability.health;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.archon.traceability.backup.BackupAudit;
import dev.archon.traceability.db.Tables;
import dev.archon.traceability.jobs.JobRuns;
import dev.archon.traceability.lineage.LineageQueries;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;

/**
 * Builds the answers of GET /health and of the per-service health endpoints from the same component checks:
 * database (reachability and latency, through the pool), connection pool, Camel context and routes, the contract
 * tables each service needs, and (in /health) the last run of each maintenance job.
 */
public final class HealthService {

    /** Older than this, a commit's pattern summaries are stuck, not just waiting for the writer's next answer. */
    static final double SUMMARIES_STALE_SECONDS = 60;

    public enum Status {
        HEALTHY, DEGRADED, UNHEALTHY;

        String json() {
            return name().toLowerCase();
        }

        Status worst(Status other) {
            return other.ordinal() > ordinal() ? other : this;
        }
    }

    /**
     * A component of a service's health beside its database and tables: {@code check} answers a map with its
     * "status" (healthy, degraded or unhealthy) and details. One that {@code needsDatabase} is not run while the
     * database is unreachable (the database component already says why).
     */
    public record Component(String name, boolean needsDatabase, Supplier<Map<String, Object>> check) {
    }

    /** One endpoint's answer: its status and body; 503 only when unhealthy (a degraded service still serves). */
    public record Report(Status status, Map<String, Object> body) {

        public int httpStatus() {
            return status == Status.UNHEALTHY ? 503 : 200;
        }
    }

    private final DatabaseProbe probe;
    private final HikariDataSource pool;
    private final JobRuns jobRuns;
    private final LineageQueries lineage;
    private final BackupAudit backups;
    private final String databaseMode;
    private final CamelContext camel;
    private final Clock clock;
    private final Instant startedAt;
    private final String version;

    public HealthService(DatabaseProbe probe, HikariDataSource pool, JobRuns jobRuns, LineageQueries lineage,
                         BackupAudit backups, String databaseMode, CamelContext camel, Clock clock, String version) {
        this.probe = probe;
        this.pool = pool;
        this.jobRuns = jobRuns;
        this.lineage = lineage;
        this.backups = backups;
        this.databaseMode = databaseMode;
        this.camel = camel;
        this.clock = clock;
        this.startedAt = clock.instant();
        this.version = version;
    }

    /** GET /health: the whole service. */
    public Report overall() {
        DatabaseProbe.Result db = probe.probe();
        Map<String, Map<String, Object>> components = new LinkedHashMap<>();
        components.put("database", database(db));
        components.put("connection_pool", pool());
        components.put("camel", camel());
        components.put("schema", schema(db, DatabaseProbe.CONTRACT_OBJECTS));
        if (db.up()) {
            components.put("maintenance", maintenance());
        }
        backups.last().ifPresent(finding -> components.put("backup", backup(finding)));
        return report("pattern-traceability", components);
    }

    /** GET /api/lineage/health. */
    public Report lineage() {
        List<String> objects = new ArrayList<>(Tables.LINEAGE);
        objects.add(Tables.PATTERN_SUMMARIES);
        objects.add(Tables.PENDING_PATTERN_SUMMARIES);
        objects.add(Tables.LINEAGE_PATH_FUNCTION);
        return service("lineage", objects, List.of(new Component("graph", true, this::graph)));
    }

    /** GET /api/analytics/health: hook_executions and the rollup tables, and the analytics' own components. */
    public Report analytics(List<Component> components) {
        return service("analytics", Tables.ANALYTICS, components);
    }

    /**
     * The graph's size, the latency of a path query and the pattern summaries waiting for their refresh; degraded
     * when it cannot be read, or when a commit's summaries have waited over {@link #SUMMARIES_STALE_SECONDS}.
     */
    private Map<String, Object> graph() {
        Map<String, Object> c = new LinkedHashMap<>();
        try {
            Map<String, Object> figures = lineage.probe();
            boolean stale = (double) figures.get("summaries_pending_oldest_seconds") > SUMMARIES_STALE_SECONDS;
            c.put("status", (stale ? Status.DEGRADED : Status.HEALTHY).json());
            if (stale) {
                c.put("error", "pattern summaries are not refreshed: pattern search misses recent changes; the"
                        + " service log says why (PatternSummaries)");
            }
            c.putAll(figures);
        } catch (SQLException e) {
            c.put("status", Status.DEGRADED.json());
            c.put("error", "lineage queries fail: " + e.getMessage());
        }
        return c;
    }

    /**
     * GET /api/feedback-loop/health: the database, the tables the loop reads and writes, and the loop itself
     * ({@code loop}: this instance's workers, the running workflows of every instance and the oldest one's age, the
     * last failure, the schedule), read only when the database answers.
     */
    public Report feedbackLoop(Supplier<Map<String, Object>> loop) {
        List<String> objects = new ArrayList<>(Tables.FEEDBACK);
        objects.add(Tables.EXECUTIONS);
        objects.addAll(Tables.LINEAGE_WRITTEN);
        DatabaseProbe.Result db = probe.probe();
        Map<String, Map<String, Object>> components = new LinkedHashMap<>();
        components.put("database", database(db));
        components.put("schema", schema(db, objects));
        if (db.up()) {
            components.put("workflows", loop.get());
        }
        return report("feedback-loop", components);
    }

    /** A service's health: the database, the tables (and functions) it needs, and its own components. */
    public Report service(String name, List<String> objects, List<Component> more) {
        DatabaseProbe.Result db = probe.probe();
        Map<String, Map<String, Object>> components = new LinkedHashMap<>();
        components.put("database", database(db));
        components.put("schema", schema(db, objects));
        for (Component c : more) {
            if (db.up() || !c.needsDatabase()) {
                components.put(c.name(), c.check().get());
            }
        }
        return report(name, components);
    }

    private Report report(String service, Map<String, Map<String, Object>> components) {
        Status status = Status.HEALTHY;
        List<String> failing = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> c : components.entrySet()) {
            Status s = Status.valueOf(((String) c.getValue().get("status")).toUpperCase());
            if (s != Status.HEALTHY) {
                failing.add(c.getKey());
            }
            status = status.worst(s);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status.json());
        body.put("service", service);
        if (!failing.isEmpty()) {
            body.put("failing_components", failing);
        }
        body.put("version", version);
        body.put("timestamp", clock.instant().toString());
        body.put("uptime_seconds", Duration.between(startedAt, clock.instant()).toSeconds());
        body.put("components", components);
        return new Report(status, body);
    }

    private Map<String, Object> database(DatabaseProbe.Result db) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("status", (db.up() ? Status.HEALTHY : Status.UNHEALTHY).json());
        c.put("mode", databaseMode);
        if (db.up()) {
            c.put("latency_ms", db.latencyMs());
            c.put("server_version", db.serverVersion());
        } else {
            c.put("error", "database unreachable: " + db.error());
        }
        return c;
    }

    private Map<String, Object> pool() {
        HikariPoolMXBean mx = pool.getHikariPoolMXBean();
        int max = pool.getMaximumPoolSize();
        int active = mx == null ? 0 : mx.getActiveConnections();
        int waiting = mx == null ? 0 : mx.getThreadsAwaitingConnection();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("status", (active >= max && waiting > 0 ? Status.DEGRADED : Status.HEALTHY).json());
        c.put("active", active);
        c.put("idle", mx == null ? 0 : mx.getIdleConnections());
        c.put("total", mx == null ? 0 : mx.getTotalConnections());
        c.put("available", max - active);
        c.put("max", max);
        c.put("waiting", waiting);
        return c;
    }

    /**
     * Routes that should run and do not: stopped or suspended by hand (console, JMX). A route switched off in the
     * configuration (a job's .enabled=false: not auto-started) is intended and not counted.
     */
    public List<String> routesNotStarted() {
        List<String> notStarted = new ArrayList<>();
        for (Route r : camel.getRoutes()) {
            ServiceStatus s = camel.getRouteController().getRouteStatus(r.getRouteId());
            if (s != ServiceStatus.Started && r.isAutoStartup()) {
                notStarted.add(r.getRouteId() + " (" + s + ")");
            }
        }
        notStarted.sort(null); // by route id, whatever order the route files were loaded in
        return notStarted;
    }

    private Map<String, Object> camel() {
        List<String> notStarted = routesNotStarted();
        List<Route> routes = camel.getRoutes();
        List<String> disabled = routes.stream().filter(r -> !r.isAutoStartup()
                && camel.getRouteController().getRouteStatus(r.getRouteId()) != ServiceStatus.Started)
                .map(Route::getRouteId).sorted().toList();
        ServiceStatus context = camel.getStatus();
        Status status = context != ServiceStatus.Started ? Status.UNHEALTHY
                : notStarted.isEmpty() ? Status.HEALTHY : Status.DEGRADED;
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("status", status.json());
        c.put("context", context.name());
        c.put("routes_total", routes.size());
        c.put("routes_started", routes.size() - notStarted.size() - disabled.size());
        if (!disabled.isEmpty()) {
            c.put("routes_disabled", disabled);
        }
        if (!notStarted.isEmpty()) {
            c.put("routes_not_started", notStarted);
        }
        return c;
    }

    /** The newest dump in the backup folder, as the last health check read it: degraded when it lost tables. */
    private static Map<String, Object> backup(BackupAudit.Finding finding) {
        Map<String, Object> c = new LinkedHashMap<>();
        boolean complete = finding.contents() != null && finding.contents().complete();
        c.put("status", (complete ? Status.HEALTHY : Status.DEGRADED).json());
        c.putAll(finding.asMap());
        return c;
    }

    /** The last finished run of each maintenance job: degraded while any job's last run failed. */
    private Map<String, Object> maintenance() {
        Map<String, Object> lastRuns = new TreeMap<>();
        List<String> failed = new ArrayList<>();
        Map<String, Object> c = new LinkedHashMap<>();
        try {
            jobRuns.lastFinished().forEach((job, status) -> {
                lastRuns.put(job, status);
                if ("failed".equals(status)) {
                    failed.add(job);
                }
            });
        } catch (SQLException e) {
            c.put("status", Status.DEGRADED.json());
            c.put("error", "job history unreadable: " + e.getMessage());
            return c;
        }
        c.put("status", (failed.isEmpty() ? Status.HEALTHY : Status.DEGRADED).json());
        c.put("last_runs", lastRuns);
        if (!failed.isEmpty()) {
            c.put("failed_jobs", failed);
        }
        return c;
    }

    private static Map<String, Object> schema(DatabaseProbe.Result db, List<String> objects) {
        Map<String, Object> c = new LinkedHashMap<>();
        if (!db.up()) {
            c.put("status", Status.UNHEALTHY.json());
            c.put("error", "not checked: database unreachable");
            return c;
        }
        List<String> missing = objects.stream().filter(o -> !db.objects().getOrDefault(o, false)).toList();
        c.put("status", (missing.isEmpty() ? Status.HEALTHY : Status.UNHEALTHY).json());
        c.put("objects", objects);
        if (!missing.isEmpty()) {
            c.put("missing", missing);
        }
        return c;
    }
}
