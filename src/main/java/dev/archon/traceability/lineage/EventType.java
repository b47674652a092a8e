package dev.archon.traceability.lineage;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The lineage event types hooks send; the wire name is the lower-case form, e.g. {@code pattern_created}. */
public enum EventType {
    PATTERN_CREATED, PATTERN_MODIFIED, PATTERN_FORKED, PATTERN_MERGED, PATTERN_DEPRECATED, PATTERN_APPLIED;

    public String wireName() {
        return name().toLowerCase();
    }

    /** The operation label of lineage_operations_total: created, modified, ... */
    public String operation() {
        return wireName().substring("pattern_".length());
    }

    public static Optional<EventType> fromWire(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName().equals(name)).findFirst();
    }

    public static String wireNames() {
        return Arrays.stream(values()).map(EventType::wireName).collect(Collectors.joining(", "));
    }
}
