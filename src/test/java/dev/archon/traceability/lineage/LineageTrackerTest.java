package dev.archon.traceability.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archon.traceability.errors.ErrorCode;
import dev.archon.traceability.errors.ProblemException;
import dev.archon.traceability.executions.HookExecution;
import dev.archon.traceability.lineage.LineageTracker.NewEdge;
import dev.archon.traceability.lineage.LineageTracker.NewNode;
import dev.archon.traceability.lineage.LineageTracker.NodeRef;
import dev.archon.traceability.lineage.LineageTracker.Outcome;
import dev.archon.traceability.lineage.LineageTracker.Plan;
import dev.archon.traceability.lineage.LineageTracker.StatusChange;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The lineage rules over an in-memory stored graph: versions, parents, edges (older → newer), statuses. */
class LineageTrackerTest {

    private final MemoryGraph graph = new MemoryGraph();
    private final SequentialIds ids = new SequentialIds();
    private final LineageTracker tracker = new LineageTracker(ids);

    private final UUID p = UUID.randomUUID();
    private final UUID other = UUID.randomUUID();
    private final UUID third = UUID.randomUUID();

    @Nested
    class Created {

        @Test
        void startsANewPatternAtVersionOneWithoutParentOrEdge() {
            Plan plan = apply(created(p));

            NewNode n = onlyNode(plan);
            assertThat(n.patternId()).isEqualTo(p);
            assertThat(n.version()).isEqualTo(1);
            assertThat(n.parentNodeId()).isNull();
            assertThat(plan.edges()).isEmpty();
            assertThat(plan.statusChanges()).isEmpty();
            Outcome o = onlyOutcome(plan);
            assertThat(o.rejected()).isFalse();
            assertThat(o.nodeId()).isEqualTo(n.nodeId());
            assertThat(o.version()).isEqualTo(1);
            assertThat(o.edgeIds()).isEmpty();
            assertThat(plan.events()).hasSize(1);
        }

        @Test
        void ofAnExistingPatternIsRefused() {
            graph.pattern(p, 1);

            Plan plan = apply(created(p));

            assertRejected(onlyOutcome(plan), ErrorCode.PATTERN_EXISTS, "pattern_id");
            assertEmpty(plan);
        }

        @Test
        void ofAnExistingPatternGivenByNameBlamesTheName() {
            graph.pattern(p, 1);

            Plan plan = apply(created(p).named("retry-wrapper"));

            assertRejected(onlyOutcome(plan), ErrorCode.PATTERN_EXISTS, "pattern_name");
        }
    }

    @Nested
    class Modified {

        @Test
        void addsTheNextVersionDerivedFromTheNewest() {
            List<NodeRef> stored = graph.pattern(p, 2);

            Plan plan = apply(modified(p));

            NewNode n = onlyNode(plan);
            assertThat(n.patternId()).isEqualTo(p);
            assertThat(n.version()).isEqualTo(3);
            assertThat(n.parentNodeId()).isEqualTo(stored.get(1).nodeId());
            assertThat(edges(plan)).containsExactly(edge(stored.get(1).nodeId(), n.nodeId(), "DERIVED_FROM"));
            Outcome o = onlyOutcome(plan);
            assertThat(o.version()).isEqualTo(3);
            assertThat(o.nodeId()).isEqualTo(n.nodeId());
            assertThat(o.edgeIds()).containsExactly(plan.edges().get(0).edgeId());
        }

        @Test
        void anImprovementIsAnImprovedVersionEdge() {
            NodeRef v1 = graph.pattern(p, 1).get(0);

            Plan plan = apply(modified(p).improvement());

            assertThat(edges(plan)).containsExactly(edge(v1.nodeId(), onlyNode(plan).nodeId(), "IMPROVED_VERSION"));
        }

