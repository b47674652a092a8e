package dev.archon.traceability.ingest;

import dev.archon.traceability.db.DatabaseFailures;
import dev.archon.traceability.errors.DatabaseUnavailableException;
import dev.archon.traceability.errors.ErrorCode;
import dev.archon.traceability.errors.ProblemException;
import dev.archon.traceability.executions.HookExecution;
import dev.archon.traceability.executions.HookExecutionStore;
import dev.archon.traceability.lineage.EventType;
import dev.archon.traceability.lineage.LineageEvent;
import dev.archon.traceability.lineage.LineageStore;
import dev.archon.traceability.lineage.LineageTracker.Outcome;
import dev.archon.traceability.lineage.PatternSummaries;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: every submission (an HTTP request, a slice of an inbox file) waits in one queue; a single writer
 * takes everything waiting, up to {@code maxBatch} items, and commits it in one transaction. A future completes
 * only after its rows are committed and the pattern summaries they change are refreshed (by a large batch: after the
 * commit, by {@link PatternSummaries}, while this writer commits the next batch), so a 2xx answer means durable and
 * searchable. Under load, batches grow and the cost of a commit is shared; when idle, a lone event commits at once.
 * One writer per instance also gives one order in which versions are numbered; across instances the patterns'
 * advisory locks do that.
 */
