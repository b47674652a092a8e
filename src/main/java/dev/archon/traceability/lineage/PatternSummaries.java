package dev.archon.traceability.lineage;

import dev.archon.traceability.db.DatabaseFailures;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code lineage_patterns} (one row per pattern, what pattern search reads) current after a large ingest
 * commit, beside the writer rather than inside its transaction (a small commit refreshes its own: {@link
 * LineageStore}). The writer's transaction adds one {@code lineage_patterns_pending} row naming the patterns it
 * touched (V14); after the commit it hands that row here with the answers of the commit's
 * submitters. This thread refreshes the summaries and deletes the row in one transaction on its own connection,
 * then answers: so a client that got its 2xx and searches finds what it sent, and the refresh runs on another
 * database backend (another core) while the writer commits the next batch. Commits waiting here are refreshed
 * together.
 *
 * <p>A refresh that fails (the database is unavailable) is logged and the answers still go out: the events are
 * committed. Its rows stay in {@code lineage_patterns_pending}, as do those of a process that died between the two
 * transactions; a sweep takes them at start-up and every {@code sweepInterval}. The refresh's commit does not wait
 * for its WAL flush (R__refresh_lineage_patterns.sql): one lost in a crash leaves its pending row, which the sweep
 * refreshes again.
 */
public final class PatternSummaries implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PatternSummaries.class);
    /** Commits that may wait for their refresh before the writer waits too (back pressure). */
    private static final int CAPACITY = 8;
    private static final int RETRIES = 3;
    private static final Duration POLL = Duration.ofMillis(200);
    private static final String REFRESH = "SELECT refresh_pending_lineage_patterns(?::bigint[])";

    private record Handoff(long pending, Runnable answer) {
    }

    private final DataSource dataSource;
    private final Duration sweepInterval;
    private final BlockingQueue<Handoff> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final Thread thread;
    private volatile boolean running = true;
    private boolean failing;

    public PatternSummaries(DataSource dataSource, Duration sweepInterval) {
        this.dataSource = dataSource;
        this.sweepInterval = sweepInterval;
        this.thread = new Thread(this::run, "pattern-summaries");
        this.thread.setDaemon(true); // close() drains it on an orderly stop
        this.thread.start();
    }

    /**
     * After a commit: refreshes the summaries its {@code lineage_patterns_pending} row names, then runs
     * {@code answer}. Waits while {@link #CAPACITY} commits are waiting for their refresh.
     */
    public void afterCommit(long pending, Runnable answer) {
        if (running) {
            try {
                queue.put(new Handoff(pending, answer));
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        answer.run(); // stopping: the pending row stays for the sweep at the next start
    }

    private void run() {
        long nextSweep = System.nanoTime();
        while (running || !queue.isEmpty()) {
            try {
                if (running && System.nanoTime() - nextSweep >= 0) {
                    sweep();
                    nextSweep = System.nanoTime() + sweepInterval.toNanos();
                }
                Handoff first = queue.poll(POLL.toMillis(), TimeUnit.MILLISECONDS); // a stop is noticed at once
                if (first == null) {
                    continue;
                }
                List<Handoff> group = new ArrayList<>();
                group.add(first);
                queue.drainTo(group);
                try {
                    refresh(group.stream().map(Handoff::pending).toArray(Long[]::new));
                } finally { // the events are committed: their submitters are answered whatever the refresh did
                    for (Handoff h : group) {
                        try {
                            h.answer().run();
                        } catch (RuntimeException e) {
                            LOG.error("Answering a commit's submitters failed", e);
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                LOG.error("Pattern summary refresher: unexpected error", e);
            }
        }
    }

    /** Rows left behind by a failed refresh or a process that died, oldest first, 100 per transaction. */
    private void sweep() {
        int taken;
        do {
            taken = refresh(null);
        } while (taken > 0 && running);
    }

    /** Refreshes the summaries the rows name (all left behind: {@code null}); returns the rows taken, -1 on failure. */
    private int refresh(Long[] pending) {
        for (int attempt = 1; ; attempt++) {
            // one statement, one transaction, one round trip
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(REFRESH)) {
                c.setAutoCommit(true);
                ps.setArray(1, pending == null ? null : c.createArrayOf("int8", pending));
                int taken;
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    taken = rs.getInt(1);
                }
                if (failing) {
                    failing = false;
                    LOG.info("Pattern summaries are refreshed again");
                }
                return taken;
            } catch (SQLException e) {
                if (DatabaseFailures.isRetryable(e) && attempt < RETRIES) {
                    continue;
                }
                if (!failing) {
                    failing = true;
                    LOG.warn("Could not refresh pattern summaries (pattern search lags until the next sweep, in {}):"
                            + " {}", sweepInterval, e.getMessage());
                }
                return -1;
            }
        }
    }

    /** Refreshes what is waiting, answers it, then ends the thread. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(30_000);
    }
}