        @Test
        void fromAnOlderVersionStillGetsTheNextVersionNumberButThatParent() {
            List<NodeRef> stored = graph.pattern(p, 3);
            NodeRef v1 = stored.get(0);

            Plan plan = apply(modified(p).parents(v1.nodeId()));

            NewNode n = onlyNode(plan);
            assertThat(n.version()).isEqualTo(4);
            assertThat(n.parentNodeId()).isEqualTo(v1.nodeId());
            assertThat(edges(plan)).containsExactly(edge(v1.nodeId(), n.nodeId(), "DERIVED_FROM"));
        }

        @Test
        void fromAVersionOfAnotherPatternIsRefused() {
            graph.pattern(p, 1);
            NodeRef foreign = graph.pattern(other, 1).get(0);

            Plan plan = apply(modified(p).parents(foreign.nodeId()));

            assertRejected(onlyOutcome(plan), ErrorCode.INVALID_NODE_ID, "parent_node_ids[0]");
            assertEmpty(plan);
        }

        @Test
        void ofAnUnknownPatternIsRefused() {
            Plan plan = apply(modified(p));

            assertRejected(onlyOutcome(plan), ErrorCode.INVALID_PATTERN_ID, "pattern_id");
            assertEmpty(plan);
        }

        @Test
        void fromAnUnknownParentNodeIsRefused() {
            graph.pattern(p, 1);

            Plan plan = apply(modified(p).parents(UUID.randomUUID()));

            assertRejected(onlyOutcome(plan), ErrorCode.INVALID_NODE_ID, "parent_node_ids[0]");
            assertEmpty(plan);
        }
    }

    @Nested
    class Forked {

        @Test
        void fromANodeStartsANewPatternAtVersionOneWithThatParent() {
            List<NodeRef> source = graph.pattern(other, 2);
            NodeRef v1 = source.get(0);

            Plan plan = apply(forked(p).parents(v1.nodeId()));

            NewNode n = onlyNode(plan);
            assertThat(n.patternId()).isEqualTo(p);
            assertThat(n.version()).isEqualTo(1);
            assertThat(n.parentNodeId()).isEqualTo(v1.nodeId());
            assertThat(edges(plan)).containsExactly(edge(v1.nodeId(), n.nodeId(), "FORKED_FROM"));
            assertThat(onlyOutcome(plan).version()).isEqualTo(1);
        }

        @Test
        void fromAPatternForksItsNewestVersion() {
            NodeRef newest = graph.pattern(other, 2).get(1);

            Plan plan = apply(forked(p).parentPatterns(other));

            NewNode n = onlyNode(plan);
            assertThat(n.version()).isEqualTo(1);
            assertThat(n.parentNodeId()).isEqualTo(newest.nodeId());
            assertThat(edges(plan)).containsExactly(edge(newest.nodeId(), n.nodeId(), "FORKED_FROM"));
        }

        @Test
        void intoAnExistingPatternIsRefused() {
            NodeRef source = graph.pattern(other, 1).get(0);
            graph.pattern(p, 1);

            Plan plan = apply(forked(p).parents(source.nodeId()));

            assertRejected(onlyOutcome(plan), ErrorCode.PATTERN_EXISTS, "pattern_id");
            assertEmpty(plan);
        }
    }

    @Nested
    class Merged {

        @Test
        void parentsOfOtherPatternsMergeIntoTheTargetsNextVersion() {
            NodeRef targetNewest = graph.pattern(p, 2).get(1);
            NodeRef a = graph.pattern(other, 1).get(0);
            NodeRef bNewest = graph.pattern(third, 2).get(1);

            Plan plan = apply(merged(p).parents(a.nodeId()).parentPatterns(third));

            NewNode n = onlyNode(plan);
            assertThat(n.patternId()).isEqualTo(p);
            assertThat(n.version()).isEqualTo(3);
            assertThat(n.parentNodeId()).isEqualTo(targetNewest.nodeId());
            assertThat(edges(plan)).containsExactlyInAnyOrder(
                    edge(a.nodeId(), n.nodeId(), "MERGED_INTO"),
                    edge(bNewest.nodeId(), n.nodeId(), "MERGED_INTO"),
                    edge(targetNewest.nodeId(), n.nodeId(), "DERIVED_FROM"));
            assertThat(plan.statusChanges()).containsExactlyInAnyOrder(
                    new StatusChange(a.nodeId(), "merged"),
                    new StatusChange(bNewest.nodeId(), "merged"));
            assertThat(onlyOutcome(plan).edgeIds()).hasSize(3);
        }

