package dev.archon.traceability.config;

import dev.archon.traceability.backup.BackupAudit;
import dev.archon.traceability.backup.BackupFiles;
import dev.archon.traceability.backup.BackupJob;
import dev.archon.traceability.backup.PgClient;
import dev.archon.traceability.backup.Restores;
import dev.archon.traceability.db.Database;
import dev.archon.traceability.db.Partitions;
import dev.archon.traceability.feedback.Workflows;
import dev.archon.traceability.health.DatabaseProbe;
import dev.archon.traceability.health.HealthService;
import dev.archon.traceability.jobs.Job;
import dev.archon.traceability.jobs.JobRunner;
import dev.archon.traceability.jobs.JobRuns;
import dev.archon.traceability.maintenance.ArchivalJob;
import dev.archon.traceability.maintenance.DailyMaintenanceJob;
import dev.archon.traceability.maintenance.HealthCheckJob;
import dev.archon.traceability.maintenance.WeeklyMaintenanceJob;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/**
 * The jobs the engine runs: daily and weekly maintenance, archival, backup, health check (maintenance and backup
 * packages), and restores made on request. Jobs run on the maintenance pool, which has no statement timeout.
 */
public final class MaintenanceConfiguration implements CamelConfiguration {

    @BindToRegistry
    public Restores restores(Database database, PgClient pg, BackupFiles backups) {
        return new Restores(database.maintenanceDataSource(), pg, backups);
    }

    @BindToRegistry
    public JobRunner jobRunner(Database database, JobRuns jobRuns, PgClient pg, BackupFiles backups,
                               BackupAudit audit, DatabaseProbe probe, HealthService health, Settings settings,
                               Clock clock, CamelContext context) throws Exception {
        MeterRegistry meters = CoreConfiguration.meters(context);
        DataSource maintenance = database.maintenanceDataSource();
        int monthsAhead = settings.integer("traceability.db.partitions.months-ahead");
        BackupJob backup = new BackupJob(maintenance, pg, backups, settings.duration("traceability.backup.retention"),
                clock, meters);
        List<Job> jobs = List.of(
                new DailyMaintenanceJob(maintenance, historyTrims(maintenance, jobRuns, settings), meters,
                        () -> Partitions.ensure(maintenance, clock, 1, monthsAhead)),
                new WeeklyMaintenanceJob(maintenance),
                new ArchivalJob(maintenance, clock, settings.duration("traceability.archival.retention"),
                        settings.integer("traceability.archival.batch-size"), meters),
                backup,
                new HealthCheckJob(probe, health, audit, backup::readNewestVerifiedDump, database.dataSource(),
                        meters));
        ExecutorService background = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "maintenance-job");
            t.setDaemon(true);
            return t;
        });
        Lifecycle.closeOnStop(context, background::shutdownNow);
        return new JobRunner(database.dataSource(), jobRuns, jobs, instanceName(settings), clock, meters, background);
    }

    /** The history tables the daily maintenance trims, each by its owner, in the order of the job's report. */
    private static Map<String, Callable<Integer>> historyTrims(DataSource maintenance, JobRuns jobRuns,
                                                               Settings settings) {
        Duration jobHistory = settings.duration("traceability.jobs.history-retention");
        Duration workflowHistory = settings.duration("traceability.feedback.history-retention");
        Workflows workflows = new Workflows(maintenance);
        Map<String, Callable<Integer>> trims = new LinkedHashMap<>();
        trims.put("job_runs", () -> jobRuns.deleteOlderThan(jobHistory));
        trims.put("feedback_workflows", () -> workflows.deleteFinishedOlderThan(workflowHistory));
        return trims;
    }

    /** This instance's name in job_runs, feedback_workflows and logs: traceability.instance.name, else host:pid. */
    static String instanceName(Settings settings) {
        return settings.optional("traceability.instance.name")
                .orElseGet(() -> hostName() + ":" + ProcessHandle.current().pid());
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
