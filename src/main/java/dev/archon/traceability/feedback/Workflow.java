package dev.archon.traceability.feedback;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.archon.traceability.feedback.Significance.Comparison;
import dev.archon.traceability.json.Json;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One workflow as a worker runs it: the message body of routes/feedback-loop.yaml's workflow route, from its
 * {@code begin} step to its {@code release} step. It carries what the finished stages found ({@link Findings},
 * stored with the workflow after every stage), which stages are done, this attempt's deadline, and the lease: the
 * database connection that holds the workflow's advisory lock (no other worker, here or on another instance, runs it
 * meanwhile) and on which every stage runs.
 */
public final class Workflow {

    private final UUID id;
    private final UUID patternId;
    private final String trigger;
    private final WorkflowParameters parameters;
    private final int attempt;
    private final Instant deadline;
    private final Findings findings;
    private final Set<Stage> done;
    private final Stage interruptedIn;
    private final transient Connection lease;
    private final long begunNanos = System.nanoTime();
    private Stage current;
    private Instant currentStarted;

    Workflow(UUID id, UUID patternId, String trigger, WorkflowParameters parameters, int attempt, Instant deadline,
             Findings findings, Set<Stage> done, Stage interruptedIn, Connection lease) {
        this.id = id;
        this.patternId = patternId;
        this.trigger = trigger;
        this.parameters = parameters;
        this.attempt = attempt;
        this.deadline = deadline;
        this.findings = findings;
        this.done = done.isEmpty() ? EnumSet.noneOf(Stage.class) : EnumSet.copyOf(done);
        this.interruptedIn = interruptedIn;
        this.lease = lease;
    }

    public UUID id() {
        return id;
    }

    public UUID patternId() {
        return patternId;
    }

    public String trigger() {
        return trigger;
    }

    public WorkflowParameters parameters() {
        return parameters;
    }

    /** 1 for the first run; more when the workflow was resumed after its instance stopped or died. */
    public int attempt() {
        return attempt;
    }

    public Instant deadline() {
        return deadline;
    }

    public Findings findings() {
        return findings;
    }

    /** Whether the stage completed (or was skipped) in this or an earlier attempt. */
    public boolean done(Stage stage) {
        return done.contains(stage);
    }

    void markDone(Stage stage) {
        done.add(stage);
    }

    /** The stage an earlier attempt was running when it was interrupted (null for a first attempt). */
    public Stage interruptedIn() {
        return interruptedIn;
    }

    Connection lease() {
        return lease;
    }

    /** The stage this attempt is in, or last ran (null before the first). */
    public Stage current() {
        return current;
    }

    Instant currentStarted() {
        return currentStarted;
    }

    void enter(Stage stage, Instant at) {
        current = stage;
        currentStarted = at;
    }

    /** How long this attempt has been running. */
    long runningNanos() {
        return System.nanoTime() - begunNanos;
    }

    @Override
    public String toString() {
        return "workflow " + id + " (pattern " + patternId + ", attempt " + attempt + ")";
    }

    /**
     * What the stages found, kept with the workflow (column {@code state}) after each stage, so that a resumed
     * workflow continues with the next one: the window and the two versions compared (collect), their baselines or
     * why there is too little data (analyze), the proposals (generate), the comparisons and the decision (validate),
     * what was applied (apply).
     */
    public static final class Findings {
        public Instant windowStart;
        public Instant windowEnd;
        public UUID childNodeId;
        public Integer childVersion;
        public UUID parentNodeId;
        public Integer parentVersion;
        public UUID parentPatternId;
        public long executions;
        public long unattributed;
        public FeedbackSummary feedback;
        public Baseline parent;
        public Baseline child;
        public String insufficient;
        public Map<String, Object> counts;
        public List<UUID> proposals = new ArrayList<>();
        public boolean tested;
        public Map<Metric, Comparison> comparisons = new LinkedHashMap<>();
        public ImprovementDecision.Outcome verdict;
        public String verdictReason;
        public Metric ofRecord;
        public Double pValue;
        public Double confidence;
        public UUID rollbackProposal;
        public List<UUID> applied = new ArrayList<>();
        public UUID edgeId;

        String toJson() {
            return Json.write(this);
        }

        static Findings fromJson(String json) {
            if (json == null || json.isBlank() || json.equals("{}")) {
                return new Findings();
            }
            try {
                return Json.mapper().readValue(json, Findings.class);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("unreadable workflow state: " + e.getOriginalMessage(), e);
            }
        }
    }
}
