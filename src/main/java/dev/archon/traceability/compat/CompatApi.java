package dev.archon.traceability.compat;

import dev.archon.traceability.analytics.UsageAnalytics;
import dev.archon.traceability.feedback.FeedbackLoop;
import dev.archon.traceability.feedback.FeedbackStore;
import dev.archon.traceability.health.HealthService;
import dev.archon.traceability.ingest.EventReader;
import dev.archon.traceability.ingest.GroupCommitWriter;
import dev.archon.traceability.ingest.IngestMetrics;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.apache.camel.Processor;

/**
 * The as-built Archon API ({@code /api/pattern-traceability/*}, routes/compat-api.yaml) as one adapter over our own
 * pipeline: the same group-commit writer, tables and idempotency keys for tracking, our lineage, execution,
 * analytics, health and feedback-loop code for the rest. Deprecated but supported: it exists so hook clients in the
 * field keep working unchanged; nothing else in the service depends on it.
 */
public final class CompatApi {

    /** What the adapter is built from: the service's own parts, and the three settings of its own. */
    public record Parts(DataSource dataSource, GroupCommitWriter writer, IngestMetrics metrics, EventReader reader,
                        UsageAnalytics analytics, HealthService health, FeedbackLoop loop, FeedbackStore feedback,
                        Clock clock) {
    }

    /**
     * @param maxCodeChars    the longest pattern_data.code accepted (traceability.compat.max-code-chars)
     * @param maxBatchEvents  most events in one batch (traceability.http.max-batch-items)
     * @param trackTimeout    a track request (or an execution report) not committed within this answers 504
     *                        (traceability.compat.track-timeout)
     * @param feedbackWait    how long feedback/analyze waits for its workflow (traceability.compat.feedback-wait)
     */
    public record Limits(int maxCodeChars, int maxBatchEvents, Duration trackTimeout, Duration feedbackWait) {
    }

    private final CompatTrackEndpoints track;
    private final CompatReadEndpoints read;
    private final CompatFeedbackEndpoints feedback;

    public CompatApi(Parts parts, Limits limits) {
        CompatQueries queries = new CompatQueries(parts.dataSource());
        this.track = new CompatTrackEndpoints(new ArchonTracking(parts.clock(), limits.maxCodeChars()), parts.writer(),
                parts.metrics(), limits.maxBatchEvents(), limits.trackTimeout());
        this.read = new CompatReadEndpoints(queries, parts.analytics(), parts.health(), parts.clock(), parts.reader(),
                parts.writer(), limits.trackTimeout());
        this.feedback = new CompatFeedbackEndpoints(queries, parts.loop(), parts.feedback(), parts.reader(),
                parts.clock(), limits.feedbackWait());
    }

    public CompatTrackEndpoints track() {
        return track;
    }

    public CompatReadEndpoints read() {
        return read;
    }

    public CompatFeedbackEndpoints feedback() {
        return feedback;
    }

    /** The onException step of the compat-errors route configuration. */
    public Processor errorAnswer() {
        return CompatErrors.answer();
    }
}