        @Test
        void listingTheTargetsNewestAsAParentAddsNoDerivedFromEdge() {
            NodeRef targetNewest = graph.pattern(p, 2).get(1);
            NodeRef a = graph.pattern(other, 1).get(0);

            Plan plan = apply(merged(p).parents(targetNewest.nodeId(), a.nodeId()));

            NewNode n = onlyNode(plan);
            assertThat(n.version()).isEqualTo(3);
            assertThat(edges(plan)).containsExactlyInAnyOrder(
                    edge(targetNewest.nodeId(), n.nodeId(), "MERGED_INTO"),
                    edge(a.nodeId(), n.nodeId(), "MERGED_INTO"));
            assertThat(plan.statusChanges()).containsExactly(new StatusChange(a.nodeId(), "merged"));
        }

        @Test
        void intoAnUnknownTargetIsRefused() {
            NodeRef a = graph.pattern(other, 1).get(0);

            Plan plan = apply(merged(p).parents(a.nodeId()));

            assertRejected(onlyOutcome(plan), ErrorCode.INVALID_PATTERN_ID, "pattern_id");
            assertEmpty(plan);
        }
    }

    @Nested
    class Deprecated {

        @Test
        void marksTheNewestVersionDeprecated() {
            NodeRef newest = graph.pattern(p, 2).get(1);

            Plan plan = apply(deprecated(p));

            assertThat(plan.statusChanges()).containsExactly(new StatusChange(newest.nodeId(), "deprecated"));
            assertThat(plan.nodes()).isEmpty();
            assertThat(plan.edges()).isEmpty();
            Outcome o = onlyOutcome(plan);
            assertThat(o.nodeId()).isEqualTo(newest.nodeId());
            assertThat(o.version()).isEqualTo(2);
        }

        @Test
        void withAReplacementPointsDeprecatedByAtTheReplacementsNewest() {
            NodeRef deprecated = graph.pattern(p, 1).get(0);
            NodeRef replacementNewest = graph.pattern(other, 2).get(1);

            Plan plan = apply(deprecated(p).replacement(other));

            assertThat(edges(plan)).containsExactly(
                    edge(deprecated.nodeId(), replacementNewest.nodeId(), "DEPRECATED_BY"));
            assertThat(plan.statusChanges()).containsExactly(new StatusChange(deprecated.nodeId(), "deprecated"));
        }

        @Test
        void deprecatedAgainInFavourOfTheSameReplacementNamesTheExistingEdge() {
            NodeRef deprecated = graph.pattern(p, 1).get(0);
            NodeRef replacement = graph.pattern(other, 1).get(0);
            Edge stored = new Edge(deprecated.nodeId(), replacement.nodeId(), "DEPRECATED_BY");
            graph.edges.add(stored);

            Plan plan = apply(deprecated(p).replacement(other));

            assertThat(plan.edges()).isEmpty();
            assertThat(onlyOutcome(plan).edgeIds()).containsExactly(MemoryGraph.idOf(stored));
        }

        @Test
        void inFavourOfItsOwnForkIsAllowed() {
            // p1 -> other1: the replacement is newer than the deprecated version; p1 -> other1 closes no cycle
            NodeRef deprecated = graph.pattern(p, 1).get(0);
            NodeRef fork = graph.pattern(other, 1).get(0);
            graph.edge(deprecated, fork);

            Plan plan = apply(deprecated(p).replacement(other));

            assertThat(onlyOutcome(plan).rejected()).isFalse();
            assertThat(edges(plan)).containsExactly(edge(deprecated.nodeId(), fork.nodeId(), "DEPRECATED_BY"));
        }

