package dev.archon.traceability.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.archon.traceability.analytics.AnalyticsRequest;
import dev.archon.traceability.analytics.UsageAnalytics;
import dev.archon.traceability.analytics.WindowType;
import dev.archon.traceability.errors.ProblemException;
import dev.archon.traceability.executions.HookExecution;
import dev.archon.traceability.health.HealthService;
import dev.archon.traceability.http.HttpAnswer;
import dev.archon.traceability.ingest.EventReader;
import dev.archon.traceability.ingest.GroupCommitWriter;
import dev.archon.traceability.json.Json;
import dev.archon.traceability.lineage.PatternIds;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The as-built API's reads and the endpoints around them, over our own read code: lineage query (ancestry and
 * descendants), evolution, execution logs and summary (the rows of our SQL functions, shaped as built), usage
 * analytics (our analytics, computed from real executions), health, and the two endpoints its clients call that it
 * lacked: search and validate. Each answers 200 with the as-built body, or a {@link CompatException}.
 */
public final class CompatReadEndpoints {

    private static final List<String> TIME_WINDOWS = List.of("hourly", "daily", "weekly", "monthly", "quarterly",
            "yearly", "all_time", "custom");

    private final CompatQueries queries;
    private final UsageAnalytics analytics;
    private final HealthService health;
    private final Clock clock;
    private final EventReader reader;
    private final GroupCommitWriter writer;
    private final Duration commitTimeout;

    /**
     * @param reader        and {@code writer}: execution reports posted to analytics/compute are stored as ingest
     *                      stores executions
     * @param commitTimeout how long such a report may wait for its commit before 504
     */
    CompatReadEndpoints(CompatQueries queries, UsageAnalytics analytics, HealthService health, Clock clock,
                        EventReader reader, GroupCommitWriter writer, Duration commitTimeout) {
        this.queries = queries;
        this.analytics = analytics;
        this.health = health;
        this.clock = clock;
        this.reader = reader;
        this.writer = writer;
        this.commitTimeout = commitTimeout;
    }

    /** The handler of one endpoint: its answer body (200) from the request message. */
    interface Handler {
        Object answer(Message in) throws Exception;
    }

    /** A processor writing the handler's body as the 200 answer. */
    static Processor answering(Handler handler) {
        return exchange -> {
            Message in = exchange.getMessage();
            HttpAnswer.ok(handler.answer(in)).writeTo(exchange);
        };
    }

    // ------------------------------------------------------------------------------------------------ lineage

    /** GET /lineage/{pattern_id}?query_type=ancestry|descendants (any other value: descendants, as built). */
    public Processor lineageQuery() {
        return answering(in -> query(header(in, "pattern_id"), header(in, "query_type"), in));
    }

    /** POST /lineage/query (an alias clients call): {pattern_id, query_type}; other fields are ignored. */
    public Processor lineageQueryPost() {
        return answering(in -> {
            ArchonFields f = ArchonFields.body(ArchonFields.parse(in.getBody(byte[].class)));
            String patternId = f.requiredString("pattern_id");
            String queryType = f.string("query_type", "ancestry");
            f.check();
            return query(patternId, queryType, in);
        });
    }

