package dev.archon.traceability.lineage;

import static dev.archon.traceability.db.SqlArrays.bind;

import dev.archon.traceability.executions.HookExecutionStore;
import dev.archon.traceability.lineage.LineageTracker.NewEdge;
import dev.archon.traceability.lineage.LineageTracker.NewNode;
import dev.archon.traceability.lineage.LineageTracker.NodeRef;
import dev.archon.traceability.lineage.LineageTracker.Outcome;
import dev.archon.traceability.lineage.LineageTracker.Plan;
import dev.archon.traceability.lineage.LineageTracker.StatusChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Applies a batch of lineage events in the caller's transaction with a fixed number of round trips, whatever the
 * batch size: lock the patterns that get versions, find repeated event ids, load the graph state the events refer
 * to, let {@link LineageTracker} decide, then write nodes, edges, status changes, events, idempotency keys and the
 * execution records of applied events, each with one statement.
 */
public final class LineageStore {

    /** Another instance stored one of these events between our check and our insert; retry the batch. */
    public static final class ConcurrentDuplicateException extends SQLException {
        ConcurrentDuplicateException() {
            super("an event of this batch was stored concurrently by another instance", "40001");
        }
    }

    private static final int LOCK_CLASS = 0x4c494e; // "LIN": our advisory-lock namespace

    private static final String LOCK = """
            SELECT pg_advisory_xact_lock(?, k) FROM unnest(?::int[]) WITH ORDINALITY AS t(k, i)""";

    private static final String KNOWN_KEYS = """
            SELECT event_id, node_id, pattern_id, version_number FROM lineage_event_keys WHERE event_id = ANY(?::uuid[])""";

    private static final String NEWEST_VERSIONS = """
            SELECT n.node_id, n.pattern_id, n.version_number, n.pattern_name, n.pattern_type
              FROM unnest(?::uuid[]) AS p(id)
              CROSS JOIN LATERAL (SELECT * FROM lineage_nodes WHERE pattern_id = p.id
                                   ORDER BY version_number DESC LIMIT 1) n""";

    private static final String NODES = """
            SELECT node_id, pattern_id, version_number, pattern_name, pattern_type
              FROM lineage_nodes WHERE node_id = ANY(?::uuid[])""";

    private static final String REACHES = """
            WITH RECURSIVE extra(source_node_id, target_node_id) AS (
                SELECT * FROM unnest(?::uuid[], ?::uuid[])
            ), walk(node_id) AS (
                SELECT ?::uuid
                UNION -- not UNION ALL: a node is visited once, so a damaged (cyclic) graph still terminates
                SELECT e.target_node_id
                  FROM walk w
                  JOIN (SELECT source_node_id, target_node_id FROM lineage_edges
                        UNION ALL SELECT source_node_id, target_node_id FROM extra) e ON e.source_node_id = w.node_id
            )
            SELECT EXISTS (SELECT 1 FROM walk WHERE node_id = ?::uuid)""";

    private static final String INSERT_NODES = """
            INSERT INTO lineage_nodes (node_id, pattern_id, version_number, parent_node_id, pattern_name, pattern_type,
                template_code, confidence_score, performance_baseline, quality_baseline, success_rate_baseline,
                created_at, created_by, correlation_id)
            SELECT t.node_id, t.pattern_id, t.version_number, t.parent_node_id, t.pattern_name, t.pattern_type,
                   t.template_code, t.confidence_score, t.performance_baseline::jsonb, t.quality_baseline,
                   t.success_rate_baseline, t.created_at::timestamptz, t.created_by, t.correlation_id
              FROM unnest(?::uuid[], ?::uuid[], ?::int[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::float8[],
                          ?::text[], ?::float8[], ?::float8[], ?::text[], ?::text[], ?::text[])
                AS t(node_id, pattern_id, version_number, parent_node_id, pattern_name, pattern_type, template_code,
                     confidence_score, performance_baseline, quality_baseline, success_rate_baseline, created_at,
                     created_by, correlation_id)""";

    private static final String INSERT_EDGES = """
            INSERT INTO lineage_edges (edge_id, source_node_id, target_node_id, edge_type, metadata, created_at,
                created_by, correlation_id)
            SELECT t.edge_id, t.source, t.target, t.edge_type, jsonb_build_object('event_id', t.event_id),
                   t.created_at::timestamptz, t.created_by, t.correlation_id
              FROM unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::text[], ?::uuid[], ?::text[], ?::text[], ?::text[])
                AS t(edge_id, source, target, edge_type, event_id, created_at, created_by, correlation_id)
            ON CONFLICT (source_node_id, target_node_id, edge_type) DO NOTHING""";

    private static final String UPDATE_STATUS = """
            UPDATE lineage_nodes n SET status = c.status
              FROM unnest(?::uuid[], ?::text[]) AS c(node_id, status)
             WHERE n.node_id = c.node_id""";