        @Test
        void inFavourOfAStoredAncestorIsACycle() {
            // other1 -> third1 -> p1 stored: an edge p1 -> other1 would close other1 -> third1 -> p1 -> other1
            NodeRef ancestor = graph.pattern(other, 1).get(0);
            NodeRef middle = graph.pattern(third, 1).get(0);
            NodeRef deprecated = graph.pattern(p, 1).get(0);
            graph.edge(ancestor, middle);
            graph.edge(middle, deprecated);

            Plan plan = apply(deprecated(p).replacement(other));

            assertRejected(onlyOutcome(plan), ErrorCode.CIRCULAR_DEPENDENCY, "replacement_pattern_id");
            assertEmpty(plan);
        }

        @Test
        void inFavourOfAnAncestorLinkedEarlierInTheSameBatchIsACycle() {
            NodeRef source = graph.pattern(other, 1).get(0);

            // the fork's edge other1 -> p1 exists only in this batch's plan
            Plan plan = apply(forked(p).parents(source.nodeId()), deprecated(p).replacement(other));

            List<Outcome> outcomes = outcomes(plan);
            assertThat(outcomes.get(0).rejected()).isFalse();
            assertRejected(outcomes.get(1), ErrorCode.CIRCULAR_DEPENDENCY, "replacement_pattern_id");
            assertThat(edges(plan)).containsExactly(edge(source.nodeId(), outcomes.get(0).nodeId(), "FORKED_FROM"));
            assertThat(plan.statusChanges()).isEmpty();
            assertThat(plan.events()).hasSize(1);
        }

        @Test
        void ofAnUnknownPatternIsRefused() {
            Plan plan = apply(deprecated(p));

            assertRejected(onlyOutcome(plan), ErrorCode.INVALID_PATTERN_ID, "pattern_id");
            assertEmpty(plan);
        }
    }

    @Nested
    class Applied {

        @Test
        void recordsTheExecutionAgainstTheNewestVersion() {
            NodeRef newest = graph.pattern(p, 2).get(1);
            LineageEvent e = applied(p).build();

            Plan plan = tracker.apply(List.of(e), graph);

            assertThat(plan.executions()).singleElement().satisfies(x -> {
                assertThat(x.executionId()).isEqualTo(e.execution().executionId());
                assertThat(x.patternId()).isEqualTo(p);
                assertThat(x.nodeId()).isEqualTo(newest.nodeId());
            });
            assertThat(plan.nodes()).isEmpty();
            assertThat(plan.edges()).isEmpty();
            assertThat(plan.statusChanges()).isEmpty();
            Outcome o = onlyOutcome(plan);
            assertThat(o.nodeId()).isEqualTo(newest.nodeId());
            assertThat(o.version()).isEqualTo(2);
        }

        @Test
        void recordsTheExecutionAgainstTheGivenVersion() {
            NodeRef v1 = graph.pattern(p, 2).get(0);

            Plan plan = apply(applied(p).node(v1.nodeId()));

            assertThat(plan.executions()).singleElement()
                    .extracting(HookExecution::nodeId).isEqualTo(v1.nodeId());
            assertThat(onlyOutcome(plan).version()).isEqualTo(1);
        }

        @Test
        void ofAnUnknownPatternIsStillRecordedWithoutANode() {
            Plan plan = apply(applied(p));

            Outcome o = onlyOutcome(plan);
            assertThat(o.rejected()).isFalse();
            assertThat(o.nodeId()).isNull();
            assertThat(o.version()).isNull();
            assertThat(plan.executions()).singleElement().satisfies(x -> {
                assertThat(x.patternId()).isEqualTo(p);
                assertThat(x.nodeId()).isNull();
            });
        }