    private Map<String, Object> query(String patternId, String queryType, Message in) throws SQLException {
        long start = System.nanoTime();
        String type = queryType == null ? "ancestry" : queryType;
        CompatQueries.Node node = pattern(patternId, "Validation error: Pattern not found: ");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("pattern_id", patternId);
        data.put("pattern_node_id", node.nodeId());
        if (type.equals("ancestry")) {
            List<Map<String, Object>> ancestors = queries.ancestry(node.nodeId());
            int total = Math.max(0, ancestors.size() - 1);
            data.put("lineage_id", node.patternId());
            data.put("ancestors", ancestors);
            data.put("ancestry_depth", total);
            data.put("total_ancestors", total);
        } else {
            List<Map<String, Object>> descendants = queries.descendants(node.nodeId());
            data.put("descendants", descendants);
            data.put("total_descendants", descendants.size());
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        double ms = CompatTime.millisSince(start);
        metadata.put("correlation_id", HttpAnswer.correlationId(in));
        metadata.put("operation", type.equals("ancestry") ? "query_ancestry" : "query_descendants");
        metadata.put("duration_ms", ms);
        metadata.put("pattern_id", patternId);
        metadata.put("processing_time_ms", ms);
        metadata.put("query_type", type);
        return success("data", data, "metadata", metadata);
    }

    /** GET /lineage/{pattern_id}/evolution: every version of exactly this pattern_id and the edges touching them. */
    public Processor evolution() {
        return answering(in -> {
            long start = System.nanoTime();
            String patternId = header(in, "pattern_id");
            CompatQueries.Node node = pattern(patternId, "Pattern not found: ");
            Map<String, Object> evolution = queries.evolution(node.patternId());
            List<?> nodes = (List<?>) evolution.get("nodes");
            List<?> edges = (List<?>) evolution.get("edges");
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("pattern_id", patternId);
            data.put("total_versions", nodes.size());
            data.put("evolution_nodes", nodes);
            data.put("evolution_edges", edges);
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("processing_time_ms", CompatTime.millisSince(start));
            metadata.put("total_nodes", nodes.size());
            metadata.put("total_edges", edges.size());
            return success("data", data, "metadata", metadata);
        });
    }

    private CompatQueries.Node pattern(String patternId, String notFound) throws SQLException {
        return queries.newest(patternId).orElseThrow(() -> CompatException.notFound(notFound + patternId));
    }

    // --------------------------------------------------------------------------------------------- executions

    /**
     * GET /executions/logs?correlation_id=&session_id=&limit=50: checks the parameters (limit 1 to 200, ids UUIDs:
     * 422 otherwise) and sets the arguments of hook_executions_page for the route's sql: step.
     */
    public Processor logsRequest() {
        return exchange -> {
            Message in = exchange.getMessage();
            Map<String, Object> params = new LinkedHashMap<>();
            for (String name : List.of("correlation_id", "session_id", "limit")) {
                String v = header(in, name);
                if (v != null) {
                    params.put(name, v);
                }
            }
            ArchonFields q = ArchonFields.query(params);
            Integer limit = q.integer("limit", 50, 1, 200, false);
            String correlation = uuidText(q, "correlation_id");
            String session = uuidText(q, "session_id");
            q.check();
            in.setHeader("correlation_id", correlation);
            in.setHeader("session_id", session);
            in.setHeader("page_rows", limit);
            exchange.setProperty("compat.start", System.nanoTime());
        };
    }

    private static String uuidText(ArchonFields q, String name) {
        String v = q.optionalString(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return UUID.fromString(v).toString().equals(v.toLowerCase(Locale.ROOT)) ? v : invalidUuid(q, name, v);
        } catch (IllegalArgumentException e) {
            return invalidUuid(q, name, v);
        }
    }

    private static String invalidUuid(ArchonFields q, String name, String v) {
        q.error(name, "uuid_parsing", "Input should be a valid UUID", Json.mapper().getNodeFactory().textNode(v));
        return null;
    }

    /** The page of hook_executions_page as the as-built executions, each with the lineage rows it joins to. */
    public Processor logsAnswer() {
        return answering(in -> {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> rows = in.getBody(List.class);
            List<String> correlationIds = rows.stream().map(r -> r.get("correlation_id"))
                    .filter(java.util.Objects::nonNull).map(Object::toString).distinct().toList();
            CompatQueries.Joined joined = queries.joined(correlationIds);
            List<Map<String, Object>> executions = new ArrayList<>();
            for (Map<String, Object> r : rows) {
                executions.add(execution(r, joined));
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("success", true);
            m.put("executions", executions);
            m.put("count", executions.size());
            m.put("timestamp", CompatTime.iso(clock.instant()));
            Long start = in.getExchange().getProperty("compat.start", Long.class);
            m.put("query_duration_ms", start == null ? null : CompatTime.millisSince(start));
            return m;
        });
    }

    /** One hook execution as an as-built agent execution log row. */
    static Map<String, Object> execution(Map<String, Object> r, CompatQueries.Joined joined) {
        Map<String, Object> m = new LinkedHashMap<>();
        String correlation = r.get("correlation_id") == null ? null : r.get("correlation_id").toString();
        JsonNode metadata = jsonColumn(r.get("metadata"));
        Instant started = instant(r.get("started_at"));
        Double duration = r.get("duration_ms") instanceof Number n ? n.doubleValue() : null;
        String status = String.valueOf(r.get("status"));
        m.put("execution_id", r.get("execution_id"));
        m.put("correlation_id", correlation);
        m.put("session_id", r.get("session_id"));
        m.put("user_prompt", metadata.path("user_prompt").isTextual() ? metadata.get("user_prompt").textValue()
                : null);
        m.put("agent_name", r.get("agent"));
        m.put("agent_config", metadata.path("agent_config").isObject() ? metadata.get("agent_config")
                : Json.mapper().createObjectNode());
        m.put("status", status.equals("success") ? "success" : "error"); // as built: success | error
        m.put("started_at", CompatTime.iso(started));
        m.put("completed_at", started == null || duration == null ? null
                : CompatTime.iso(started.plusNanos(Math.round(duration * 1_000_000))));
        m.put("duration_ms", duration == null ? null : (long) Math.round(duration));
        m.put("quality_score", r.get("quality_score"));
        List<Map<String, Object>> patterns = correlation == null ? List.of()
                : joined.patterns().getOrDefault(correlation, List.of());
        List<Map<String, Object>> events = correlation == null ? List.of()
                : joined.events().getOrDefault(correlation, List.of());
        m.put("pattern_count", patterns.size());
        m.put("event_count", events.size());
        m.put("patterns", patterns);
        m.put("events", events);
        m.put("hook_status", status); // ours: success | failure | timeout
        m.put("pattern_uuid", r.get("pattern_id"));
        return m;
    }

    /** GET /executions/summary?agent_name=: per agent over all time, from hook_executions_summary (route's sql:). */
    public Processor summaryAnswer() {
        return answering(in -> {
            long start = System.nanoTime();
            String agent = header(in, "agent_name");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> rows = in.getBody(List.class);
            List<Map<String, Object>> summary = new ArrayList<>();
            for (Map<String, Object> r : rows) {
                Object key = r.get("key");
                if (key == null || agent != null && !agent.isEmpty() && !agent.equals(key)) {
                    continue;
                }
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("agent_name", key);
                s.put("total_executions", r.get("count"));
                s.put("successful_executions", r.get("success_count"));
                s.put("failed_executions", number(r.get("failure_count")) + number(r.get("timeout_count")));
                s.put("avg_duration_ms", round2(r.get("avg_duration_ms")));
                s.put("avg_quality_score", round2(r.get("avg_quality_score")));
                s.put("last_execution", CompatTime.iso(instant(r.get("last_execution_at"))));
                summary.add(s);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("success", true);
            m.put("summary", summary);
            m.put("timestamp", CompatTime.iso(clock.instant()));
            m.put("query_duration_ms", CompatTime.millisSince(start));
            return m;
        });
    }

    // ---------------------------------------------------------------------------------------------- analytics

    /**
     * POST /analytics/compute (and the alias /analytics/get): the as-built UsageAnalyticsRequest. A request that is
     * an execution report ({@link ExecutionReports}) is first stored as an execution, so the answer counts it.
     */
    public Processor analyticsCompute() {
        return answering(in -> {
            JsonNode body = ArchonFields.parse(in.getBody(byte[].class));
            ArchonFields f = ArchonFields.body(body);
            if (ExecutionReports.isReport(body) && body.path("pattern_id").isTextual()) {
                record(body);
            }
            return compute(f);
        });
    }

    private void record(JsonNode report) throws Exception {
        ArchonTracking.unstorableText(report, "");
        String patternId = report.get("pattern_id").textValue();
        UUID pattern = queries.newest(patternId).map(CompatQueries.Node::patternId)
                .orElse(PatternIds.fromExternalId(patternId));
        HookExecution execution;
        try {
            execution = reader.execution(ExecutionReports.record(report, pattern), UUID::randomUUID);
        } catch (ProblemException e) {
            throw CompatException.invalid(e.problem().field() + ": " + e.problem().message());
        }
        try {
            writer.submit(List.of(), List.of(execution)).get(commitTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new CompatException(504, "Recording the execution timed out");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** GET /analytics/{pattern_id}?time_window=weekly&include_trends=true: compute with performance, no distribution. */
    public Processor analyticsGet() {
        return answering(in -> {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("pattern_id", header(in, "pattern_id"));
            params.put("time_window_type", header(in, "time_window") == null ? "weekly" : header(in, "time_window"));
            if (header(in, "include_trends") != null) {
                params.put("include_trends", header(in, "include_trends"));
            }
            return compute(ArchonFields.query(params));
        });
    }

    /**
     * POST /analytics/compute-batch (an alias clients call): a JSON array of compute requests, or {"requests":
     * [...]}, or {"pattern_ids": [...]} with the shared fields; one result per request, in order.
     */
    public Processor analyticsComputeBatch() {
        return answering(in -> {
            JsonNode body = ArchonFields.parse(in.getBody(byte[].class));
            List<JsonNode> requests = new ArrayList<>();
            if (body.isArray()) {
                body.forEach(requests::add);
            } else if (body.path("requests").isArray()) {
                body.get("requests").forEach(requests::add);
            } else if (body.path("pattern_ids").isArray()) {
                for (JsonNode id : body.get("pattern_ids")) {
                    ObjectNode one = body.deepCopy();
                    one.remove("pattern_ids");
                    one.set("pattern_id", id);
                    requests.add(one);
                }
            } else {
                ArchonFields f = ArchonFields.body(body);
                f.error("requests", "missing", "Field required", null);
                f.check();
            }
            List<Object> results = new ArrayList<>();
            boolean all = true;
            for (JsonNode r : requests) {
                try {
                    results.add(compute(ArchonFields.body(r)));
                } catch (CompatException e) {
                    all = false;
                    Map<String, Object> failed = new LinkedHashMap<>();
                    failed.put("success", false);
                    failed.put("pattern_id", r.path("pattern_id").asText(null));
                    failed.put("status_code", e.status());
                    failed.put("error", e.detail());
                    results.add(failed);
                }
            }
            Map<String, Object> m = success("results", results, "total", results.size());
            m.put("success", all);
            return m;
        });
    }

    private Map<String, Object> compute(ArchonFields f) throws SQLException {
        long start = System.nanoTime();
        String patternId = f.requiredString("pattern_id");
        String type = f.string("time_window_type", "weekly");
        if (type != null && !TIME_WINDOWS.contains(type)) {
            f.error("time_window_type", "enum", "Input should be " + String.join(", ", TIME_WINDOWS.stream()
                    .map(t -> "'" + t + "'").toList()), Json.mapper().getNodeFactory().textNode(type));
        }
        boolean performance = f.bool("include_performance", true);
        boolean trends = f.bool("include_trends", true);
        boolean distribution = f.bool("include_distribution", false);
        Integer days = f.integer("time_window_days", null, 1, 36_500, true);
        f.check();
        UUID pattern = queries.newest(patternId).map(CompatQueries.Node::patternId)
                .orElse(PatternIds.fromExternalId(patternId));
        AnalyticsRequest request;
        String answeredType;
        if (days != null) {
            Instant now = clock.instant();
            request = AnalyticsRequest.custom(pattern, now.minus(Duration.ofDays(days)), now);
            answeredType = "daily"; // as built: a number of days is a daily window
        } else {
            answeredType = type.equals("custom") ? "weekly" : type; // as built: custom maps to 7 days
            request = AnalyticsRequest.named(pattern, WindowType.ofKey(answeredType));
        }
        Map<String, Object> report;
        try {
            report = analytics.pattern(request);
        } catch (ProblemException e) {
            if (e.problem().httpStatus() == 404) {
                throw CompatException.notFound("Pattern not found: " + patternId);
            }
            throw e;
        }
        return CompatAnalytics.answer(patternId, answeredType, report, performance, trends, distribution, start);
    }

    // ----------------------------------------------------------------------------------------------- health

    /**
     * GET /api/pattern-traceability/health: always 200 (as built), {@code status} healthy, degraded (the database
     * unavailable or a component failing) or unhealthy, with the as-built components.
     */
    public Processor health() {
        return answering(in -> {
            long start = System.nanoTime();
            HealthService.Report report = health.overall();
            @SuppressWarnings("unchecked")
            Map<String, Object> components = (Map<String, Object>) report.body().get("components");
            @SuppressWarnings("unchecked")
            Map<String, Object> database = components == null ? Map.of()
                    : (Map<String, Object>) components.getOrDefault("database", Map.of());
            boolean dbUp = "healthy".equals(database.get("status"));
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("lineage_tracker", dbUp ? "operational" : "database_unavailable");
            c.put("usage_analytics", dbUp ? "operational" : "database_unavailable");
            c.put("feedback_orchestrator", dbUp ? "operational" : "database_unavailable");
            Map<String, Object> performance = new LinkedHashMap<>();
            Object pool = components == null ? null : components.get("connection_pool");
            if (pool instanceof Map<?, ?> p) {
                Map<String, Object> dbPool = new LinkedHashMap<>();
                dbPool.put("max_size", p.get("max"));
                dbPool.put("pool_size", p.get("total"));
                dbPool.put("free_size", p.get("idle"));
                performance.put("database_pool", dbPool);
            }
            performance.put("rate_limiting", Map.of("enabled", false));
            Map<String, Object> m = new LinkedHashMap<>();
            String status = String.valueOf(report.body().get("status"));
            m.put("status", dbUp ? status : "degraded");
            m.put("components", c);
            m.put("performance", performance);
            m.put("timestamp", CompatTime.iso(clock.instant()));
            m.put("response_time_ms", CompatTime.millisSince(start));
            m.put("service", report.body());
            return m;
        });
    }

    // ------------------------------------------------------------------------------------- search, validate

    /** POST /search: {query, limit=10, pattern_types?, min_quality_score?, time_window_days?}. */
    public Processor search() {
        return answering(in -> {
            long start = System.nanoTime();
            ArchonFields f = ArchonFields.body(ArchonFields.parse(in.getBody(byte[].class)));
            String query = f.requiredString("query");
            Integer limit = f.integer("limit", 10, 1, 1000, false);
            List<String> types = f.has("pattern_types") ? f.stringList("pattern_types") : null;
            Double minQuality = f.has("min_quality_score") ? f.number("min_quality_score", null, 0.0, 1.0) : null;
            Integer days = f.integer("time_window_days", null, 1, 36_500, true);
            f.check();
            List<Map<String, Object>> found = queries.search(query, types, minQuality,
                    days == null ? null : clock.instant().minus(Duration.ofDays(days)));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("success", true);
            m.put("results", found.subList(0, Math.min(limit, found.size())));
            m.put("total_found", found.size());
            m.put("limit", limit);
            m.put("processing_time_ms", CompatTime.millisSince(start));
            return m;
        });
    }

    /** POST /validate: {check_lineage, check_analytics, check_orphans (all true), pattern_id?}. */
    public Processor validate() {
        return answering(in -> {
            long start = System.nanoTime();
            ArchonFields f = ArchonFields.body(ArchonFields.parse(in.getBody(byte[].class)));
            boolean lineage = f.bool("check_lineage", true);
            boolean analyticsCheck = f.bool("check_analytics", true);
            boolean orphans = f.bool("check_orphans", true);
            String patternId = f.optionalString("pattern_id");
            f.check();
            UUID pattern = patternId == null ? null : pattern(patternId, "Pattern not found: ").patternId();
            CompatQueries.Integrity i = queries.integrity(pattern);
            List<String> warnings = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            if (lineage && i.missingParents() > 0) {
                errors.add(i.missingParents() + " versions name a parent that does not exist");
            }
            if (lineage && i.versionGaps() > 0) {
                warnings.add(i.versionGaps() + " patterns have gaps in their version numbers");
            }
            if (analyticsCheck && i.untrackedExecutions() > 0) {
                warnings.add(i.untrackedExecutions() + " executions are of patterns with no lineage");
            }
            long orphaned = orphans ? i.orphanedEdges() : 0;
            if (orphaned > 0) {
                errors.add(orphaned + " edges reference a node that does not exist");
            }
            Map<String, Object> results = new LinkedHashMap<>();
            results.put("lineage_valid", !lineage || i.missingParents() == 0);
            results.put("analytics_valid", true); // executions need no lineage (a hook may report first)
            results.put("orphans_found", orphaned);
            results.put("issues_found", warnings.size() + errors.size());
            results.put("warnings", warnings);
            results.put("errors", errors);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("success", true);
            m.put("validation_results", results);
            m.put("patterns_checked", i.patterns());
            m.put("processing_time_ms", CompatTime.millisSince(start));
            return m;
        });
    }

    // ----------------------------------------------------------------------------------------------- helpers

    static Map<String, Object> success(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("success", true);
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    static String header(Message in, String name) {
        Object v = in.getHeader(name);
        if (v instanceof List<?> list) {
            v = list.isEmpty() ? null : list.get(0);
        }
        return v == null ? null : v.toString();
    }

    private static JsonNode jsonColumn(Object value) {
        if (value == null) {
            return Json.mapper().createObjectNode();
        }
        try {
            return Json.mapper().readTree(value.toString());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Json.mapper().createObjectNode();
        }
    }

    private static Instant instant(Object value) {
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        return value instanceof Instant i ? i : null;
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }

    private static Double round2(Object value) {
        if (!(value instanceof Number n)) {
            return null;
        }
        double d = n.doubleValue();
        return d == 0 ? null : Math.round(d * 100) / 100.0; // as built: an average of 0 reads as null
    }
}
