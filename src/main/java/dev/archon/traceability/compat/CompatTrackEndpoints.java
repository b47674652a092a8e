package dev.archon.traceability.compat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.http.AsyncEndpoint;
import dev.archon.traceability.http.HttpAnswer;
import dev.archon.traceability.ingest.GroupCommitWriter;
import dev.archon.traceability.ingest.IngestMetrics;
import dev.archon.traceability.ingest.Results;
import dev.archon.traceability.lineage.LineageEvent;
import dev.archon.traceability.lineage.LineageTracker.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * {@code POST /api/pattern-traceability/lineage/track} and {@code /lineage/track/batch} (alias
 * {@code /lineage/track-batch}): as-built requests, checked and mapped by {@link ArchonTracking}, submitted to our
 * group-commit writer like our own ingest, answered in the as-built shape once committed (200 for every success,
 * duplicates included). Served on the Vert.x event loop as our ingest is: nothing here blocks.
 */
public final class CompatTrackEndpoints {

    static final String PREFIX = "/api/pattern-traceability";

    /** The paths whose POST endpoints never block (served by the event-loop consumer). */
    public static final Set<String> EVENT_LOOP_PATHS = Set.of(PREFIX + "/lineage/track",
            PREFIX + "/lineage/track/batch", PREFIX + "/lineage/track-batch");

    private final ArchonTracking tracking;
    private final GroupCommitWriter writer;
    private final IngestMetrics metrics;
    private final int maxBatchEvents;
    private final Duration timeout;

    /**
     * @param maxBatchEvents most events in one batch (traceability.http.max-batch-items)
     * @param timeout        how long a request waits for its commit before 504 (traceability.compat.track-timeout)
     */
    CompatTrackEndpoints(ArchonTracking tracking, GroupCommitWriter writer, IngestMetrics metrics,
                                int maxBatchEvents, Duration timeout) {
        this.tracking = tracking;
        this.writer = writer;
        this.metrics = metrics;
        this.maxBatchEvents = maxBatchEvents;
        this.timeout = timeout;
    }

    public Processor track() {
        return AsyncEndpoint.of(this::trackOne);
    }

    public Processor trackBatch() {
        return AsyncEndpoint.of(this::trackMany);
    }