        @Test
        void namingAVersionOfAnotherPatternIsRefused() {
            graph.pattern(p, 1);
            NodeRef foreign = graph.pattern(other, 1).get(0);

            Plan plan = apply(applied(p).node(foreign.nodeId()));

            assertRejected(onlyOutcome(plan), ErrorCode.INVALID_NODE_ID, "node_id");
            assertEmpty(plan);
        }
    }

    @Nested
    class Batches {

        @Test
        void laterEventsSeeEarlierOnes() {
            Plan plan = apply(created(p), modified(p), modified(p));

            assertThat(plan.nodes()).extracting(NewNode::version).containsExactly(1, 2, 3);
            NewNode v1 = plan.nodes().get(0);
            NewNode v2 = plan.nodes().get(1);
            NewNode v3 = plan.nodes().get(2);
            assertThat(v1.parentNodeId()).isNull();
            assertThat(v2.parentNodeId()).isEqualTo(v1.nodeId());
            assertThat(v3.parentNodeId()).isEqualTo(v2.nodeId());
            assertThat(edges(plan)).containsExactly(
                    edge(v1.nodeId(), v2.nodeId(), "DERIVED_FROM"),
                    edge(v2.nodeId(), v3.nodeId(), "DERIVED_FROM"));
            assertThat(outcomes(plan)).extracting(Outcome::version).containsExactly(1, 2, 3);
        }

        @Test
        void aRejectedEventLeavesNoRowsAndTheNextEventsStillApply() {
            NodeRef a = graph.pattern(other, 1).get(0);

            Plan plan = apply(
                    created(p),
                    merged(p).parents(a.nodeId(), UUID.randomUUID()), // second parent unknown
                    modified(p),
                    applied(p));

            List<Outcome> outcomes = outcomes(plan);
            assertThat(outcomes).extracting(Outcome::rejected).containsExactly(false, true, false, false);
            assertRejected(outcomes.get(1), ErrorCode.INVALID_NODE_ID, "parent_node_ids[1]");
            assertThat(plan.nodes()).extracting(NewNode::version).containsExactly(1, 2);
            assertThat(edges(plan)).containsExactly(
                    edge(plan.nodes().get(0).nodeId(), plan.nodes().get(1).nodeId(), "DERIVED_FROM"));
            assertThat(plan.statusChanges()).isEmpty();
            assertThat(plan.events()).extracting(LineageEvent::type).containsExactly(
                    EventType.PATTERN_CREATED, EventType.PATTERN_MODIFIED, EventType.PATTERN_APPLIED);
            assertThat(plan.executions()).singleElement()
                    .extracting(HookExecution::nodeId).isEqualTo(plan.nodes().get(1).nodeId());
        }

        @Test
        void anEventThatFailsHalfwayIsRolledBackCompletely() {
            // the merge fails after its node, one MERGED_INTO edge and one status change are planned
            NodeRef a = graph.pattern(other, 1).get(0);
            NodeRef b = graph.pattern(third, 1).get(0);
            // ids drawn: created node 1; modified node 2, edge 3; merged node 4, edge 5, edge 6 (fails)
            ids.failAt(6);

            Plan plan = apply(created(p), modified(p), merged(p).parents(a.nodeId(), b.nodeId()), modified(p));

            List<Outcome> outcomes = outcomes(plan);
            assertThat(outcomes).extracting(Outcome::rejected).containsExactly(false, false, true, false);
            assertThat(plan.nodes()).extracting(NewNode::version).containsExactly(1, 2, 3);
            NewNode v2 = plan.nodes().get(1);
            NewNode v3 = plan.nodes().get(2);
            assertThat(v3.parentNodeId()).isEqualTo(v2.nodeId());
            assertThat(edges(plan)).extracting(Edge::type).containsExactly("DERIVED_FROM", "DERIVED_FROM");
            assertThat(plan.statusChanges()).isEmpty();
            assertThat(plan.events()).hasSize(3);
        }

