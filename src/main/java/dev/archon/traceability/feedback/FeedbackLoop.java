package dev.archon.traceability.feedback;

import dev.archon.traceability.db.DatabaseFailures;
import dev.archon.traceability.errors.ErrorCode;
import dev.archon.traceability.errors.Problem;
import dev.archon.traceability.errors.ProblemException;
import dev.archon.traceability.feedback.ImprovementApplier.Applied;
import dev.archon.traceability.feedback.Proposals.Proposal;
import dev.archon.traceability.feedback.Workflow.Findings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The feedback loop's workflows: started by POST /api/feedback-loop/trigger or the schedule, queued to the workflow
 * route of routes/feedback-loop.yaml, whose steps are this class's methods: {@link #begin}, then one method per
 * stage ({@link #collect} ... {@link #track}), {@link #failed} on an exception and {@link #release} at the end.
 * <p>
 * A workflow is a row first (feedback_workflows: at most one running per pattern across instances, by a unique
 * index) and only then a message, so nothing of it lives only in memory. A worker runs it under a lease: a session
 * advisory lock on a connection of its own, held for the whole run, on which every stage runs in a transaction of
 * its own; the stage's effects, its record and the workflow's state commit together, so a stage either happened or
 * did not. Each stage's statements are bounded by the time left before the workflow's deadline (statement_timeout),
 * so a stuck workflow ends as {@code workflow_timeout} at its deadline. When the service stops, running statements
 * are cancelled and the workflows are left running with no lease; the sweep (every instance, every
 * traceability.feedback.sweep-interval, and at start) queues any running workflow nobody holds, and a worker resumes
 * it after its last finished stage, with a new deadline, up to traceability.feedback.max-attempts attempts; after
 * that it is failed with the reason.
 */
public final class FeedbackLoop {

    private static final Logger LOG = LoggerFactory.getLogger(FeedbackLoop.class);

    /** The exchange property the workflow route keeps its workflow in (for the failure and release steps). */
    public static final String WORKFLOW = "feedbackWorkflow";

    /** How the loop runs, from traceability.feedback.*. */
    public record Config(Duration timeout, int maxAttempts, Duration sweepGrace, int workerThreads,
                         WorkflowParameters defaults, String instance) {
    }

    private interface StageBody {
        WorkflowStages.Result run(Connection c, Workflow w) throws SQLException;
    }

    /** The service is stopping: the workflow is left running, to be resumed. */
    static final class StoppingException extends RuntimeException {
        StoppingException() {
            super("the service is stopping: the workflow is left for the next start (or another instance)");
        }
    }

    /** The workflow's deadline passed between stages. */
    static final class DeadlineException extends RuntimeException {
        DeadlineException(Stage stage) {
            super("deadline passed before stage " + stage.wireName());
        }
    }

    private final DataSource dataSource;
    private final Workflows workflows;
    private final WorkflowStages stages;
    private final FeedbackLoopMetrics metrics;
    private final Clock clock;
    private final Config config;
    private final Supplier<Map<String, Object>> schedule;
    private final Set<UUID> queued = ConcurrentHashMap.newKeySet();
    private final Map<UUID, Workflow> running = new ConcurrentHashMap<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private volatile Consumer<UUID> queue = id -> {
        throw new IllegalStateException("the workflow route is not started");
    };

    public FeedbackLoop(DataSource dataSource, Workflows workflows, ImprovementRules.Thresholds thresholds,
                        FeedbackLoopMetrics metrics, Clock clock, Config config,
                        Supplier<Map<String, Object>> schedule) {
        this.dataSource = dataSource;
        this.workflows = workflows;
        this.stages = new WorkflowStages(thresholds, clock);
        this.metrics = metrics;
        this.clock = clock;
        this.config = config;
        this.schedule = schedule;
    }

    /** Where workflows are queued: the workflow route's endpoint (set once the routes exist). */
    public void queueTo(Consumer<UUID> queue) {
        this.queue = queue;
    }

    public WorkflowParameters defaults() {
        return config.defaults();
    }

    // ----------------------------------------------------------------------------------------------- starting

    /**
     * POST /api/feedback-loop/trigger: records the workflow and queues it; its id. 404 INVALID_PATTERN_ID for a
     * pattern with no version; 409 WORKFLOW_RUNNING, naming the running workflow, when the pattern has one.
     */
    public UUID trigger(UUID patternId, WorkflowParameters parameters) throws SQLException {
        if (!patternExists(patternId)) {
            throw new ProblemException(Problem.notFound(ErrorCode.INVALID_PATTERN_ID, "pattern_id",
                    "no pattern " + patternId));
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<UUID> id = start(patternId, "http", parameters);
            if (id.isPresent()) {
                return id.get();
            }
            UUID runningId = workflows.runningFor(patternId);
            if (runningId != null) {
                throw new ProblemException(ErrorCode.WORKFLOW_RUNNING, "pattern_id", "a workflow is already running"
                        + " for pattern " + patternId + ": " + runningId + " (GET /api/feedback-loop/status/"
                        + runningId + ")");
            }
            // it ended between our insert and our look: try again
        }
        throw new IllegalStateException("could not start a workflow for pattern " + patternId);
    }

    /** Records and queues a workflow; empty when the pattern has one running (the schedule skips it then). */
    public Optional<UUID> start(UUID patternId, String trigger, WorkflowParameters parameters) throws SQLException {
        UUID id = UUID.randomUUID();
        if (!workflows.insert(id, patternId, trigger, parameters, clock.instant())) {
            return Optional.empty();
        }
        enqueue(id);
        return Optional.of(id);
    }

    private void enqueue(UUID id) {
        if (!queued.add(id)) {
            return;
        }
        try {
            queue.accept(id);
        } catch (RuntimeException e) {
            // recorded as running with no lease: the sweep queues it again
            queued.remove(id);
            logged(id, () -> LOG.warn("Workflow {} not queued now ({}); the sweep will queue it", id, e.getMessage()));
        }
    }

    private boolean patternExists(UUID patternId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT EXISTS (SELECT 1 FROM lineage_nodes WHERE pattern_id = ?)")) {
            ps.setObject(1, patternId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * Queues the running workflows that no worker holds (their instance stopped or died; or queued on an instance
     * whose workers are busy, for longer than a sweep interval): the timer route of routes/feedback-loop.yaml.
     */
    public int sweep() {
        if (stopping.get()) {
            return 0;
        }
        int n = 0;
        try {
            for (UUID id : workflows.unleased(clock.instant().minus(config.sweepGrace()), 100)) {
                if (!queued.contains(id) && !running.containsKey(id)) {
                    enqueue(id);
                    n++;
                }
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Feedback-loop sweep failed: {}", e.getMessage());
        }
        return n;
    }

    // ----------------------------------------------------------------------------------------------- the route

    /**
     * The workflow route's first step: takes the workflow's lease and starts an attempt. Null (the route does
     * nothing more) when another worker holds it, it is no longer running, or the service is stopping. A workflow
     * interrupted more than traceability.feedback.max-attempts times is failed here, with the reason.
     */
    public Workflow begin(UUID id, Exchange exchange) throws SQLException {
        queued.remove(id);
        if (stopping.get()) {
            return null;
        }
        Connection lease = dataSource.getConnection();
        try {
            if (!Workflows.tryLease(lease, id)) {
                lease.close();
                return null;
            }
            Instant now = clock.instant();
            Workflows.Taken taken = Workflows.take(lease, id, config.instance(), now, now.plus(config.timeout()));
            if (taken == null || taken.attempts() > config.maxAttempts()) {
                if (taken != null) {
                    String error = "interrupted " + (taken.attempts() - 1) + " times (last in stage "
                            + (taken.interruptedIn() == null ? "queued" : taken.interruptedIn().wireName())
                            + "): not resumed again (traceability.feedback.max-attempts = " + config.maxAttempts()
                            + ")";
                    if (Workflows.end(lease, id, Workflows.FAILED, error, now)) {
                        metrics.ended(Workflows.FAILED, 0);
                        logged(id, () -> LOG.warn("Workflow {} failed: {}", id, error));
                    }
                }
                Workflows.releaseLease(lease, id);
                lease.close();
                return null;
            }
            Workflow w = new Workflow(id, taken.patternId(), taken.trigger(), taken.parameters(), taken.attempts(),
                    now.plus(config.timeout()), Findings.fromJson(taken.stateJson()), taken.done(),
                    taken.interruptedIn(), lease);
            exchange.setProperty(WORKFLOW, w);
            running.put(id, w);
            if (taken.attempts() > 1) {
                logged(id, () -> LOG.info("Resuming workflow {} of pattern {} (attempt {}, interrupted in stage {})",
                        id, w.patternId(), taken.attempts(), taken.interruptedIn() == null ? "queued"
                                : taken.interruptedIn().wireName()));
            }
            return w;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(lease);
            throw e;
        }
    }

    public Workflow collect(Workflow w) throws Exception {
        return stage(w, Stage.COLLECT, stages::collect);
    }

    public Workflow analyze(Workflow w) throws Exception {
        return stage(w, Stage.ANALYZE, stages::analyze);
    }

    public Workflow generate(Workflow w) throws Exception {
        return stage(w, Stage.GENERATE, stages::generate);
    }

    public Workflow validate(Workflow w) throws Exception {
        return stage(w, Stage.VALIDATE, stages::validate);
    }

    public Workflow apply(Workflow w) throws Exception {
        return stage(w, Stage.APPLY, stages::apply);
    }

    public Workflow track(Workflow w) throws Exception {
        return stage(w, Stage.TRACK, stages::track);
    }

    /** One stage in one transaction on the lease, bounded by the time left; skipped when an earlier attempt did it. */
    private Workflow stage(Workflow w, Stage stage, StageBody body) throws Exception {
        if (w.done(stage)) {
            return w;
        }
        if (stopping.get()) {
            throw new StoppingException();
        }
        Instant started = clock.instant();
        w.enter(stage, started);
        long left = Duration.between(started, w.deadline()).toMillis();
        if (left <= 0) {
            throw new DeadlineException(stage);
        }
        Connection c = w.lease();
        Workflows.stageStarted(c, w, stage, started);
        long t0 = System.nanoTime();
        WorkflowStages.Result result;
        c.setAutoCommit(false);
        try {
            try (PreparedStatement ps = c.prepareStatement("SELECT set_config('statement_timeout', ?, true)")) {
                ps.setString(1, String.valueOf(Math.max(1, Duration.between(clock.instant(), w.deadline())
                        .toMillis())));
                ps.executeQuery().close();
            }
            result = body.run(c, w);
            if (!Workflows.stageEnded(c, w, stage, result.status(), started, clock.instant(), result.figures(),
                    result.finalStatus(), result.results(), null)) {
                throw new IllegalStateException("workflow " + w.id() + " is no longer running");
            }
            c.commit();
        } catch (Exception e) {
            rollbackQuietly(c);
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
        w.markDone(stage);
        metrics.stage(stage, System.nanoTime() - t0);
        if (result.finalStatus() != null) {
            metrics.ended(result.finalStatus(), w.runningNanos());
            logged(w.id(), () -> LOG.info("Workflow {} of pattern {} ended {} in {} ms: {}", w.id(), w.patternId(),
                    result.finalStatus(), w.runningNanos() / 1_000_000, result.results().get("reason")));
        }
        return w;
    }

    /**
     * The workflow route's failure step. Stopping, or the database gone: the workflow stays running with no lease,
     * for the sweep to resume. The deadline passed (a statement cancelled by its timeout, or no time left for the
     * next stage): {@code workflow_timeout}. Anything else: {@code failed}, with the stage and the error.
     */
    public void failed(Exchange exchange) {
        Workflow w = exchange.getProperty(WORKFLOW, Workflow.class);
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (w == null) {
            LOG.warn("A workflow could not be started: {}", e == null ? "?" : e.getMessage());
            return;
        }
        logged(w.id(), () -> recordFailure(w, e));
    }

    private void recordFailure(Workflow w, Throwable e) {
        Instant now = clock.instant();
        Stage stage = w.current() == null ? Stage.COLLECT : w.current();
        boolean timedOut = !stopping.get() && (e instanceof DeadlineException || DatabaseFailures.isCancelled(e)
                || !now.isBefore(w.deadline()));
        if (!timedOut && (stopping.get() || DatabaseFailures.isUnavailable(e))) {
            LOG.info("Workflow {} left running in stage {} for the next start or another instance: {}", w.id(),
                    stage.wireName(), e == null ? "stopping" : e.getMessage());
            return;
        }
        String status = timedOut ? Workflows.WORKFLOW_TIMEOUT : Workflows.FAILED;
        String error = timedOut
                ? "WORKFLOW_TIMEOUT: stage " + stage.wireName() + " did not finish within the workflow timeout of "
                + config.timeout().toSeconds() + " s (traceability.feedback.workflow-timeout)"
                : "stage " + stage.wireName() + " failed: " + (e == null ? "?" : String.valueOf(e.getMessage()));
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("error", error);
        try {
            Map<String, Object> results = WorkflowStages.results(w, Proposals.ofWorkflow(w.lease(), w.id()));
            results.put("outcome", status);
            results.put("reason", error);
            if (Workflows.stageEnded(w.lease(), w, stage, timedOut ? "timed_out" : "failed",
                    w.currentStarted() == null ? now : w.currentStarted(), now, figures, status, results, error)) {
                metrics.ended(status, w.runningNanos());
            }
            if (timedOut) {
                LOG.warn("Workflow {} of pattern {}: {}", w.id(), w.patternId(), error);
            } else {
                LOG.error("Workflow {} of pattern {} failed in stage {}", w.id(), w.patternId(), stage.wireName(), e);
            }
        } catch (SQLException | RuntimeException recording) {
            LOG.warn("Workflow {} ended {} but could not be recorded ({}); the sweep will take it up", w.id(), status,
                    recording.getMessage());
        }
    }

    /** A log line about a workflow carries its id as the correlation id (the id of the events it writes too). */
    private static void logged(UUID workflow, Runnable log) {
        String outer = MDC.get("correlation_id"); // a job run's, when the feedback-loop job queues workflows
        MDC.put("correlation_id", workflow.toString());
        try {
            log.run();
        } finally {
            if (outer == null) {
                MDC.remove("correlation_id");
            } else {
                MDC.put("correlation_id", outer);
            }
        }
    }

    /** The workflow route's last step, whatever happened: gives the lease back. */
    public void release(Exchange exchange) {
        Workflow w = exchange.getProperty(WORKFLOW, Workflow.class);
        if (w == null) {
            return;
        }
        running.remove(w.id());
        Connection lease = w.lease();
        try {
            Workflows.releaseLease(lease, w.id());
        } catch (SQLException | RuntimeException e) {
            LOG.debug("lease of {} released with its connection: {}", w.id(), e.getMessage());
        } finally {
            closeQuietly(lease);
        }
    }

    /**
     * The service is stopping: no workflow starts any more, and running statements are cancelled so the workers let
     * go at once (their workflows stay running, resumed at the next start or by another instance).
     */
    public void stopping() {
        stopping.set(true);
        for (Workflow w : running.values()) {
            try {
                w.lease().unwrap(PGConnection.class).cancelQuery();
            } catch (SQLException | RuntimeException e) {
                LOG.debug("could not cancel {}: {}", w, e.getMessage());
            }
        }
    }

    // ----------------------------------------------------------------------------------------------- review

    /**
     * POST /api/feedback-loop/proposals/{id}/apply (or /reject): a proposal applied as the apply stage would have
     * (the same {@link ImprovementApplier}), or rejected. Applying an applied proposal (or rejecting a rejected one)
     * answers what was done; applying a rejected one or rejecting an applied one is 409 PROPOSAL_DECIDED; a proposal
     * whose workflow still runs is 409 WORKFLOW_RUNNING.
     */
    public Map<String, Object> review(UUID proposalId, boolean apply, String note) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Proposal p = Proposals.lock(c, proposalId);
                if (p == null) {
                    throw new ProblemException(Problem.notFound(ErrorCode.NOT_FOUND, "proposal_id",
                            "no proposal " + proposalId));
                }
                if (workflowRunning(c, p.workflowId())) {
                    throw new ProblemException(ErrorCode.WORKFLOW_RUNNING, "proposal_id", "its workflow "
                            + p.workflowId() + " is still running; review it once it ended");
                }
                Instant now = clock.instant();
                Map<String, Object> answer = new LinkedHashMap<>();
                if (apply) {
                    if (p.status().equals(Proposals.REJECTED)) {
                        throw decided(p, "apply");
                    }
                    if (p.status().equals(Proposals.APPLIED)) {
                        answer.put("already_applied", true);
                    } else {
                        Applied a = ImprovementApplier.apply(c, p, "review", now);
                        Proposals.applied(c, p.id(), a.edgeId(), "review", note != null ? note
                                : a.alreadyApplied() ? "already applied (edge " + a.edgeId() + "): nothing written"
                                : "applied on review", now);
                        answer.put("already_applied", a.alreadyApplied());
                        answer.put("lineage_event_id", a.eventId());
                    }
                } else {
                    if (p.status().equals(Proposals.APPLIED)) {
                        throw decided(p, "reject");
                    }
                    if (!p.status().equals(Proposals.REJECTED)) {
                        Proposals.rejected(c, p.id(), note != null ? note : "rejected on review", now);
                    }
                }
                Proposal after = Proposals.lock(c, proposalId);
                c.commit();
                answer.put("proposal", after.asMap());
                return answer;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        }
    }

    private static ProblemException decided(Proposal p, String action) {
        return new ProblemException(ErrorCode.PROPOSAL_DECIDED, "proposal_id", "cannot " + action + " proposal "
                + p.id() + ": it was " + p.status() + " (" + p.decidedBy() + (p.note() == null ? ""
                : ": " + p.note()) + "); a new workflow tests the versions again");
    }

    private static boolean workflowRunning(Connection c, UUID workflowId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT status = 'running' FROM feedback_workflows"
                + " WHERE workflow_id = ?")) {
            ps.setObject(1, workflowId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    // ----------------------------------------------------------------------------------------------- reading

    /** GET /api/feedback-loop/status: the running workflows (every instance's) and the latest finished ones. */
    public Map<String, Object> status(int recent) throws SQLException {
        Instant now = clock.instant();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("active_workflows", workflows.active(now, 1000));
        m.put("recent_workflows", workflows.recent(now, recent));
        m.put("workers", workers());
        return m;
    }

    /** GET /api/feedback-loop/status/{id}; 404 NOT_FOUND for an unknown workflow. */
    public Map<String, Object> workflow(UUID id) throws SQLException {
        Map<String, Object> w = workflows.one(id, clock.instant());
        if (w == null) {
            throw new ProblemException(Problem.notFound(ErrorCode.NOT_FOUND, "workflow_id", "no workflow " + id));
        }
        return w;
    }

    private Map<String, Object> workers() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("instance", config.instance());
        m.put("threads", config.workerThreads());
        m.put("busy", running.size());
        m.put("queued", queued.size());
        m.put("stopping", stopping.get());
        return m;
    }

    /**
     * The loop's component of /api/feedback-loop/health: this instance's workers, the running workflows of every
     * instance and the oldest one's age, the last failure, the schedule. Degraded when a workflow has been running
     * for more than twice the workflow timeout (stuck, or a backlog the workers do not keep up with).
     */
    public Map<String, Object> health() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "healthy");
        m.put("workers", workers());
        try {
            Map<String, Object> figures = workflows.health(clock.instant());
            m.putAll(figures);
            Object oldest = figures.get("oldest_active_age_seconds");
            if (oldest instanceof Double age && age > 2 * config.timeout().toSeconds()) {
                m.put("status", "degraded");
                m.put("reason", "a workflow has been running for " + Math.round(age) + " s, more than twice the"
                        + " workflow timeout");
            }
        } catch (SQLException | RuntimeException e) {
            m.put("status", "degraded");
            m.put("error", "workflows unreadable: " + e.getMessage());
        }
        m.put("workflow_timeout_seconds", config.timeout().toSeconds());
        m.put("schedule", schedule.get());
        return m;
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is gone; so is the transaction
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing more to give back
        }
    }
}
