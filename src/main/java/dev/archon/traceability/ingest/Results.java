package dev.archon.traceability.ingest;

import dev.archon.traceability.errors.Problem;
import dev.archon.traceability.lineage.LineageEvent;
import dev.archon.traceability.lineage.LineageTracker.Outcome;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** How a stored, repeated or rejected item is reported, the same over HTTP and in inbox reports. */
public final class Results {

    public static final String STORED = "stored";
    public static final String DUPLICATE = "duplicate";
    public static final String REJECTED = "rejected";

    private Results() {
    }

    public static String status(Outcome o) {
        return o.rejected() ? REJECTED : o.duplicate() ? DUPLICATE : STORED;
    }

    public static Map<String, Object> lineage(LineageEvent e, Outcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status(o));
        m.put("event_id", e.eventId());
        m.put("event_type", e.type().wireName());
        m.put("pattern_id", o.patternId());
        if (o.rejected()) {
            m.put("error", o.rejection().asMap());
            return m;
        }
        m.put("node_id", o.nodeId());
        m.put("version_number", o.version());
        if (!o.edgeIds().isEmpty()) {
            m.put("edge_ids", o.edgeIds());
        }
        return m;
    }

    public static Map<String, Object> execution(UUID executionId, boolean stored) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", stored ? STORED : DUPLICATE);
        m.put("execution_id", executionId);
        return m;
    }

    public static Map<String, Object> rejected(Problem p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", REJECTED);
        m.put("error", p.asMap());
        return m;
    }
}
