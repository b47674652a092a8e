package dev.archon.traceability.http;

import dev.archon.traceability.lineage.LineageQueries;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The steps of the lineage read routes (routes/lineage-api.yaml) that are not SQL: checking the request's
 * parameters against the graph, and shaping rows into the answer.
 */
public final class LineageEndpoints {

    private static final List<String> STATUSES = List.of("active", "deprecated", "archived", "merged");

    private final LineageQueries queries;
    private final int maxDepth;
    private final int maxNodes;

    /**
     * @param maxDepth the deepest a walk may go (traceability.lineage.max-depth); a request may ask for less
     * @param maxNodes the most steps one walk visits (traceability.lineage.max-nodes); past it the answer says
     *                 {@code truncated}
     */
    public LineageEndpoints(LineageQueries queries, int maxDepth, int maxNodes) {
        this.queries = queries;
        this.maxDepth = maxDepth;
        this.maxNodes = maxNodes;
    }

    /** GET /api/lineage/{pattern_id}?include_edges=&max_depth=: the pattern's versions and the edges touching them. */
    public Processor pattern() {
        return exchange -> {
            Message in = exchange.getMessage();
            UUID pattern = Params.uuid(in, "pattern_id");
            boolean edges = Params.bool(in, "include_edges", true);
            in.setBody(queries.pattern(pattern, edges, bounds(in, "max_depth")));
        };
    }

    /** GET /api/lineage/{pattern_id}/ancestors/{node_id}?depth=. */
    public Processor ancestors() {
        return walk(LineageQueries.Direction.ANCESTORS);
    }

    /** GET /api/lineage/{pattern_id}/descendants/{node_id}?depth=. */
    public Processor descendants() {
        return walk(LineageQueries.Direction.DESCENDANTS);
    }

    private Processor walk(LineageQueries.Direction direction) {
        return exchange -> {
            Message in = exchange.getMessage();
            UUID pattern = Params.uuid(in, "pattern_id");
            UUID node = Params.uuid(in, "node_id");
            LineageQueries.Bounds bounds = bounds(in, "depth");
            LineageQueries.Walk walk = queries.walk(node, direction, bounds);
            if (!pattern.equals(walk.startPattern())) {
                queries.requireNodeOfPattern(pattern, node); // says which: no pattern, no node, another's node
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("pattern_id", pattern);
            answer.put("node_id", node);
            answer.put("direction", direction.name().toLowerCase());
            answer.put("nodes", walk.nodes());
            answer.put("edges", walk.edges());
            answer.put("truncated", walk.truncatedBy() != null);
            answer.put("truncated_by", walk.truncatedBy());
            answer.put("max_depth", bounds.maxDepth());
            answer.put("max_nodes", bounds.maxRows());
            in.setBody(answer);
        };
    }

    /** GET /api/lineage/patterns?q=&type=&status=&limit=&after=. */
    public Processor patterns() {
        return exchange -> {
            Message in = exchange.getMessage();
            String q = Params.string(in, "q");
            if (q != null && q.length() > 200) {
                throw Params.invalid("q", "at most 200 characters");
            }
            String status = Params.oneOf(in, "status", null, STATUSES);
            int limit = Params.integer(in, "limit", 50, 1, 500);
            Cursor after = Cursor.after(in);
            LineageQueries.PatternPage page = queries.patterns(q, Params.string(in, "type"), status, limit,
                    after == null ? null : after.at(), after == null ? null : after.id());
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("patterns", page.patterns());
            answer.put("count", page.patterns().size());
            answer.put("next_cursor", page.lastId() == null ? null
                    : new Cursor(page.lastActivity(), page.lastId()).encode());
            in.setBody(answer);
        };
    }

    private LineageQueries.Bounds bounds(Message in, String depthParam) {
        return new LineageQueries.Bounds(Params.integer(in, depthParam, maxDepth, 1, maxDepth), maxNodes);
    }

    /** The parameters of the path route, checked before its query: 400 naming a malformed one. */
    public Processor pathRequest() {
        return exchange -> {
            Message in = exchange.getMessage();
            Params.uuid(in, "pattern_id");
            Params.uuid(in, "node_id");
        };
    }

    /** The rows of get_lineage_path(node), root first, as {pattern_id, node_id, path}. */
    public Processor pathAnswer() {
        return exchange -> {
            Message in = exchange.getMessage();
            UUID pattern = Params.uuid(in, "pattern_id");
            UUID node = Params.uuid(in, "node_id");
            List<?> path = in.getBody(List.class);
            // the last step is the node itself: no rows, or a node of another pattern, is a 404 that says which
            if (path.isEmpty() || !pattern.equals(((Map<?, ?>) path.get(path.size() - 1)).get("pattern_id"))) {
                queries.requireNodeOfPattern(pattern, node);
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("pattern_id", pattern);
            answer.put("node_id", node);
            answer.put("path", path);
            in.setBody(answer);
        };
    }
}
