package dev.archon.traceability.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.errors.Problem;
import dev.archon.traceability.errors.ProblemException;
import dev.archon.traceability.executions.HookExecution;
import dev.archon.traceability.ingest.EventReader;
import dev.archon.traceability.ingest.GroupCommitWriter;
import dev.archon.traceability.ingest.IngestMetrics;
import dev.archon.traceability.ingest.Results;
import dev.archon.traceability.json.Json;
import dev.archon.traceability.lineage.LineageEvent;
import dev.archon.traceability.lineage.LineageTracker.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The HTTP doors of ingest: POST /api/lineage/track (one event), /api/lineage/track/batch (an array) and
 * /api/executions (an object, an array, or NDJSON). Each checks the request (content type, size, JSON, fields),
 * submits the valid items to the group-commit writer and answers once they are committed. A failure is left on the
 * exchange for the {@code http-errors} route configuration to answer with the one envelope.
 */
public final class IngestEndpoints {

    /** The paths of routes/ingest-http.yaml; their processors never block, so they are served on the event loop. */
    public static final Set<String> PATHS = Set.of("/api/lineage/track", "/api/lineage/track/batch",
            "/api/executions");

    private final EventReader reader;
    private final GroupCommitWriter writer;
    private final IngestMetrics metrics;
    private final IngestRequests requests;

    public IngestEndpoints(EventReader reader, GroupCommitWriter writer, IngestMetrics metrics, long maxBodyBytes,
                      int maxBatchItems) {
        this.reader = reader;
        this.writer = writer;
        this.metrics = metrics;
        this.requests = new IngestRequests(maxBodyBytes, maxBatchItems);
    }

    public Processor track() {
        return AsyncEndpoint.of(this::trackOne);
    }

    public Processor trackBatch() {
        return AsyncEndpoint.of(this::trackMany);
    }

    public Processor executions() {
        return AsyncEndpoint.of(this::executionRecords);
    }

    private CompletableFuture<HttpAnswer> trackOne(Message in) throws IOException {
        JsonNode json = requests.json(in);
        String correlation = IngestRequests.correlationId(in);
        LineageEvent event;
        try {
            event = reader.lineage(json, UUID::randomUUID, correlation);
        } catch (ProblemException e) {
            metrics.items("lineage", "http", Results.REJECTED, 1);
            throw e;
        }
        return writer.submit(List.of(event), List.of()).thenApply(r -> {
            Outcome o = r.lineage().get(0);
            metrics.items("lineage", "http", Results.status(o), 1);
            if (o.rejected()) {
                return HttpAnswer.error(o.rejection(), HttpAnswer.correlationId(in));
            }
            return new HttpAnswer(o.duplicate() ? 200 : 201, Results.lineage(event, o));
        });
    }

    private CompletableFuture<HttpAnswer> trackMany(Message in) throws IOException {
        JsonNode json = requests.json(in);
        if (!json.isArray()) {
            throw new ProblemException(Problem.invalid("", "expected a JSON array of events, got "
                    + Json.kind(json) + "; send a single event to /api/lineage/track"));
        }
        requests.checkItemCount(json.size());
        String correlation = IngestRequests.correlationId(in);
        List<Object> results = new ArrayList<>(json.size());
        List<LineageEvent> valid = new ArrayList<>();
        List<Integer> validIndex = new ArrayList<>();
        for (int i = 0; i < json.size(); i++) {
            try {
                valid.add(reader.lineage(json.get(i), UUID::randomUUID, correlation));
                validIndex.add(i);
                results.add(null);
            } catch (ProblemException e) {
                results.add(indexed(i, Results.rejected(e.problem())));
            }
        }
        return writer.submit(valid, List.of()).thenApply(r -> {
            for (int k = 0; k < valid.size(); k++) {
                results.set(validIndex.get(k), indexed(validIndex.get(k), Results.lineage(valid.get(k),
                        r.lineage().get(k))));
            }
            return HttpAnswer.ok(IngestRequests.summary(metrics, "lineage", results));
        });
    }

    private CompletableFuture<HttpAnswer> executionRecords(Message in) throws IOException {
        byte[] body = requests.body(in);
        String type = IngestRequests.contentType(in, true);
        String correlation = IngestRequests.correlationId(in);
        if (type.equals(IngestRequests.NDJSON)) {
            List<Parsed> lines = ndjson(body);
            requests.checkItemCount(lines.size());
            return executionList(lines, "line", correlation);
        }
        JsonNode json = IngestRequests.parse(body);
        if (json.isArray()) {
            requests.checkItemCount(json.size());
            List<Parsed> items = new ArrayList<>();
            json.forEach(item -> items.add(new Parsed(item, null)));
            return executionList(items, "index", correlation);
        }
        HookExecution record;
        try {
            record = reader.execution(json, UUID::randomUUID, correlation);
        } catch (ProblemException e) {
            metrics.items("execution", "http", Results.REJECTED, 1);
            throw e;
        }
        return writer.submit(List.of(), List.of(record)).thenApply(r -> {
            boolean stored = r.executionsStored().get(0);
            metrics.items("execution", "http", stored ? Results.STORED : Results.DUPLICATE, 1);
            return new HttpAnswer(stored ? 201 : 200, Results.execution(record.executionId(), stored));
        });
    }

    /** One item of an array, or one NDJSON line: its JSON, or why it did not parse. */
    private record Parsed(JsonNode json, String failure) {
    }

    /** Items of an array (position "index", from 0) or NDJSON lines (position "line", from 1). */
    private CompletableFuture<HttpAnswer> executionList(List<Parsed> items, String position, String correlation) {
        int base = position.equals("line") ? 1 : 0;
        List<Object> results = new ArrayList<>(items.size());
        List<HookExecution> valid = new ArrayList<>();
        List<Integer> validIndex = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            try {
                Parsed item = items.get(i);
                if (item.failure() != null) {
                    throw new ProblemException(Problem.invalid("", item.failure()));
                }
                valid.add(reader.execution(item.json(), UUID::randomUUID, correlation));
                validIndex.add(i);
                results.add(null);
            } catch (ProblemException e) {
                results.add(IngestRequests.positioned(position, i + base, Results.rejected(e.problem())));
            }
        }
        return writer.submit(List.of(), valid).thenApply(r -> {
            for (int k = 0; k < valid.size(); k++) {
                int i = validIndex.get(k);
                results.set(i, IngestRequests.positioned(position, i + base,
                        Results.execution(valid.get(k).executionId(), r.executionsStored().get(k))));
            }
            return HttpAnswer.ok(IngestRequests.summary(metrics, "execution", results));
        });
    }

    private static Map<String, Object> indexed(int index, Map<String, Object> result) {
        return IngestRequests.positioned("index", index, result);
    }

    /** NDJSON lines, numbered from 1; a line that is not JSON is kept as a failure so numbering holds. */
    private static List<Parsed> ndjson(byte[] body) {
        String[] lines = new String(body, StandardCharsets.UTF_8).split("\n", -1);
        // a trailing newline ends the last record; it is not an empty record of its own
        int count = lines.length > 0 && lines[lines.length - 1].isEmpty() ? lines.length - 1 : lines.length;
        List<Parsed> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (lines[i].isBlank()) {
                items.add(new Parsed(null, "blank line"));
                continue;
            }
            try {
                items.add(new Parsed(Json.mapper().readTree(lines[i]), null));
            } catch (JsonProcessingException e) {
                items.add(new Parsed(null, Json.describe(e, i + 1)));
            }
        }
        return items;
    }
}