    private static final String INSERT_EVENTS = """
            INSERT INTO lineage_events (event_id, event_type, node_id, edge_id, event_data, "timestamp", source,
                correlation_id, user_id)
            SELECT t.event_id, t.event_type, t.node_id, t.edge_id, t.event_data::jsonb, t.ts::timestamptz, t.source,
                   t.correlation_id, t.user_id
              FROM unnest(?::uuid[], ?::text[], ?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[],
                          ?::text[])
                AS t(event_id, event_type, node_id, edge_id, event_data, ts, source, correlation_id, user_id)""";

    private static final String INSERT_KEYS = """
            INSERT INTO lineage_event_keys (event_id, node_id, pattern_id, version_number)
            SELECT * FROM unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::int[])
            ON CONFLICT DO NOTHING""";

    private final LineageTracker tracker;
    private final HookExecutionStore executions;

    public LineageStore(LineageTracker tracker, HookExecutionStore executions) {
        this.tracker = tracker;
        this.executions = executions;
    }

    /** Writes the batch; returns one outcome per event, in input order. */
    public List<Outcome> write(Connection c, List<LineageEvent> events) throws SQLException {
        Map<UUID, LineageEvent> firsts = new LinkedHashMap<>();
        for (LineageEvent e : events) {
            firsts.putIfAbsent(e.eventId(), e);
        }
        lockPatterns(c, firsts.values());
        Map<UUID, Outcome> known = knownKeys(c, firsts.keySet());
        List<LineageEvent> fresh = firsts.values().stream().filter(e -> !known.containsKey(e.eventId())).toList();

        Plan plan = tracker.apply(fresh, new StoredGraph(c, fresh));
        insertNodes(c, plan.nodes());
        insertEdges(c, plan.edges());
        updateStatus(c, plan.statusChanges());
        insertEvents(c, plan.events(), plan.outcomes());
        insertKeys(c, plan.events(), plan.outcomes());
        executions.write(c, plan.executions());

        List<Outcome> results = new ArrayList<>(events.size());
        Set<UUID> answered = new java.util.HashSet<>();
        for (LineageEvent e : events) {
            Outcome first = known.containsKey(e.eventId()) ? known.get(e.eventId()) : plan.outcomes().get(e.eventId());
            boolean repeat = known.containsKey(e.eventId()) || !answered.add(e.eventId());
            results.add(repeat && !first.rejected() ? first.asDuplicate(e.eventId()) : first);
        }
        return results;
    }

