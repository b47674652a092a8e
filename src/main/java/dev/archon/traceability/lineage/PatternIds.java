package dev.archon.traceability.lineage;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** The stable id of a pattern known only by name: a name-based (version 3) UUID of {@code "pattern:" + name}. */
public final class PatternIds {

    private PatternIds() {
    }

    public static UUID fromName(String name) {
        return UUID.nameUUIDFromBytes(("pattern:" + name).getBytes(StandardCharsets.UTF_8));
    }
}
