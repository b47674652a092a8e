package dev.archon.traceability.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.errors.ErrorCode;
import dev.archon.traceability.errors.Problem;
import dev.archon.traceability.errors.ProblemException;
import dev.archon.traceability.ingest.EventReader;
import dev.archon.traceability.ingest.IngestMetrics;
import dev.archon.traceability.ingest.Tally;
import dev.archon.traceability.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Message;

/**
 * How every ingest door checks a request and answers a batch: the content type (415), the body's size (413 above
 * traceability.http.max-body-size) and JSON (400 naming line and column), the number of items (413 above
 * traceability.http.max-batch-items), and the per-item summary {received, stored, duplicates, rejected, results}.
 * Used by {@link IngestEndpoints} (lineage events, executions) and {@link FeedbackEndpoints} (feedback).
 */
final class IngestRequests {

    static final String NDJSON = "application/x-ndjson";

    private final long maxBodyBytes;
    private final int maxBatchItems;

    IngestRequests(long maxBodyBytes, int maxBatchItems) {
        this.maxBodyBytes = maxBodyBytes;
        this.maxBatchItems = maxBatchItems;
    }

    /** The request's JSON body: 415 unless application/json, 413 when too large, 400 when empty or malformed. */
    JsonNode json(Message in) {
        contentType(in, false);
        return parse(body(in));
    }

    static JsonNode parse(byte[] body) {
        try {
            return Json.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            throw new ProblemException(Problem.invalid("", Json.describe(e)));
        } catch (java.io.IOException e) {
            throw new ProblemException(Problem.invalid("", "unreadable body: " + e.getMessage()));
        }
    }

    /**
     * The request's correlation id (its X-Correlation-ID, or the one {@link HttpRouting} made): stored on every
     * item of the request that has no correlation_id of its own. 400 when longer than a correlation_id may be.
     */
    static String correlationId(Message in) {
        String id = HttpAnswer.correlationId(in);
        if (id.length() > EventReader.CORRELATION_ID_MAX) {
            throw new ProblemException(Problem.invalid(HttpAnswer.CORRELATION_ID, "longer than "
                    + EventReader.CORRELATION_ID_MAX + " characters (" + id.length() + ")"));
        }
        return id;
    }

    /** A batch's item count: 400 when empty, 413 above traceability.http.max-batch-items. */
    void checkItemCount(int n) {
        if (n == 0) {
            throw new ProblemException(Problem.invalid("", "the array is empty"));
        }
        if (n > maxBatchItems) {
            throw new ProblemException(ErrorCode.PAYLOAD_TOO_LARGE, "", n + " items in one request; at most "
                    + maxBatchItems + " (traceability.http.max-batch-items)");
        }
    }

    byte[] body(Message in) {
        Long declared = in.getHeader("Content-Length", Long.class);
        if (declared != null && declared > maxBodyBytes) {
            throw tooLarge(declared);
        }
        byte[] body = in.getBody(byte[].class);
        if (body == null || body.length == 0) {
            throw new ProblemException(Problem.invalid("", "the request body is empty"));
        }
        if (body.length > maxBodyBytes) {
            throw tooLarge(body.length);
        }
        return body;
    }

    private ProblemException tooLarge(long size) {
        return new ProblemException(ErrorCode.PAYLOAD_TOO_LARGE, "", "the body has " + size + " bytes; at most "
                + maxBodyBytes + " are accepted (traceability.http.max-body-size)");
    }

    /** application/json, or NDJSON (as {@link #NDJSON}) where allowed; 415 naming what was sent otherwise. */
    static String contentType(Message in, boolean ndjsonAllowed) {
        String header = in.getHeader("Content-Type", String.class);
        String type = header == null ? "" : header.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (type.equals("application/json")) {
            return type;
        }
        if (ndjsonAllowed && (type.equals(NDJSON) || type.equals("application/ndjson")
                || type.equals("application/jsonl") || type.equals("application/x-jsonlines"))) {
            return NDJSON;
        }
        throw new ProblemException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type", (header == null
                ? "missing" : "'" + header + "' is not accepted") + "; send application/json"
                + (ndjsonAllowed ? " or application/x-ndjson" : ""));
    }

    /** {received, stored, duplicates, rejected, results}, the tallies also counted in ingest_items_total. */
    static Map<String, Object> summary(IngestMetrics metrics, String kind, List<Object> results) {
        Tally tally = new Tally();
        results.forEach(o -> tally.add((String) ((Map<?, ?>) o).get("status")));
        tally.count(metrics, kind, "http");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("received", results.size());
        tally.into(m);
        m.put("results", results);
        return m;
    }

    /** A per-item result with its position first: {"index": 3, ...} or {"line": 4, ...}. */
    static Map<String, Object> positioned(String key, int position, Map<String, Object> result) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(key, position);
        m.putAll(result);
        return m;
    }
}
