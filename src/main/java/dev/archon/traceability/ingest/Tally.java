package dev.archon.traceability.ingest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many items of one request or one inbox file were stored, recognised as duplicates, or rejected: the same
 * tallies in HTTP batch answers, inbox reports and the ingest_items_total metric.
 */
public final class Tally {

    private long stored;
    private long duplicates;
    private long rejected;

    /** Counts one item by its status ({@link Results#STORED}, {@link Results#DUPLICATE} or anything else: rejected). */
    public void add(String status) {
        if (Results.STORED.equals(status)) {
            stored++;
        } else if (Results.DUPLICATE.equals(status)) {
            duplicates++;
        } else {
            rejected++;
        }
    }

    public void stored() {
        stored++;
    }

    public void duplicate() {
        duplicates++;
    }

    public void rejected() {
        rejected++;
    }

    public long storedCount() {
        return stored;
    }

    public long duplicateCount() {
        return duplicates;
    }

    public long rejectedCount() {
        return rejected;
    }

    /** Adds the tallies to ingest_items_total{kind, transport, outcome}. */
    public void count(IngestMetrics metrics, String kind, String transport) {
        metrics.items(kind, transport, Results.STORED, stored);
        metrics.items(kind, transport, Results.DUPLICATE, duplicates);
        metrics.items(kind, transport, Results.REJECTED, rejected);
    }

    /** {"stored", "duplicates", "rejected"}, in that order, after whatever {@code into} holds already. */
    public Map<String, Object> into(Map<String, Object> into) {
        into.put("stored", stored);
        into.put("duplicates", duplicates);
        into.put("rejected", rejected);
        return into;
    }

    public Map<String, Object> asMap() {
        return into(new LinkedHashMap<>());
    }
}
