package dev.archon.traceability.feedback;

import java.util.Locale;

/** The stages of a workflow, in order (routes/feedback-loop.yaml runs them). */
public enum Stage {
    COLLECT, ANALYZE, GENERATE, VALIDATE, APPLY, TRACK;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** 1 for collect ... 6 for track. */
    public int position() {
        return ordinal() + 1;
    }
}
