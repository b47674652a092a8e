package dev.archon.traceability.ingest;

import java.util.regex.Pattern;

/**
 * Which files in an inbox folder are records to ingest: {@code *.json}, {@code *.ndjson}, {@code *.jsonl}, never a
 * name starting with a dot. Producers write under a dot-name or another extension and rename when complete, so a
 * file still being written is never read (the route's read lock also waits for its size to settle).
 */
public final class InboxFiles {

    /** The same rule as a regular expression, for the file endpoint's include option. */
    public static final String INCLUDE = "[^.].*\\.(json|ndjson|jsonl)";

    private static final Pattern PATTERN = Pattern.compile(INCLUDE);

    private InboxFiles() {
    }

    public static boolean accepts(String fileName) {
        return PATTERN.matcher(fileName).matches();
    }
}
