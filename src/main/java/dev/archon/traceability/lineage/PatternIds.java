package dev.archon.traceability.lineage;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Stable pattern ids: a pattern known only by name is the name-based (version 3) UUID of {@code "pattern:" + name};
 * a pattern known by another system's opaque id string (the as-built Archon API's {@code pattern_id}, kept as
 * lineage_nodes.external_pattern_id) is the name-based UUID of {@code "external:" + id}. Distinct prefixes, so a
 * name and an external id that are the same text stay two patterns.
 */
public final class PatternIds {

    /** The longest external pattern id (the as-built API's VARCHAR(255)). */
    public static final int EXTERNAL_MAX = 255;

    private PatternIds() {
    }

    public static UUID fromName(String name) {
        return UUID.nameUUIDFromBytes(("pattern:" + name).getBytes(StandardCharsets.UTF_8));
    }

    public static UUID fromExternalId(String externalId) {
        return UUID.nameUUIDFromBytes(("external:" + externalId).getBytes(StandardCharsets.UTF_8));
    }
}