        @Test
        void twoCreatesOfOnePatternKeepTheFirst() {
            Plan plan = apply(created(p), created(p));

            List<Outcome> outcomes = outcomes(plan);
            assertThat(outcomes.get(0).rejected()).isFalse();
            assertRejected(outcomes.get(1), ErrorCode.PATTERN_EXISTS, "pattern_id");
            assertThat(onlyNode(plan).version()).isEqualTo(1);
            assertThat(plan.events()).hasSize(1);
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private Plan apply(Ev... events) {
        return tracker.apply(Arrays.stream(events).map(Ev::build).toList(), graph);
    }

    private static List<Outcome> outcomes(Plan plan) {
        return List.copyOf(plan.outcomes().values());
    }

    private static Outcome onlyOutcome(Plan plan) {
        assertThat(plan.outcomes()).hasSize(1);
        return plan.outcomes().values().iterator().next();
    }

    private static NewNode onlyNode(Plan plan) {
        assertThat(plan.nodes()).hasSize(1);
        return plan.nodes().get(0);
    }

    private static void assertRejected(Outcome o, ErrorCode code, String field) {
        assertThat(o.rejected()).as("rejected").isTrue();
        assertThat(o.rejection().code()).isEqualTo(code);
        assertThat(o.rejection().field()).isEqualTo(field);
        assertThat(o.nodeId()).isNull();
        assertThat(o.edgeIds()).isEmpty();
    }

    private static void assertEmpty(Plan plan) {
        assertThat(plan.nodes()).isEmpty();
        assertThat(plan.edges()).isEmpty();
        assertThat(plan.statusChanges()).isEmpty();
        assertThat(plan.events()).isEmpty();
        assertThat(plan.executions()).isEmpty();
    }

    record Edge(UUID source, UUID target, String type) {
    }

    private static Edge edge(UUID source, UUID target, String type) {
        return new Edge(source, target, type);
    }

    /** Events whose producer does not know whether the pattern exists (the as-built Archon API's clients). */
    @Nested
    class CreateOrAppend {

        @Test
        void createdOfAKnownPatternAddsItsNextVersion() {
            NodeRef v1 = graph.pattern(p, 1).get(0);

            Plan plan = apply(created(p).createOrAppend());

            NewNode n = onlyNode(plan);
            assertThat(n.version()).isEqualTo(2);
            assertThat(n.parentNodeId()).isEqualTo(v1.nodeId());
            assertThat(edges(plan)).containsExactly(edge(v1.nodeId(), n.nodeId(), "DERIVED_FROM"));
        }

        @Test
        void createdOfANewPatternIsVersionOne() {
            Plan plan = apply(created(p).createOrAppend());

            assertThat(onlyNode(plan).version()).isEqualTo(1);
            assertThat(plan.edges()).isEmpty();
        }

        @Test
        void modifiedWithoutParentsOfAnUnknownPatternCreatesIt() {
            Plan plan = apply(modified(p).createOrAppend());

            NewNode n = onlyNode(plan);
            assertThat(n.version()).isEqualTo(1);
            assertThat(n.parentNodeId()).isNull();
            assertThat(plan.edges()).isEmpty();
        }

        @Test
        void modifiedWithoutParentsAddsTheNextVersionWithTheGivenEdgeType() {
            NodeRef v2 = graph.pattern(p, 2).get(1);

            Plan plan = apply(modified(p).createOrAppend().edgeType("RELATED_TO"));

            NewNode n = onlyNode(plan);
            assertThat(n.version()).isEqualTo(3);
            assertThat(edges(plan)).containsExactly(edge(v2.nodeId(), n.nodeId(), "RELATED_TO"));
        }

        @Test
        void modifiedFromAnotherPatternCreatesItWithThatParent() {
            NodeRef source = graph.pattern(other, 1).get(0);

            Plan plan = apply(modified(p).parentPatterns(other).createOrAppend());

            NewNode n = onlyNode(plan);
            assertThat(n.version()).isEqualTo(1);
            assertThat(n.parentNodeId()).isEqualTo(source.nodeId());
            assertThat(edges(plan)).containsExactly(edge(source.nodeId(), n.nodeId(), "FORKED_FROM"));
        }

        @Test
        void modifiedOfAKnownPatternFromAnotherKeepsItsOwnLineToo() {
            NodeRef own = graph.pattern(p, 1).get(0);
            NodeRef source = graph.pattern(other, 1).get(0);

            Plan plan = apply(modified(p).parentPatterns(other).createOrAppend().edgeType("DERIVED_FROM"));

            NewNode n = onlyNode(plan);
            assertThat(n.version()).isEqualTo(2);
            assertThat(n.parentNodeId()).isEqualTo(own.nodeId());
            assertThat(edges(plan)).containsExactly(edge(source.nodeId(), n.nodeId(), "DERIVED_FROM"),
                    edge(own.nodeId(), n.nodeId(), "DERIVED_FROM"));
        }

        @Test
        void modifiedFromAnUnknownParentIsRefused() {
            Plan plan = apply(modified(p).parentPatterns(other).createOrAppend());

            assertRejected(onlyOutcome(plan), ErrorCode.INVALID_PATTERN_ID, "parent_pattern_ids[0]");
            assertEmpty(plan);
        }

        @Test
        void mergedIntoAnUnknownPatternCreatesItFromItsParents() {
            NodeRef a = graph.pattern(other, 1).get(0);
            NodeRef b = graph.pattern(third, 1).get(0);

            Plan plan = apply(merged(p).parentPatterns(other, third).createOrAppend());

            NewNode n = onlyNode(plan);
            assertThat(n.version()).isEqualTo(1);
            assertThat(n.parentNodeId()).isEqualTo(a.nodeId());
            assertThat(edges(plan)).containsExactly(edge(a.nodeId(), n.nodeId(), "MERGED_INTO"),
                    edge(b.nodeId(), n.nodeId(), "MERGED_INTO"));
        }

        @Test
        void appliedWithoutAnExecutionRecordsOnlyTheEvent() {
            graph.pattern(p, 1);

            Plan plan = apply(applied(p).withoutExecution());

            assertThat(onlyOutcome(plan).rejected()).isFalse();
            assertThat(plan.executions()).isEmpty();
            assertThat(plan.events()).hasSize(1);
        }
    }

    private static List<Edge> edges(Plan plan) {
        return plan.edges().stream().map(e -> edge(e.source(), e.target(), e.type())).toList();
    }

    private static Ev created(UUID pattern) {
        return new Ev(EventType.PATTERN_CREATED, pattern);
    }

    private static Ev modified(UUID pattern) {
        return new Ev(EventType.PATTERN_MODIFIED, pattern);
    }

    private static Ev forked(UUID pattern) {
        return new Ev(EventType.PATTERN_FORKED, pattern);
    }

    private static Ev merged(UUID pattern) {
        return new Ev(EventType.PATTERN_MERGED, pattern);
    }

    private static Ev deprecated(UUID pattern) {
        return new Ev(EventType.PATTERN_DEPRECATED, pattern);
    }

    private static Ev applied(UUID pattern) {
        return new Ev(EventType.PATTERN_APPLIED, pattern);
    }

    /** A lineage event as the reader would hand it over, with only what a test sets. */
    private static final class Ev {
        private final EventType type;
        private final UUID pattern;
        private List<UUID> parentNodes = List.of();
        private List<UUID> parentPatterns = List.of();
        private boolean improvement;
        private UUID replacement;
        private UUID node;
        private String name;
        private boolean createOrAppend;
        private String edgeType;
        private boolean noExecution;

        Ev(EventType type, UUID pattern) {
            this.type = type;
            this.pattern = pattern;
        }

        Ev parents(UUID... nodeIds) {
            parentNodes = List.of(nodeIds);
            return this;
        }

        Ev parentPatterns(UUID... patternIds) {
            parentPatterns = List.of(patternIds);
            return this;
        }

        Ev improvement() {
            improvement = true;
            return this;
        }

        Ev replacement(UUID patternId) {
            replacement = patternId;
            return this;
        }

        Ev node(UUID nodeId) {
            node = nodeId;
            return this;
        }

        Ev named(String patternName) {
            name = patternName;
            return this;
        }

        Ev createOrAppend() {
            createOrAppend = true;
            return this;
        }

        Ev edgeType(String type) {
            edgeType = type;
            return this;
        }

        Ev withoutExecution() {
            noExecution = true;
            return this;
        }

        LineageEvent build() {
            UUID eventId = UUID.randomUUID();
            Instant at = Instant.parse("2026-01-01T00:00:00Z");
            HookExecution execution = type != EventType.PATTERN_APPLIED || noExecution ? null
                    : new HookExecution(eventId, pattern, null, null, null, null, "success", null, null, null, null,
                            null, null, null, null, null, null, at, null, null);
            return new LineageEvent(eventId, type, pattern, parentNodes, parentPatterns, improvement, replacement,
                    node, new LineageEvent.NodeFields(name, null, null, null, null, null, null, null), null, at,
                    null, null, "{}", execution, createOrAppend, edgeType, null);
        }
    }

    /** Ids 0-…-1, 0-…-2, …; can be told to fail (as a rejection) when a given id is drawn. */
    private static final class SequentialIds implements Supplier<UUID> {
        private int issued;
        private int failAt = -1;

        @Override
        public UUID get() {
            issued++;
            if (issued == failAt) {
                throw new ProblemException(ErrorCode.INTERNAL_ERROR, "", "id " + issued + " refused by the test");
            }
            return new UUID(0, issued);
        }

        void failAt(int n) {
            failAt = n;
        }
    }

    /** The stored lineage: nodes by id, the newest version per pattern and the edges, walked by reaches. */
    private static final class MemoryGraph implements LineageTracker.Graph {
        private final Map<UUID, NodeRef> nodes = new HashMap<>();
        private final Map<UUID, NodeRef> newest = new HashMap<>();
        private final List<Edge> edges = new ArrayList<>();

        /** Stores versions 1..count of a pattern, each DERIVED_FROM the one before; returns them oldest first. */
        List<NodeRef> pattern(UUID patternId, int count) {
            List<NodeRef> versions = new ArrayList<>();
            for (int v = 1; v <= count; v++) {
                NodeRef n = new NodeRef(UUID.randomUUID(), patternId, v, "pattern-" + patternId, "template");
                nodes.put(n.nodeId(), n);
                newest.put(patternId, n);
                if (!versions.isEmpty()) {
                    edges.add(new Edge(versions.get(versions.size() - 1).nodeId(), n.nodeId(), "DERIVED_FROM"));
                }
                versions.add(n);
            }
            return versions;
        }

        /** Stores a FORKED_FROM edge older -> newer. */
        void edge(NodeRef older, NodeRef newer) {
            edges.add(new Edge(older.nodeId(), newer.nodeId(), "FORKED_FROM"));
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
            return edges.stream().filter(e -> e.equals(new Edge(source, target, type))).findFirst()
                    .map(MemoryGraph::idOf);
        }

        static UUID idOf(Edge e) {
            return UUID.nameUUIDFromBytes((e.source() + ">" + e.target() + ":" + e.type()).getBytes());
        }

        @Override
        public boolean reaches(UUID from, UUID to, List<NewEdge> extra) {
            List<Edge> all = new ArrayList<>(edges);
            extra.forEach(e -> all.add(new Edge(e.source(), e.target(), e.type())));
            Set<UUID> seen = new HashSet<>();
            Deque<UUID> todo = new ArrayDeque<>(List.of(from));
            while (!todo.isEmpty()) {
                UUID at = todo.pop();
                if (at.equals(to)) {
                    return true;
                }
                if (seen.add(at)) {
                    all.stream().filter(e -> e.source().equals(at)).forEach(e -> todo.push(e.target()));
                }
            }
            return false;
        }
    }
}
