package dev.archon.traceability.jobs;

import java.util.Map;

/**
 * One unattended operation, the same code whether the schedule, the admin endpoint or the command line starts it.
 * A run returns its report (JSON-ready) or throws; {@code dryRun} reports what it would do and changes nothing.
 */
public interface Job {

    /** The job's name in routes, admin URLs, metrics and job_runs: daily-maintenance, health-check, ... */
    String name();

    Map<String, Object> run(boolean dryRun) throws Exception;
}
