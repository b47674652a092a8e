package dev.archon.traceability.ingest;

import dev.archon.traceability.lineage.EventType;
import dev.archon.traceability.lineage.LineageEvent;
import dev.archon.traceability.lineage.LineageTracker.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Ingest metrics under their contract names: lineage_insert_duration_seconds (histogram of the time from an
 * event's arrival to its commit), lineage_operations_total{operation}, and ingest_items_total{kind, transport,
 * outcome} for stored, duplicate and rejected items over HTTP and from files.
 */
public final class IngestMetrics {

    private final MeterRegistry registry;
    private final Timer insertDuration;
    private final DistributionSummary batchSize;
    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.insertDuration = Timer.builder("lineage_insert_duration")
                .description("Time from a lineage event's arrival to its commit")
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
        this.batchSize = DistributionSummary.builder("ingest_commit_batch_size")
                .description("Items committed per group-commit transaction")
                .register(registry);
        // every series the alerts and dashboard read exists from the first scrape, at zero
        for (EventType type : EventType.values()) {
            counter("lineage_operations", "operation", type.operation());
        }
        for (String kind : List.of("lineage", "execution")) {
            for (String transport : List.of("http", "file")) {
                for (String outcome : List.of(Results.STORED, Results.DUPLICATE, Results.REJECTED)) {
                    counter("ingest_items", "kind", kind, "transport", transport, "outcome", outcome);
                }
            }
        }
    }

    /**
     * Histogram buckets of the service's latency metrics: fine below the runbook's 50 ms ingest alert, and edges
     * exactly at its thresholds (50 ms, 500 ms, 1 s).
     */
    public static final Duration[] LATENCY_BUCKETS = Stream.of(1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500,
            5000, 10000).map(Duration::ofMillis).toArray(Duration[]::new);

    void committed(List<LineageEvent> events, GroupCommitWriter.Result result, long nanos) {
        for (int i = 0; i < events.size(); i++) {
            Outcome o = result.lineage().get(i);
            if (!o.rejected() && !o.duplicate()) {
                insertDuration.record(nanos, TimeUnit.NANOSECONDS);
                counter("lineage_operations", "operation", events.get(i).type().operation()).increment();
            }
        }
    }

    void batch(int items) {
        batchSize.record(items);
    }

    /** Counts items by kind (lineage, execution), transport (http, file) and outcome (stored, duplicate, rejected). */
    public void items(String kind, String transport, String outcome, long n) {
        if (n > 0) {
            counter("ingest_items", "kind", kind, "transport", transport, "outcome", outcome).increment(n);
        }
    }

    /** ingest_inbox_files{inbox}: files waiting in a watched folder (not yet done), counted at each scrape. */
    public void inboxBacklog(String inbox, Path dir) {
        Gauge.builder("ingest_inbox_files", dir, IngestMetrics::waitingFiles)
                .description("Files waiting in an inbox folder")
                .tag("inbox", inbox)
                .strongReference(true) // nothing else holds the path: weakly held, the gauge read NaN after a GC
                .register(registry);
    }

    static double waitingFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> InboxFiles.accepts(f.getFileName().toString())).count();
        } catch (IOException e) {
            return 0;
        }
    }

    /** ingest_queue_submissions: submissions waiting for the group-commit writer. */
    void queueDepth(GroupCommitWriter writer) {
        Gauge.builder("ingest_queue_submissions", writer, GroupCommitWriter::queued)
                .description("Submissions waiting for the group-commit writer")
                .register(registry);
    }

    private Counter counter(String name, String... tags) {
        String key = name + String.join(",", tags);
        return counters.computeIfAbsent(key, k -> Counter.builder(name).tags(tags).register(registry));
    }
}
