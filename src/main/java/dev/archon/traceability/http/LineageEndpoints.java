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

    private final LineageQueries queries;

    public LineageEndpoints(LineageQueries queries) {
        this.queries = queries;
    }

    /** Path parameters pattern_id and node_id: UUIDs (400), an existing pattern and one of its nodes (404). */
    public Processor nodeOfPattern() {
        return exchange -> {
            Message in = exchange.getMessage();
            UUID pattern = Params.uuid(in, "pattern_id");
            UUID node = Params.uuid(in, "node_id");
            queries.requireNodeOfPattern(pattern, node);
        };
    }

    /** The rows of get_lineage_path(node), root first, as {pattern_id, node_id, path}. */
    public Processor pathAnswer() {
        return exchange -> {
            Message in = exchange.getMessage();
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("pattern_id", Params.uuid(in, "pattern_id"));
            answer.put("node_id", Params.uuid(in, "node_id"));
            answer.put("path", in.getBody(List.class));
            in.setBody(answer);
        };
    }
}
