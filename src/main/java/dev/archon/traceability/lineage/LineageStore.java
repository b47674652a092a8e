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
import dev.archon.traceability.db.TableRows;
import dev.archon.traceability.db.TableRows.Column;
import dev.archon.traceability.db.Pipeline;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

/**
 * Applies a batch of lineage events in the caller's transaction in two round trips, whatever the batch size: one
 * that locks the patterns getting versions, finds repeated event ids and loads the graph state the events refer to;
 * then {@link LineageTracker} decides; then one that writes nodes, edges, status changes, events and idempotency
 * keys (each a single {@code INSERT ... SELECT FROM unnest(...)}) and refreshes the pattern summaries. A large batch
 * copies its nodes and events (COPY, one exchange each) before that round trip and leaves its summaries to
 * {@link PatternSummaries}. Applied events add their execution records, and a deprecation with a replacement a cycle
 * check.
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
            SELECT pg_advisory_xact_lock(?, k) FROM unnest(?::int[]) AS t(k)""";

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

    /** New versions. */
    private static final TableRows<NewNode> NEW_NODES = new TableRows<>("lineage_nodes",
            new Column<>("node_id", "uuid", NewNode::nodeId),
            new Column<>("pattern_id", "uuid", NewNode::patternId),
            new Column<>("version_number", "int4", NewNode::version),
            new Column<>("parent_node_id", "uuid", NewNode::parentNodeId),
            new Column<>("pattern_name", "text", NewNode::patternName),
            new Column<>("pattern_type", "text", NewNode::patternType),
            new Column<>("template_code", "text", n -> n.fields().templateCode()),
            new Column<>("confidence_score", "float8", n -> n.fields().confidenceScore()),
            new Column<>("performance_baseline", "jsonb", n -> n.fields().performanceBaselineJson()),
            new Column<>("quality_baseline", "float8", n -> n.fields().qualityBaseline()),
            new Column<>("success_rate_baseline", "float8", n -> n.fields().successRateBaseline()),
            new Column<>("created_at", "timestamptz", n -> n.event().timestamp()),
            new Column<>("created_by", "text", n -> createdBy(n.event())),
            new Column<>("correlation_id", "text", n -> n.event().correlationId()),
            new Column<>("external_pattern_id", "text", n -> n.fields().externalPatternId()),
            new Column<>("external_version", "text", n -> n.fields().externalVersion()));

    /** An event to store, with the node and edge the tracker gave it. */
    private record StoredEvent(LineageEvent event, Outcome outcome) {
    }

    private static final TableRows<StoredEvent> NEW_EVENTS = new TableRows<>("lineage_events",
            new Column<>("event_id", "uuid", e -> e.event().eventId()),
            new Column<>("event_type", "text", e -> e.event().type().wireName()),
            new Column<>("node_id", "uuid", e -> e.outcome().nodeId()),
            new Column<>("edge_id", "uuid", e -> e.outcome().edgeIds().stream().findFirst().orElse(null)),
            new Column<>("event_data", "jsonb", e -> e.event().payload()),
            new Column<>("\"timestamp\"", "timestamptz", e -> e.event().timestamp()),
            new Column<>("source", "text", e -> e.event().source()),
            new Column<>("correlation_id", "text", e -> e.event().correlationId()),
            new Column<>("user_id", "text", e -> e.event().userId()));

    private static final String INSERT_EDGES = """
            INSERT INTO lineage_edges (edge_id, source_node_id, target_node_id, edge_type, metadata, created_at,
                created_by, correlation_id)
            SELECT t.edge_id, t.source, t.target, t.edge_type,
                   coalesce(t.extra::jsonb, '{}'::jsonb) || jsonb_build_object('event_id', t.event_id),
                   t.created_at::timestamptz, t.created_by, t.correlation_id
              FROM unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::text[], ?::uuid[], ?::text[], ?::text[], ?::text[],
                          ?::text[])
                AS t(edge_id, source, target, edge_type, event_id, created_at, created_by, correlation_id, extra)
            ON CONFLICT (source_node_id, target_node_id, edge_type) DO NOTHING""";

    private static final String UPDATE_STATUS = """
            UPDATE lineage_nodes n SET status = c.status
              FROM unnest(?::uuid[], ?::text[]) AS c(node_id, status)
             WHERE n.node_id = c.node_id""";

    /**
     * Idempotency keys. A small write skips a key another instance stored meanwhile (fewer rows than events tells it);
     * in a large write's COPY such a key fails the statement (23505, retried).
     */
    private static final TableRows<StoredEvent> NEW_KEYS = new TableRows<>("lineage_event_keys",
            new Column<>("event_id", "uuid", e -> e.event().eventId()),
            new Column<>("node_id", "uuid", e -> e.outcome().nodeId()),
            new Column<>("pattern_id", "uuid", e -> e.event().patternId()),
            new Column<>("version_number", "int4", e -> e.outcome().version()));

    /** A small write refreshes the summaries (lineage_patterns, V7) of its patterns itself: R__ file. */
    private static final String REFRESH_SUMMARIES = """
            SELECT refresh_lineage_patterns(?::uuid[], ?::timestamptz[], ?::uuid[])""";

    /**
     * A large write leaves them to {@link PatternSummaries}, which refreshes them after the commit (V14) while the
     * writer goes on with the next batch.
     */
    private static final String PENDING_SUMMARIES = """
            INSERT INTO lineage_patterns_pending (patterns, activity, nodes)
            VALUES (?::uuid[], ?::timestamptz[], ?::uuid[]) RETURNING batch_id""";

    private final LineageTracker tracker;
    private final HookExecutionStore executions;
    private final int largeWriteFrom;

    /**
     * {@code largeWriteFrom}: a write of this many events (and status changes) or more copies its nodes and events
     * (COPY) and leaves its pattern summaries to {@link PatternSummaries}; a smaller one inserts them in the one
     * pipelined round trip and refreshes its summaries in its own transaction. For a few rows the extra exchanges
     * and transaction cost more than they save; for many, they take a third off the writer's database time
     * (BENCHMARKS.md).
     */
    public LineageStore(LineageTracker tracker, HookExecutionStore executions, int largeWriteFrom) {
        this.tracker = tracker;
        this.executions = executions;
        this.largeWriteFrom = largeWriteFrom;
    }

    /**
     * Takes the pattern's lock for the rest of the caller's transaction: the lock ingest takes before it adds a
     * version, so other writers of a pattern's lineage (the feedback loop applying an improvement) take turns with
     * ingest.
     */
    public static void lockPattern(Connection c, UUID patternId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LOCK)) {
            ps.setInt(1, LOCK_CLASS);
            ps.setArray(2, c.createArrayOf("int4", new Object[] {patternId.hashCode()}));
            ps.executeQuery().close();
        }
    }

    /**
     * What a write stored: one outcome per event, in input order, and the {@code lineage_patterns_pending} row that
     * names the pattern summaries to refresh once it is committed ({@code null}: none, or refreshed already).
     */
    public record Written(List<Outcome> outcomes, Long pendingSummaries) {
    }

    /** Writes the batch. */
    public Written write(Connection c, List<LineageEvent> events) throws SQLException {
        Map<UUID, LineageEvent> firsts = new LinkedHashMap<>();
        for (LineageEvent e : events) {
            firsts.putIfAbsent(e.eventId(), e);
        }
        Map<UUID, Outcome> known = new HashMap<>();
        StoredGraph graph = new StoredGraph(c);
        read(c, firsts.values(), known, graph);
        List<LineageEvent> fresh = firsts.values().stream().filter(e -> !known.containsKey(e.eventId())).toList();

        Plan plan = tracker.apply(fresh, graph);
        Long pendingSummaries = write(c, plan);
        executions.write(c, plan.executions());

        List<Outcome> results = new ArrayList<>(events.size());
        Set<UUID> answered = new HashSet<>();
        for (LineageEvent e : events) {
            Outcome first = known.containsKey(e.eventId()) ? known.get(e.eventId()) : plan.outcomes().get(e.eventId());
            boolean repeat = known.containsKey(e.eventId()) || !answered.add(e.eventId());
            results.add(repeat && !first.rejected() ? first.asDuplicate(e.eventId()) : first);
        }
        return new Written(results, pendingSummaries);
    }

    /** One round trip: pattern locks (sorted, so two batches never wait on each other in a cycle), known ids, graph. */
    private static void read(Connection c, Collection<LineageEvent> events, Map<UUID, Outcome> known,
                             StoredGraph graph) throws SQLException {
        TreeSet<Integer> lockKeys = new TreeSet<>();
        Set<UUID> patterns = new LinkedHashSet<>();
        Set<UUID> nodeIds = new LinkedHashSet<>();
        for (LineageEvent e : events) {
            if (e.type() != EventType.PATTERN_APPLIED) {
                lockKeys.add(e.patternId().hashCode());
            }
            if (e.replacementPatternId() != null) {
                // the cycle check reads the replacement's lineage: two instances deprecating each other's pattern
                // must take turns, or each would miss the other's new edge
                lockKeys.add(e.replacementPatternId().hashCode());
            }
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
        Pipeline p = new Pipeline(c);
        if (!lockKeys.isEmpty()) {
            p.query(LOCK, null, LOCK_CLASS, p.array("int4", new ArrayList<>(lockKeys), k -> k));
        }
        p.query(KNOWN_KEYS, rs -> {
            while (rs.next()) {
                UUID id = rs.getObject(1, UUID.class);
                known.put(id, new Outcome(id, rs.getObject(3, UUID.class), rs.getObject(2, UUID.class),
                        (Integer) rs.getObject(4), List.of(), true, null));
            }
        }, p.array("uuid", events.stream().map(LineageEvent::eventId).toList(), id -> id));
        p.query(NEWEST_VERSIONS, rs -> graph.read(rs, graph.newest, NodeRef::patternId),
                p.array("uuid", new ArrayList<>(patterns), id -> id));
        if (!nodeIds.isEmpty()) {
            p.query(NODES, rs -> graph.read(rs, graph.nodes, NodeRef::nodeId),
                    p.array("uuid", new ArrayList<>(nodeIds), id -> id));
        }
        p.run();
    }

    /**
     * Every row the plan adds or changes, in one pipelined round trip (a large write copies its nodes and events
     * first). Returns the pending summaries' row of a large write.
     */
    private Long write(Connection c, Plan plan) throws SQLException {
        List<NewNode> nodes = plan.nodes();
        List<LineageEvent> events = plan.events();
        Map<UUID, Outcome> outcomes = plan.outcomes();
        List<StoredEvent> stored = events.stream().map(e -> new StoredEvent(e, outcomes.get(e.eventId()))).toList();
        int touched = events.size() + plan.statusChanges().size();
        boolean large = touched >= largeWriteFrom;
        Pipeline p = new Pipeline(c);
        if (large) {
            // the rows of a large write by COPY (with the summaries' refresh, most of the writer's database time)
            if (!nodes.isEmpty()) {
                NEW_NODES.copy(c, nodes);
            }
            NEW_EVENTS.copy(c, stored);
            NEW_KEYS.copy(c, stored);
        } else {
            if (!nodes.isEmpty()) {
                NEW_NODES.insert(p, nodes);
            }
            if (!events.isEmpty()) {
                NEW_EVENTS.insert(p, stored);
            }
        }
        List<NewEdge> edges = plan.edges();
        if (!edges.isEmpty()) {
            p.update(INSERT_EDGES,
                    p.array("uuid", edges, NewEdge::edgeId),
                    p.array("uuid", edges, NewEdge::source),
                    p.array("uuid", edges, NewEdge::target),
                    p.array("text", edges, NewEdge::type),
                    p.array("uuid", edges, e -> e.event().eventId()),
                    p.array("text", edges, e -> e.event().timestamp().toString()),
                    p.array("text", edges, e -> createdBy(e.event())),
                    p.array("text", edges, e -> e.event().correlationId()),
                    p.array("text", edges, e -> e.event().edgeMetadataJson()));
        }
        if (!plan.statusChanges().isEmpty()) {
            Map<UUID, String> last = new LinkedHashMap<>();
            for (StatusChange s : plan.statusChanges()) {
                last.put(s.nodeId(), s.status());
            }
            List<Map.Entry<UUID, String>> rows = new ArrayList<>(last.entrySet());
            p.update(UPDATE_STATUS, p.array("uuid", rows, Map.Entry::getKey), p.array("text", rows, Map.Entry::getValue));
        }
        int keysStep = -1;
        if (!events.isEmpty() && !large) {
            keysStep = p.steps();
            NEW_KEYS.insertSkippingConflicts(p, stored);
        }
        Long[] pending = {null};
        if (touched > 0) {
            Object[] summaries = {p.array("uuid", events, LineageEvent::patternId),
                    p.array("text", events, e -> e.timestamp().toString()),
                    p.array("uuid", plan.statusChanges(), StatusChange::nodeId)};
            if (!large) {
                p.query(REFRESH_SUMMARIES, null, summaries);
            } else {
                p.query(PENDING_SUMMARIES, rs -> {
                    rs.next();
                    pending[0] = rs.getLong(1);
                }, summaries);
            }
        }
        int[] counts = p.run();
        if (keysStep >= 0 && counts[keysStep] != events.size()) {
            throw new ConcurrentDuplicateException();
        }
        return pending[0];
    }

    /** The stored graph, loaded up front for every pattern and node the batch names. */
    private static final class StoredGraph implements LineageTracker.Graph {
        private final Connection c;
        private final Map<UUID, NodeRef> newest = new HashMap<>();
        private final Map<UUID, NodeRef> nodes = new HashMap<>();

        StoredGraph(Connection c) {
            this.c = c;
        }

        void read(ResultSet rs, Map<UUID, NodeRef> into, Function<NodeRef, UUID> key) throws SQLException {
            while (rs.next()) {
                NodeRef ref = new NodeRef(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getInt(3),
                        rs.getString(4), rs.getString(5));
                into.put(key.apply(ref), ref);
            }
        }

        @Override
        public Optional<NodeRef> newestVersion(UUID patternId) {
            return Optional.ofNullable(newest.get(patternId));
        }

        @Override
        public Optional<NodeRef> node(UUID nodeId) {
            return Optional.ofNullable(nodes.get(nodeId));
        }

        @Override
        public Optional<UUID> edge(UUID source, UUID target, String type) {
            try (PreparedStatement ps = c.prepareStatement("SELECT edge_id FROM lineage_edges"
                    + " WHERE source_node_id = ? AND target_node_id = ? AND edge_type = ?")) {
                ps.setObject(1, source);
                ps.setObject(2, target);
                ps.setString(3, type);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
                }
            } catch (SQLException e) {
                throw new UncheckedSQLException(e);
            }
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
                throw new UncheckedSQLException(e);
            }
        }
    }

    /** A database failure inside the tracker's callbacks; the writer sees its SQLState through the cause. */
    public static final class UncheckedSQLException extends RuntimeException {
        UncheckedSQLException(SQLException cause) {
            super("graph lookup failed: " + cause.getMessage(), cause);
        }
    }

    private static String createdBy(LineageEvent e) {
        return e.node().createdBy() != null ? e.node().createdBy() : e.userId();
    }
}
