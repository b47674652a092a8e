package dev.archon.traceability.lineage;

import dev.archon.traceability.errors.ErrorCode;
import dev.archon.traceability.errors.Problem;
import dev.archon.traceability.errors.ProblemException;
import dev.archon.traceability.executions.HookExecution;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The lineage rules: how each event type turns into versions (nodes), edges and status changes. Pure logic over a
 * {@link Graph} view of what is stored; it applies a batch of events in order, each seeing the effects of the ones
 * before it, and returns the rows to write and one {@link Outcome} per event. Edges always point from the older
 * node (source) to the newer (target).
 * <ul>
 * <li>created: version 1 of a new pattern.</li>
 * <li>modified: the pattern's next version (newest + 1); parent = the given version or the newest; edge
 * DERIVED_FROM, or IMPROVED_VERSION when {@code is_improvement}.</li>
 * <li>forked: version 1 of a new pattern whose parent is the source node; edge FORKED_FROM.</li>
 * <li>merged: the target pattern's next version, parent = its newest; edge MERGED_INTO from every parent (and
 * DERIVED_FROM from the target's newest when it is not one of them); parents of other patterns get status
 * merged.</li>
 * <li>deprecated: status deprecated on the given (or newest) version; edge DEPRECATED_BY to the replacement's
 * newest version, refused when the deprecated version descends from the replacement (the edge would close a
 * cycle).</li>
 * <li>applied: no graph change; the execution record, if the event has one, is written with the version
 * applied.</li>
 * </ul>
 * An event with {@code createOrAppend} is open-ended about whether its pattern exists: created of a known pattern
 * adds its next version (parent its newest, edge DERIVED_FROM); modified or forked adds the next version of the
 * pattern, or creates it, with the newest version of {@code parent_pattern_ids[0]} (or the pattern's own newest) as
 * its parent; merged of an unknown pattern creates it with the first parent as its parent. When that parent is of
 * another pattern than a known one, the pattern's own newest version stays linked to the new one (DERIVED_FROM).
 * An event's {@code edgeType} replaces the type of the edges its rule draws from its parents.
 */
public final class LineageTracker {

    /** What the tracker needs to know about stored lineage. */
    public interface Graph {
        Optional<NodeRef> newestVersion(UUID patternId);

        Optional<NodeRef> node(UUID nodeId);

        /** Whether {@code to} can be reached from {@code from} along stored edges or {@code extra} ones. */
        boolean reaches(UUID from, UUID to, List<NewEdge> extra);

        /** The stored edge of this type between these nodes, if there is one. */
        Optional<UUID> edge(UUID source, UUID target, String type);
    }

    public record NodeRef(UUID nodeId, UUID patternId, int version, String patternName, String patternType) {
    }

    public record NewNode(UUID nodeId, UUID patternId, int version, UUID parentNodeId, LineageEvent.NodeFields fields,
                          String patternName, String patternType, LineageEvent event) {
    }

    public record NewEdge(UUID edgeId, UUID source, UUID target, String type, LineageEvent event) {
    }

    public record StatusChange(UUID nodeId, String status) {
    }

    /**
     * What became of one event: the node it created or concerned, its version and the edges it added; or, when
     * {@code duplicate}, what was stored the first time; or why it was rejected.
     */
    public record Outcome(UUID eventId, UUID patternId, UUID nodeId, Integer version, List<UUID> edgeIds,
                          boolean duplicate, Problem rejection) {
        public boolean rejected() {
            return rejection != null;
        }

        public Outcome asDuplicate(UUID duplicateEventId) {
            return new Outcome(duplicateEventId, patternId, nodeId, version, List.of(), true, rejection);
        }
    }

    /** Everything one batch writes, in order, plus one outcome per event. */
    public record Plan(List<NewNode> nodes, List<NewEdge> edges, List<StatusChange> statusChanges,
                       List<LineageEvent> events, Map<UUID, Outcome> outcomes, List<HookExecution> executions) {
    }

    private final Supplier<UUID> ids;

    public LineageTracker(Supplier<UUID> ids) {
        this.ids = ids;
    }

    public Plan apply(List<LineageEvent> events, Graph stored) {
        Batch batch = new Batch(stored);
        Map<UUID, Outcome> outcomes = new LinkedHashMap<>();
        for (LineageEvent e : events) {
            Batch.Mark mark = batch.mark();
            try {
                outcomes.put(e.eventId(), apply(e, batch));
            } catch (ProblemException p) {
                batch.rollback(mark);
                outcomes.put(e.eventId(), new Outcome(e.eventId(), e.patternId(), null, null, List.of(), false,
                        p.problem()));
            }
        }
        return new Plan(batch.nodes, batch.edges, batch.statusChanges, batch.events, outcomes, batch.executions);
    }

    private Outcome apply(LineageEvent e, Batch g) {
        return switch (e.type()) {
            case PATTERN_CREATED -> {
                Optional<NodeRef> known = e.createOrAppend() ? g.newestVersion(e.patternId()) : Optional.empty();
                if (known.isPresent()) {
                    yield appendOrCreate(e, known, known.get(), g);
                }
                requireNew(e, g);
                NewNode n = g.addNode(e, ids.get(), e.patternId(), 1, null, null);
                yield g.stored(e, n.nodeId(), 1);
            }
            case PATTERN_MODIFIED, PATTERN_FORKED -> {
                if (!e.createOrAppend()) {
                    yield e.type() == EventType.PATTERN_MODIFIED ? modified(e, g) : forked(e, g);
                }
                Optional<NodeRef> newest = g.newestVersion(e.patternId());
                NodeRef source = e.parentPatternIds().isEmpty() ? newest.orElse(null)
                        : requirePattern(e.parentPatternIds().get(0), "parent_pattern_ids[0]", g);
                yield appendOrCreate(e, newest, source, g);
            }
            case PATTERN_MERGED -> merged(e, g);
            case PATTERN_DEPRECATED -> deprecated(e, g);
            case PATTERN_APPLIED -> applied(e, g);
        };
    }

    /**
     * The next version of the event's pattern (version 1 when {@code newest} is empty) with {@code source} as its
     * parent: edge source -> new, DERIVED_FROM (FORKED_FROM for a new pattern from another one), and DERIVED_FROM from
     * the pattern's newest version too when the source is of another pattern.
     */
    private Outcome appendOrCreate(LineageEvent e, Optional<NodeRef> newest, NodeRef source, Batch g) {
        int version = newest.map(n -> n.version() + 1).orElse(1);
        NodeRef parent = newest.orElse(source);
        NewNode n = g.addNode(e, ids.get(), e.patternId(), version, parent, parent);
        if (source != null) {
            boolean samePattern = source.patternId().equals(e.patternId());
            g.addEdge(e, source.nodeId(), n.nodeId(), edgeType(e,
                    samePattern || newest.isPresent() ? "DERIVED_FROM" : "FORKED_FROM"));
            if (!samePattern && newest.isPresent()) {
                g.addEdge(e, newest.get().nodeId(), n.nodeId(), "DERIVED_FROM");
            }
        }
        return g.stored(e, n.nodeId(), version);
    }

    private static String edgeType(LineageEvent e, String ruleType) {
        return e.edgeType() != null ? e.edgeType() : ruleType;
    }

    private Outcome modified(LineageEvent e, Batch g) {
        NodeRef newest = requirePattern(e.patternId(), "pattern_id", g);
        NodeRef parent = newest;
        if (!e.parentNodeIds().isEmpty()) {
            parent = requireNode(e.parentNodeIds().get(0), "parent_node_ids[0]", g);
            if (!parent.patternId().equals(e.patternId())) {
                throw new ProblemException(ErrorCode.INVALID_NODE_ID, "parent_node_ids[0]", "node "
                        + parent.nodeId() + " is a version of pattern " + parent.patternId()
                        + ", not of " + e.patternId() + "; a version derived from another pattern is a"
                        + " pattern_forked");
            }
        }
        NewNode n = g.addNode(e, ids.get(), e.patternId(), newest.version() + 1, parent, parent);
        g.addEdge(e, parent.nodeId(), n.nodeId(), edgeType(e, e.improvement() ? "IMPROVED_VERSION"
                : "DERIVED_FROM"));
        return g.stored(e, n.nodeId(), n.version());
    }

    private Outcome forked(LineageEvent e, Batch g) {
        NodeRef source = e.parentNodeIds().isEmpty()
                ? requirePattern(e.parentPatternIds().get(0), "parent_pattern_ids[0]", g)
                : requireNode(e.parentNodeIds().get(0), "parent_node_ids[0]", g);
        requireNew(e, g);
        NewNode n = g.addNode(e, ids.get(), e.patternId(), 1, source, source);
        g.addEdge(e, source.nodeId(), n.nodeId(), edgeType(e, "FORKED_FROM"));
        return g.stored(e, n.nodeId(), 1);
    }

    private Outcome merged(LineageEvent e, Batch g) {
        NodeRef target = e.createOrAppend() ? g.newestVersion(e.patternId()).orElse(null)
                : requirePattern(e.patternId(), "pattern_id", g);
        List<NodeRef> parents = new ArrayList<>();
        for (int i = 0; i < e.parentNodeIds().size(); i++) {
            parents.add(requireNode(e.parentNodeIds().get(i), "parent_node_ids[" + i + "]", g));
        }
        for (int i = 0; i < e.parentPatternIds().size(); i++) {
            parents.add(requirePattern(e.parentPatternIds().get(i), "parent_pattern_ids[" + i + "]", g));
        }
        NodeRef parent = target != null ? target : parents.get(0);
        NewNode n = g.addNode(e, ids.get(), e.patternId(), target != null ? target.version() + 1 : 1, parent,
                parent);
        boolean targetListed = target == null;
        for (NodeRef p : parents) {
            if (g.edgeAlreadyPlanned(p.nodeId(), n.nodeId())) {
                continue; // the same node named twice, by id and through its pattern
            }
            g.addEdge(e, p.nodeId(), n.nodeId(), edgeType(e, "MERGED_INTO"));
            targetListed |= target != null && p.nodeId().equals(target.nodeId());
            if (!p.patternId().equals(e.patternId())) {
                g.statusChanges.add(new StatusChange(p.nodeId(), "merged"));
            }
        }
        if (!targetListed) {
            g.addEdge(e, target.nodeId(), n.nodeId(), "DERIVED_FROM");
        }
        return g.stored(e, n.nodeId(), n.version());
    }

    private Outcome deprecated(LineageEvent e, Batch g) {
        NodeRef node = versionOf(e, g);
        if (e.replacementPatternId() != null) {
            NodeRef replacement = requirePattern(e.replacementPatternId(), "replacement_pattern_id", g);
            if (replacement.nodeId().equals(node.nodeId())
                    || g.stored.reaches(replacement.nodeId(), node.nodeId(), g.edges)) {
                throw new ProblemException(ErrorCode.CIRCULAR_DEPENDENCY, "replacement_pattern_id",
                        "the deprecated version " + node.nodeId() + " descends from pattern "
                                + e.replacementPatternId() + "; a DEPRECATED_BY edge to it would close a"
                                + " cycle");
            }
            // deprecated again in favour of the same replacement: the edge exists; the event names it
            Optional<UUID> existing = g.stored.edge(node.nodeId(), replacement.nodeId(), "DEPRECATED_BY")
                    .or(() -> g.edges.stream().filter(x -> x.source().equals(node.nodeId())
                            && x.target().equals(replacement.nodeId()) && x.type().equals("DEPRECATED_BY"))
                            .map(NewEdge::edgeId).findFirst());
            if (existing.isPresent()) {
                g.edgeIdsOfCurrent.add(existing.get());
            } else {
                g.addEdge(e, node.nodeId(), replacement.nodeId(), "DEPRECATED_BY");
            }
        }
        g.statusChanges.add(new StatusChange(node.nodeId(), "deprecated"));
        return g.stored(e, node.nodeId(), node.version());
    }

    private Outcome applied(LineageEvent e, Batch g) {
        Optional<NodeRef> node = e.nodeId() != null
                ? Optional.of(requireNode(e.nodeId(), "node_id", g))
                : g.newestVersion(e.patternId());
        node.filter(n -> !n.patternId().equals(e.patternId())).ifPresent(n -> {
            throw new ProblemException(ErrorCode.INVALID_NODE_ID, "node_id", "node " + n.nodeId()
                    + " is a version of pattern " + n.patternId() + ", not of " + e.patternId());
        });
        UUID nodeId = node.map(NodeRef::nodeId).orElse(null);
        if (e.execution() != null) {
            g.executions.add(e.execution().withNodeId(nodeId));
        }
        return g.stored(e, nodeId, node.map(NodeRef::version).orElse(null));
    }

    private static void requireNew(LineageEvent e, Batch g) {
        Optional<NodeRef> existing = g.newestVersion(e.patternId());
        if (existing.isPresent()) {
            throw new ProblemException(ErrorCode.PATTERN_EXISTS, e.node().patternName() != null
                    && !e.node().patternName().isEmpty() ? "pattern_name" : "pattern_id", "pattern " + e.patternId()
                    + " already exists (newest version " + existing.get().version() + ", node "
                    + existing.get().nodeId() + "); send pattern_modified for a new version");
        }
    }

    private static NodeRef requirePattern(UUID patternId, String field, Batch g) {
        return g.newestVersion(patternId).orElseThrow(() -> new ProblemException(ErrorCode.INVALID_PATTERN_ID,
                field, "no pattern " + patternId + " is known; send its pattern_created first"));
    }

    private static NodeRef requireNode(UUID nodeId, String field, Batch g) {
        return g.node(nodeId).orElseThrow(() -> new ProblemException(ErrorCode.INVALID_NODE_ID, field,
                "no lineage node " + nodeId + " is known"));
    }

    private static NodeRef versionOf(LineageEvent e, Batch g) {
        if (e.nodeId() == null) {
            return requirePattern(e.patternId(), "pattern_id", g);
        }
        NodeRef n = requireNode(e.nodeId(), "node_id", g);
        if (!n.patternId().equals(e.patternId())) {
            throw new ProblemException(ErrorCode.INVALID_NODE_ID, "node_id", "node " + n.nodeId()
                    + " is a version of pattern " + n.patternId() + ", not of " + e.patternId());
        }
        return n;
    }

    /** The stored graph with this batch's additions layered on top; an event that fails is rolled back. */
    private final class Batch {
        final Graph stored;
        final List<NewNode> nodes = new ArrayList<>();
        final List<NewEdge> edges = new ArrayList<>();
        final List<StatusChange> statusChanges = new ArrayList<>();
        final List<LineageEvent> events = new ArrayList<>();
        final List<HookExecution> executions = new ArrayList<>();
        final Map<UUID, NodeRef> newNodes = new HashMap<>();
        final Map<UUID, NodeRef> newest = new HashMap<>();
        final List<UUID> edgeIdsOfCurrent = new ArrayList<>();

        Batch(Graph stored) {
            this.stored = stored;
        }

        record Mark(int nodes, int edges, int statusChanges, int events, int executions) {
        }

        Mark mark() {
            edgeIdsOfCurrent.clear();
            return new Mark(nodes.size(), edges.size(), statusChanges.size(), events.size(), executions.size());
        }

        void rollback(Mark m) {
            for (NewNode n : nodes.subList(m.nodes(), nodes.size())) {
                newNodes.remove(n.nodeId());
                newest.remove(n.patternId());
            }
            // a pattern's newest version is recomputed from what remains of the batch
            for (NewNode n : nodes.subList(0, m.nodes())) {
                newest.merge(n.patternId(), ref(n), (a, b) -> a.version() >= b.version() ? a : b);
            }
            nodes.subList(m.nodes(), nodes.size()).clear();
            edges.subList(m.edges(), edges.size()).clear();
            statusChanges.subList(m.statusChanges(), statusChanges.size()).clear();
            events.subList(m.events(), events.size()).clear();
            executions.subList(m.executions(), executions.size()).clear();
        }

        Optional<NodeRef> newestVersion(UUID patternId) {
            NodeRef local = newest.get(patternId);
            return local != null ? Optional.of(local) : stored.newestVersion(patternId);
        }

        Optional<NodeRef> node(UUID nodeId) {
            NodeRef local = newNodes.get(nodeId);
            return local != null ? Optional.of(local) : stored.node(nodeId);
        }

        NewNode addNode(LineageEvent e, UUID nodeId, UUID patternId, int version, NodeRef parent, NodeRef inheritFrom) {
            String name = e.node().patternName() != null ? e.node().patternName()
                    : inheritFrom != null && inheritFrom.patternId().equals(patternId) ? inheritFrom.patternName() : null;
            String type = e.node().patternType() != null ? e.node().patternType()
                    : inheritFrom != null ? inheritFrom.patternType() : null;
            NewNode n = new NewNode(nodeId, patternId, version, parent == null ? null : parent.nodeId(), e.node(),
                    name, type, e);
            nodes.add(n);
            NodeRef ref = ref(n);
            newNodes.put(nodeId, ref);
            newest.put(patternId, ref);
            return n;
        }

        private NodeRef ref(NewNode n) {
            return new NodeRef(n.nodeId(), n.patternId(), n.version(), n.patternName(), n.patternType());
        }

        void addEdge(LineageEvent e, UUID source, UUID target, String type) {
            UUID id = ids.get();
            edges.add(new NewEdge(id, source, target, type, e));
            edgeIdsOfCurrent.add(id);
        }

        boolean edgeAlreadyPlanned(UUID source, UUID target) {
            return edges.stream().anyMatch(x -> x.source().equals(source) && x.target().equals(target));
        }

        Outcome stored(LineageEvent e, UUID nodeId, Integer version) {
            events.add(e);
            return new Outcome(e.eventId(), e.patternId(), nodeId, version, List.copyOf(edgeIdsOfCurrent), false,
                    null);
        }
    }
}