    private CompletableFuture<HttpAnswer> trackOne(Message in) {
        long start = System.nanoTime();
        byte[] body = in.getBody(byte[].class);
        TrackRequest r;
        try {
            r = TrackRequest.read(ArchonFields.parse(body));
            tracking.check(r);
        } catch (CompatException e) {
            metrics.items("lineage", "http", Results.REJECTED, 1);
            throw e;
        }
        String correlationId = HttpAnswer.correlationId(in);
        LineageEvent event = tracking.event(r, correlationId, body);
        return commit(List.of(event)).thenApply(outcomes -> {
            Outcome o = outcomes.get(0);
            metrics.items("lineage", "http", Results.status(o), 1);
            if (o.rejected()) {
                throw CompatException.invalid(ArchonTracking.rejection(r, o.rejection()));
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("success", true);
            answer.put("data", ArchonTracking.data(r, event, o));
            answer.put("metadata", ArchonTracking.metadata(r, event.correlationId(), start));
            return HttpAnswer.ok(answer);
        });
    }

    /**
     * The whole batch is checked first: a schema error in any event is a 422 and a semantic one a 400, and nothing
     * is written (as built). The events are then applied in order, in one submission, so a modification may follow
     * its parent's creation in the same batch; an event our tracker refuses is a failed result.
     */
    private CompletableFuture<HttpAnswer> trackMany(Message in) {
        long start = System.nanoTime();
        ArchonFields f = ArchonFields.body(ArchonFields.parse(in.getBody(byte[].class)));
        JsonNode items = f.node("events");
        if (items == null) {
            f.error("events", "missing", "Field required", null);
        } else if (!items.isArray()) {
            f.error("events", "list_type", "Input should be a valid list", items);
        }
        String requested = f.string("processing_mode", "parallel");
        Boolean sequential = f.bool("sequential_processing", false);
        f.optionalString("batch_id");
        f.number("timeout_per_event", 10.0, null, null);
        f.check();
        if (requested != null && !requested.equals("parallel") && !requested.equals("sequential")) {
            requested = Boolean.TRUE.equals(sequential) ? "sequential" : "parallel";
        }
        if (items.size() > maxBatchEvents) {
            throw CompatException.invalid(items.size() + " events in one batch; at most " + maxBatchEvents
                    + " (traceability.http.max-batch-items)");
        }
        List<TrackRequest> requests = new ArrayList<>(items.size());
        List<Map<String, Object>> schemaErrors = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            try {
                requests.add(TrackRequest.read(ArchonFields.object(items.get(i), List.of("body", "events", i)),
                        items.get(i)));
            } catch (CompatException e) {
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> entries = (List<Map<String, Object>>) e.detail();
                schemaErrors.addAll(entries);
            }
        }
        if (!schemaErrors.isEmpty()) {
            throw CompatException.schema(schemaErrors);
        }
        for (int i = 0; i < requests.size(); i++) {
            try {
                tracking.check(requests.get(i));
            } catch (CompatException e) {
                throw CompatException.invalid("events[" + i + "]: " + e.getMessage());
            }
        }
        String correlationId = HttpAnswer.correlationId(in);
        List<LineageEvent> events = requests.stream().map(r -> tracking.event(r, correlationId)).toList();
        String mode = requested;
        return commit(events).thenApply(outcomes -> {
            List<Object> successes = new ArrayList<>();
            List<Object> failures = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                TrackRequest r = requests.get(i);
                Outcome o = outcomes.get(i);
                metrics.items("lineage", "http", Results.status(o), 1);
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("event_index", i);
                if (o.rejected()) {
                    result.put("error", ArchonTracking.rejection(r, o.rejection()));
                    result.put("pattern_id", r.patternId());
                    failures.add(result);
                } else {
                    result.put("data", ArchonTracking.data(r, events.get(i), o));
                    result.put("metadata", ArchonTracking.metadata(r, events.get(i).correlationId(), start));
                    result.put("pattern_id", r.patternId());
                    successes.add(result);
                }
            }
            return HttpAnswer.ok(batchAnswer(events.size(), successes, failures, mode, start));
        });
    }

    static Map<String, Object> batchAnswer(int total, List<Object> successes, List<Object> failures,
                                           String requestedMode, long startNanos) {
        double ms = CompatTime.millisSince(startNanos);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("total_events", total);
        summary.put("successful_events", successes.size());
        summary.put("failed_events", failures.size());
        summary.put("handled_duplicates", 0);
        summary.put("processing_mode", "sequential"); // applied in order, in one transaction
        summary.put("requested_processing_mode", requestedMode);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("processing_time_ms", ms);
        metadata.put("average_time_per_event", total == 0 ? 0.0 : Math.round(ms / total * 100) / 100.0);
        metadata.put("batch_efficiency_gain", total == 0 ? 0.0
                : Math.round((total * 50 - ms) / (total * 50) * 1000) / 10.0);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("success", failures.isEmpty());
        answer.put("batch_summary", summary);
        answer.put("successful_results", successes);
        answer.put("failed_results", failures.isEmpty() ? null : failures);
        answer.put("metadata", metadata);
        return answer;
    }

    /** The events' outcomes once committed; 504 when the commit takes longer than the timeout. */
    private CompletableFuture<List<Outcome>> commit(List<LineageEvent> events) {
        if (events.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        return writer.submit(events, List.of()).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((result, failure) -> {
                    Throwable cause = failure instanceof java.util.concurrent.CompletionException c
                            && c.getCause() != null ? c.getCause() : failure;
                    if (cause instanceof TimeoutException) {
                        throw new CompatException(504, "Tracking operation timed out");
                    }
                    if (cause != null) {
                        throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
                    }
                    return result.lineage();
                });
    }
}