    private static void lockPatterns(Connection c, Iterable<LineageEvent> events) throws SQLException {
        TreeSet<Integer> keys = new TreeSet<>();
        for (LineageEvent e : events) {
            if (e.type() != EventType.PATTERN_APPLIED) {
                keys.add(e.patternId().hashCode());
            }
        }
        if (keys.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(LOCK)) {
            ps.setInt(1, LOCK_CLASS);
            bind(ps, 2, "int4", new ArrayList<>(keys), k -> k);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // each row is one lock taken, in key order (so two batches never wait on each other in a cycle)
                }
            }
        }
    }

    private static Map<UUID, Outcome> knownKeys(Connection c, Set<UUID> eventIds) throws SQLException {
        Map<UUID, Outcome> known = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(KNOWN_KEYS)) {
            bind(ps, 1, "uuid", new ArrayList<>(eventIds), id -> id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    Integer version = (Integer) rs.getObject(4);
                    known.put(id, new Outcome(id, rs.getObject(3, UUID.class), rs.getObject(2, UUID.class), version,
                            List.of(), true, null));
                }
            }
        }
        return known;
    }

    /** The stored graph, loaded up front for every pattern and node the batch names. */
    private static final class StoredGraph implements LineageTracker.Graph {
        private final Connection c;
        private final Map<UUID, NodeRef> newest = new HashMap<>();
        private final Map<UUID, NodeRef> nodes = new HashMap<>();

        StoredGraph(Connection c, List<LineageEvent> events) throws SQLException {
            this.c = c;
            Set<UUID> patterns = new LinkedHashSet<>();
            Set<UUID> nodeIds = new LinkedHashSet<>();
            for (LineageEvent e : events) {
                patterns.add(e.patternId());
                patterns.addAll(e.parentPatternIds());
                if (e.replacementPatternId() != null) {
                    patterns.add(e.replacementPatternId());
                }
                nodeIds.addAll(e.parentNodeIds());
                if (e.nodeId() != null) {
                    nodeIds.add(e.nodeId());
                }
            }
            load(NEWEST_VERSIONS, patterns, ref -> newest.put(ref.patternId(), ref));
            load(NODES, nodeIds, ref -> nodes.put(ref.nodeId(), ref));
        }

        private void load(String sql, Set<UUID> ids, java.util.function.Consumer<NodeRef> sink) throws SQLException {
            if (ids.isEmpty()) {
                return;
            }
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, 1, "uuid", new ArrayList<>(ids), id -> id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(new NodeRef(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                                rs.getInt(3), rs.getString(4), rs.getString(5)));
                    }
                }
            }
        }

        @Override
        public Optional<NodeRef> newestVersion(UUID patternId) {
            return Optional.ofNullable(newest.get(patternId));
        }

        @Override
        public Optional<NodeRef> node(UUID nodeId) {
            NodeRef n = nodes.get(nodeId);
            if (n == null) {
                // a pattern's newest version may be named by node id too
                n = newest.values().stream().filter(r -> r.nodeId().equals(nodeId)).findFirst().orElse(null);
            }
            return Optional.ofNullable(n);
        }

        @Override
        public boolean reaches(UUID from, UUID to, List<NewEdge> extra) {
            try (PreparedStatement ps = c.prepareStatement(REACHES)) {
                bind(ps, 1, "uuid", extra, NewEdge::source);
                bind(ps, 2, "uuid", extra, NewEdge::target);
                ps.setObject(3, from);
                ps.setObject(4, to);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBoolean(1);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cycle check failed: " + e.getMessage(), e);
            }
        }
    }

    private static void insertNodes(Connection c, List<NewNode> nodes) throws SQLException {
        if (nodes.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_NODES)) {
            int i = 1;
            bind(ps, i++, "uuid", nodes, NewNode::nodeId);
            bind(ps, i++, "uuid", nodes, NewNode::patternId);
            bind(ps, i++, "int4", nodes, NewNode::version);
            bind(ps, i++, "uuid", nodes, NewNode::parentNodeId);
            bind(ps, i++, "text", nodes, NewNode::patternName);
            bind(ps, i++, "text", nodes, NewNode::patternType);
            bind(ps, i++, "text", nodes, n -> n.fields().templateCode());
            bind(ps, i++, "float8", nodes, n -> n.fields().confidenceScore());
            bind(ps, i++, "text", nodes, n -> n.fields().performanceBaselineJson());
            bind(ps, i++, "float8", nodes, n -> n.fields().qualityBaseline());
            bind(ps, i++, "float8", nodes, n -> n.fields().successRateBaseline());
            bind(ps, i++, "text", nodes, n -> n.event().timestamp().toString());
            bind(ps, i++, "text", nodes, n -> createdBy(n.event()));
            bind(ps, i, "text", nodes, n -> n.event().correlationId());
            ps.executeUpdate();
        }
    }

    private static void insertEdges(Connection c, List<NewEdge> edges) throws SQLException {
        if (edges.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_EDGES)) {
            int i = 1;
            bind(ps, i++, "uuid", edges, NewEdge::edgeId);
            bind(ps, i++, "uuid", edges, NewEdge::source);
            bind(ps, i++, "uuid", edges, NewEdge::target);
            bind(ps, i++, "text", edges, NewEdge::type);
            bind(ps, i++, "uuid", edges, e -> e.event().eventId());
            bind(ps, i++, "text", edges, e -> e.event().timestamp().toString());
            bind(ps, i++, "text", edges, e -> createdBy(e.event()));
            bind(ps, i, "text", edges, e -> e.event().correlationId());
            ps.executeUpdate();
        }
    }

    private static void updateStatus(Connection c, List<StatusChange> changes) throws SQLException {
        if (changes.isEmpty()) {
            return;
        }
        Map<UUID, String> last = new LinkedHashMap<>();
        for (StatusChange s : changes) {
            last.put(s.nodeId(), s.status());
        }
        List<Map.Entry<UUID, String>> rows = new ArrayList<>(last.entrySet());
        try (PreparedStatement ps = c.prepareStatement(UPDATE_STATUS)) {
            bind(ps, 1, "uuid", rows, Map.Entry::getKey);
            bind(ps, 2, "text", rows, Map.Entry::getValue);
            ps.executeUpdate();
        }
    }

    private static void insertEvents(Connection c, List<LineageEvent> events, Map<UUID, Outcome> outcomes)
            throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_EVENTS)) {
            int i = 1;
            bind(ps, i++, "uuid", events, LineageEvent::eventId);
            bind(ps, i++, "text", events, e -> e.type().wireName());
            bind(ps, i++, "uuid", events, e -> outcomes.get(e.eventId()).nodeId());
            bind(ps, i++, "uuid", events, e -> outcomes.get(e.eventId()).edgeIds().stream().findFirst().orElse(null));
            bind(ps, i++, "text", events, LineageEvent::payload);
            bind(ps, i++, "text", events, e -> e.timestamp().toString());
            bind(ps, i++, "text", events, LineageEvent::source);
            bind(ps, i++, "text", events, LineageEvent::correlationId);
            bind(ps, i, "text", events, LineageEvent::userId);
            ps.executeUpdate();
        }
    }

    private static void insertKeys(Connection c, List<LineageEvent> events, Map<UUID, Outcome> outcomes)
            throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_KEYS)) {
            bind(ps, 1, "uuid", events, LineageEvent::eventId);
            bind(ps, 2, "uuid", events, e -> outcomes.get(e.eventId()).nodeId());
            bind(ps, 3, "uuid", events, LineageEvent::patternId);
            bind(ps, 4, "int4", events, e -> outcomes.get(e.eventId()).version());
            if (ps.executeUpdate() != events.size()) {
                throw new ConcurrentDuplicateException();
            }
        }
    }

    private static String createdBy(LineageEvent e) {
        return e.node().createdBy() != null ? e.node().createdBy() : e.userId();
    }
}
