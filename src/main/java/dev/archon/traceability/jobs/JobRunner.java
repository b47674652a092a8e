package dev.archon.traceability.jobs;

import dev.archon.traceability.json.Json;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The job engine: runs jobs one at a time per job across every instance on the database (a run holds a PostgreSQL
 * advisory lock for its whole duration, so a manual run and a scheduled firing never overlap either). Every run is
 * recorded in job_runs (through {@link JobRuns}) with its report or error, logged, and counted in metrics:
 * maintenance_job_runs_total{job_name,outcome}, maintenance_job_duration_seconds{job_name} and
 * maintenance_job_last_success_timestamp_seconds{job_name}; not "job", which Prometheus gives every scraped series
 * itself (its scrape config's job name), renaming a "job" of ours to exported_job.
 */
public final class JobRunner {

    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    private static final int LOCK_CLASS = 0x4a4f42; // "JOB": our advisory-lock namespace for jobs

    /** The job is running now (here or on another instance). */
    public static final class AlreadyRunningException extends Exception {
        public AlreadyRunningException(String job) {
            super("job " + job + " is running; wait for it to finish");
        }
    }

    private final DataSource dataSource;
    private final JobRuns history;
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private final String instance;
    private final Clock clock;
    private final MeterRegistry meters;
    private final ExecutorService background;
    private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();

    public JobRunner(DataSource dataSource, JobRuns history, Collection<Job> jobs, String instance, Clock clock,
                     MeterRegistry meters, ExecutorService background) {
        this.dataSource = dataSource;
        this.history = history;
        jobs.forEach(j -> this.jobs.put(j.name(), j));
        this.instance = instance;
        this.clock = clock;
        this.meters = meters;
        this.background = background;
        this.jobs.keySet().forEach(this::registerSeries);
    }

    /** The job's last-success gauge, registered on first use. */
    private AtomicLong lastSuccessOf(String job) {
        return lastSuccess.computeIfAbsent(job, name -> {
            AtomicLong at = new AtomicLong();
            Gauge.builder("maintenance_job_last_success_timestamp_seconds", at, AtomicLong::get)
                    .description("When the job last succeeded (Unix seconds; 0 = not since start)")
                    .tag("job_name", name).register(meters);
            return at;
        });
    }

    /**
     * Adds a job of a domain configured after the engine and its maintenance jobs (the feedback loop's schedule);
     * called while the service is configured, before anything runs.
     */
    public void add(Job job) {
        jobs.put(job.name(), job);
        registerSeries(job.name());
    }

    /** Every series of a job exists from the first scrape, at zero. */
    private void registerSeries(String job) {
        lastSuccessOf(job);
        for (String outcome : List.of("succeeded", "failed", "skipped")) {
            counter(job, outcome);
        }
    }

    public Collection<String> jobNames() {
        return jobs.keySet();
    }

    public boolean knows(String job) {
        return jobs.containsKey(job);
    }

    /**
     * Runs the job on the calling thread (schedule, command line). When it is already running elsewhere the run is
     * recorded as skipped. Returns the recorded run.
     */
    public Map<String, Object> runNow(String job, String trigger, boolean dryRun) throws SQLException {
        return runOnce(require(job), trigger, dryRun);
    }

    /**
     * The same for a job made for one run (a restore of a given dump), recorded under its name. (Not an overload of
     * runNow: the routes call runNow by name, and Camel's bean binding must find one method.)
     */
    public Map<String, Object> runOnce(Job j, String trigger, boolean dryRun) throws SQLException {
        String job = j.name();
        Lock lock = Lock.tryAcquire(dataSource, key(job));
        if (lock == null) {
            UUID id = UUID.randomUUID();
            Instant now = clock.instant();
            history.insert(id, job, instance, trigger, dryRun, now, "skipped");
            finish(id, "skipped", Map.of("reason", "already running"), null);
            count(job, "skipped");
            LOG.info("Job {} ({}) skipped: already running", job, trigger);
            return history.run(id);
        }
        try (lock) {
            return history.run(execute(j, trigger, dryRun, newRun(job, trigger, dryRun)));
        }
    }

    /** Starts the job in the background (admin HTTP): its run id, or AlreadyRunningException at once. */
    public UUID start(String job, boolean dryRun) throws AlreadyRunningException, SQLException {
        return startOnce(require(job), dryRun);
    }

    /** The same for a job made for one run. */
    public UUID startOnce(Job j, boolean dryRun) throws AlreadyRunningException, SQLException {
        String job = j.name();
        Lock lock = Lock.tryAcquire(dataSource, key(job));
        if (lock == null) {
            throw new AlreadyRunningException(job);
        }
        UUID id;
        try {
            id = newRun(job, "http", dryRun);
        } catch (SQLException | RuntimeException e) {
            lock.close();
            throw e;
        }
        background.submit(() -> {
            try (lock) {
                execute(j, "http", dryRun, id);
            } catch (Exception e) {
                LOG.error("Job {} run {} could not be recorded", job, id, e);
            }
            return null;
        });
        return id;
    }

    private UUID newRun(String job, String trigger, boolean dryRun) throws SQLException {
        history.markInterrupted(job);
        UUID id = UUID.randomUUID();
        history.insert(id, job, instance, trigger, dryRun, clock.instant(), "running");
        return id;
    }

    private UUID execute(Job j, String trigger, boolean dryRun, UUID id) throws SQLException {
        try (MDC.MDCCloseable ignored = MDC.putCloseable("correlation_id", id.toString())) { // the run id
            return executeLogged(j, trigger, dryRun, id);
        }
    }

    private UUID executeLogged(Job j, String trigger, boolean dryRun, UUID id) throws SQLException {
        long t0 = System.nanoTime();
        LOG.info("Job {} started ({}{}), run {}", j.name(), trigger, dryRun ? ", dry run" : "", id);
        try {
            Map<String, Object> report = j.run(dryRun);
            finish(id, "succeeded", report, null);
            count(j.name(), "succeeded");
            lastSuccessOf(j.name()).set(clock.instant().getEpochSecond());
            LOG.info("Job {} succeeded in {} ms: {}", j.name(), (System.nanoTime() - t0) / 1_000_000,
                    Json.write(report));
        } catch (Exception e) {
            finish(id, "failed", null, String.valueOf(e.getMessage() != null ? e.getMessage() : e));
            count(j.name(), "failed");
            LOG.error("Job {} failed: {}", j.name(), e.getMessage(), e);
        } finally {
            Timer.builder("maintenance_job_duration").tag("job_name", j.name()).register(meters)
                    .record(Duration.ofNanos(System.nanoTime() - t0));
        }
        return id;
    }

    /** The recorded runs: job_runs. */
    public JobRuns history() {
        return history;
    }

    private void finish(UUID id, String status, Map<String, Object> report, String error) throws SQLException {
        history.finish(id, clock.instant(), status, report, error);
    }

    private Job require(String job) {
        Job j = jobs.get(job);
        if (j == null) {
            throw new IllegalArgumentException("no job '" + job + "'; jobs: " + String.join(", ", jobs.keySet()));
        }
        return j;
    }

    private void count(String job, String outcome) {
        counter(job, outcome).increment();
    }

    private Counter counter(String job, String outcome) {
        return Counter.builder("maintenance_job_runs").description("Job runs by outcome").tag("job_name", job)
                .tag("outcome", outcome).register(meters);
    }

    private static int key(String job) {
        return job.hashCode();
    }

    /** A session-level advisory lock on a connection of its own, held until closed. */
    private static final class Lock implements AutoCloseable {
        private final Connection connection;
        private final int key;

        private Lock(Connection connection, int key) {
            this.connection = connection;
            this.key = key;
        }

        static Lock tryAcquire(DataSource dataSource, int key) throws SQLException {
            Connection c = dataSource.getConnection();
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
                ps.setInt(1, LOCK_CLASS);
                ps.setInt(2, key);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return new Lock(c, key);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                c.close();
                throw e;
            }
            c.close();
            return null;
        }

        @Override
        public void close() throws SQLException {
            try (Connection c = connection; PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
                ps.setInt(1, LOCK_CLASS);
                ps.setInt(2, key);
                ps.executeQuery().close();
            }
        }
    }
}