public final class GroupCommitWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final int RETRIES = 3;

    /** What a submission stored: one outcome per lineage event, and per execution whether it was new. */
    public record Result(List<Outcome> lineage, List<Boolean> executionsStored) {
    }

    /** A committed transaction: each submission's result, and the pattern summaries it left to refresh. */
    private record Committed(List<Result> results, Long pendingSummaries) {
    }

    private record Pending(List<LineageEvent> events, List<HookExecution> executions,
                           CompletableFuture<Result> future, long enqueuedNanos) {
        int size() {
            return events.size() + executions.size();
        }
    }

    private final DataSource dataSource;
    private final LineageStore lineage;
    private final PatternSummaries summaries;
    private final HookExecutionStore executions;
    private final IngestMetrics metrics;
    private final int maxBatch;
    private final BlockingQueue<Pending> queue;
    private final Duration maxWait;
    private final Thread writer;
    private volatile boolean running = true;
    private final List<Consumer<Set<UUID>>> executionListeners = new CopyOnWriteArrayList<>();

    public GroupCommitWriter(DataSource dataSource, LineageStore lineage, PatternSummaries summaries,
                             HookExecutionStore executions, IngestMetrics metrics, int maxBatch, int queueCapacity,
                             Duration maxWait) {
        this.summaries = summaries;
        this.maxWait = maxWait;
        this.dataSource = dataSource;
        this.lineage = lineage;
        this.executions = executions;
        this.metrics = metrics;
        this.maxBatch = maxBatch;
        this.queue = new LinkedBlockingQueue<>(queueCapacity);
        this.writer = new Thread(this::run, "group-commit-writer");
        this.writer.setDaemon(true); // close() drains it on an orderly stop; it must not keep a failed start alive
        this.writer.start();
        metrics.queueDepth(this);
    }

    /**
     * Queues a submission; the future completes after its commit, or exceptionally (DatabaseUnavailableException:
     * nothing stored, send again). It never waits longer than {@code maxWait}.
     */
    public CompletableFuture<Result> submit(List<LineageEvent> events, List<HookExecution> records) {
        CompletableFuture<Result> future = new CompletableFuture<>();
        if (events.isEmpty() && records.isEmpty()) {
            future.complete(new Result(List.of(), List.of()));
            return future;
        }
        synchronized (this) { // against close(): nothing is queued once the writer may have drained for the last time
            if (!running) {
                future.completeExceptionally(new DatabaseUnavailableException(
                        "the service is shutting down; send again", null));
                return future;
            }
            if (!queue.offer(new Pending(events, records, future, System.nanoTime()))) {
                future.completeExceptionally(new DatabaseUnavailableException("ingest queue full (" + queue.size()
                        + " submissions waiting for the database); send again", null));
                return future;
            }
        }
        // a submission that waits this long (the database hangs) is answered as unavailable; if it commits after
        // all, sending it again is acknowledged as a duplicate
        return future.orTimeout(maxWait.toMillis(), TimeUnit.MILLISECONDS).exceptionallyCompose(e ->
                e instanceof java.util.concurrent.TimeoutException
                        ? CompletableFuture.failedFuture(new DatabaseUnavailableException("no commit within "
                        + maxWait.toSeconds() + " s; the database is slow or unavailable; send again", e))
                        : CompletableFuture.failedFuture(e));
    }

    /**
     * Calls {@code listener} on the writer thread after each commit that stored executions, with the ids of their
     * patterns (a pattern_applied event's execution included), before any submitter of that commit is answered: so a
     * client that got its 2xx and reads back sees what it sent (analytics drop their cached answers here).
     */
    public void onExecutionsCommitted(Consumer<Set<UUID>> listener) {
        executionListeners.add(listener);
    }

    private void run() {
        try {
            drain();
        } finally {
            // whatever stopped the writer, nothing queued is left waiting
            Pending left;
            while ((left = queue.poll()) != null) {
                left.future().completeExceptionally(new DatabaseUnavailableException(
                        "the ingest writer stopped; send again", null));
            }
        }
    }

    private void drain() {
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<Pending> batch = new ArrayList<>();
                batch.add(first);
                int size = first.size();
                Pending next;
                while (size < maxBatch && (next = queue.peek()) != null && size + next.size() <= maxBatch) {
                    batch.add(queue.poll());
                    size += next.size();
                }
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                LOG.error("Group commit writer: unexpected error", e);
            }
        }
    }

    private void commit(List<Pending> batch) {
        for (int attempt = 1; ; attempt++) {
            try {
                Committed committed = transaction(batch);
                if (committed.pendingSummaries() == null) {
                    answer(batch, committed.results());
                } else {
                    summaries.afterCommit(committed.pendingSummaries(), () -> answer(batch, committed.results()));
                }
                return;
            } catch (SQLException e) {
                Optional<DatabaseUnavailableException> unavailable = DatabaseUnavailableException.of(e);
                if (unavailable.isPresent()) {
                    fail(batch, unavailable.get());
                    return;
                }
                if (DatabaseFailures.isRetryable(e) && attempt < RETRIES) {
                    continue;
                }
                if (batch.size() > 1) {
                    // one submission's rows broke the transaction: commit each alone, so the others still land
                    LOG.warn("Batch of {} submissions failed ({}); committing them one by one", batch.size(),
                            e.getMessage());
                    for (Pending p : batch) {
                        commit(List.of(p));
                    }
                } else {
                    LOG.error("Could not store a submission", e);
                    fail(batch, new ProblemException(ErrorCode.INTERNAL_ERROR, "", "could not store: "
                            + e.getMessage()));
                }
                return;
            } catch (RuntimeException | Error e) {
                // e.g. lost during the cycle check, wrapped as unchecked
                Optional<DatabaseUnavailableException> unavailable = DatabaseUnavailableException.of(e);
                if (unavailable.isPresent()) {
                    fail(batch, unavailable.get());
                    return;
                }
                if (DatabaseFailures.isRetryable(e) && attempt < RETRIES) {
                    continue;
                }
                LOG.error("Could not store a submission", e);
                if (batch.size() > 1) {
                    for (Pending p : batch) {
                        commit(List.of(p));
                    }
                } else {
                    fail(batch, e instanceof ProblemException pe ? pe
                            : new ProblemException(ErrorCode.INTERNAL_ERROR, "", "could not store: " + e));
                }
                return;
            }
        }
    }

    /** After the commit (and its summaries' refresh): listeners, metrics, then each submitter's future. */
    private void answer(List<Pending> batch, List<Result> results) {
        executionsCommitted(batch, results);
        long now = System.nanoTime();
        for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
            metrics.committed(p.events(), results.get(i), now - p.enqueuedNanos());
            p.future().complete(results.get(i));
        }
        metrics.batch(batch.stream().mapToInt(Pending::size).sum());
    }

    /** The patterns whose executions this commit stored, to the listeners; a listener's failure is only logged. */
    private void executionsCommitted(List<Pending> batch, List<Result> results) {
        if (executionListeners.isEmpty()) {
            return;
        }
        Set<UUID> patterns = new HashSet<>();
        for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
            Result r = results.get(i);
            for (int x = 0; x < p.executions().size(); x++) {
                if (r.executionsStored().get(x)) {
                    patterns.add(p.executions().get(x).patternId());
                }
            }
            for (int e = 0; e < p.events().size(); e++) {
                Outcome o = r.lineage().get(e);
                LineageEvent event = p.events().get(e);
                if (event.type() == EventType.PATTERN_APPLIED && !o.duplicate() && !o.rejected()) {
                    patterns.add(event.patternId());
                }
            }
        }
        if (patterns.isEmpty()) {
            return;
        }
        for (Consumer<Set<UUID>> listener : executionListeners) {
            try {
                listener.accept(patterns);
            } catch (RuntimeException e) {
                LOG.error("A listener of committed executions failed", e);
            }
        }
    }

    private Committed transaction(List<Pending> batch) throws SQLException {
        List<LineageEvent> allEvents = new ArrayList<>();
        List<HookExecution> allExecutions = new ArrayList<>();
        for (Pending p : batch) {
            allEvents.addAll(p.events());
            allExecutions.addAll(p.executions());
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                LineageStore.Written written = allEvents.isEmpty() ? new LineageStore.Written(List.of(), null)
                        : lineage.write(c, allEvents);
                List<Outcome> outcomes = written.outcomes();
                List<Boolean> stored = executions.write(c, allExecutions);
                c.commit();
                List<Result> results = new ArrayList<>(batch.size());
                int e = 0;
                int x = 0;
                for (Pending p : batch) {
                    results.add(new Result(outcomes.subList(e, e + p.events().size()),
                            stored.subList(x, x + p.executions().size())));
                    e += p.events().size();
                    x += p.executions().size();
                }
                return new Committed(results, written.pendingSummaries());
            } catch (SQLException | RuntimeException ex) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the connection is broken; the pool discards it
                }
                throw ex;
            }
        }
    }

    private void fail(List<Pending> batch, RuntimeException error) {
        for (Pending p : batch) {
            p.future().completeExceptionally(error);
        }
    }

    int queued() {
        return queue.size();
    }

    /** Stops taking submissions, commits what is queued, then ends the writer. */
    @Override
    public void close() throws InterruptedException {
        synchronized (this) {
            running = false;
        }
        writer.join(30_000);
    }
}
