package dev.archon.traceability.jobs;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * When jobs run: each job's switch and cron (traceability.jobs.&lt;job&gt;.enabled/.cron, read by the routes in
 * routes/maintenance.yaml), its next firing, and the Quartz configuration behind them: the JDBC job store in the service's own database (the
 * qrtz_* tables of migration V3), clustered, taking its connections from the service's pool. With several instances
 * on one database each firing runs on exactly one of them, a stateful job never overlaps itself, and when an
 * instance dies another takes its schedule over after about {@code checkinIntervalMillis} plus Quartz's fixed 7.5 s
 * grace (measured: 8 to 9 s with a 1 s check-in).
 */
public final class JobSchedules {

    /** The Quartz group of the job triggers: the routes' {@code quartz://maintenance/<job>}. */
    static final String GROUP = "maintenance";

    /** What the schedule says of a job: enabled, cron, next firing (null when not scheduled). */
    public record Schedule(boolean enabled, String cron, String nextFire) {
    }

    private final Function<String, String> settings;
    private final Supplier<Scheduler> scheduler;

    /**
     * @param settings  a setting's value by key (the job switches and crons)
     * @param scheduler the running Quartz scheduler, or null before it starts
     */
    public JobSchedules(Function<String, String> settings, Supplier<Scheduler> scheduler) {
        this.settings = settings;
        this.scheduler = scheduler;
    }

    public Schedule schedule(String job) {
        String next = null;
        Scheduler s = scheduler.get();
        try {
            Trigger trigger = s == null ? null : s.getTrigger(new TriggerKey(job, GROUP));
            if (trigger != null && trigger.getNextFireTime() != null) {
                next = trigger.getNextFireTime().toInstant().toString();
            }
        } catch (SchedulerException e) {
            next = null; // reported as not scheduled
        }
        return new Schedule(Boolean.parseBoolean(settings.apply("traceability.jobs." + job + ".enabled")),
                settings.apply("traceability.jobs." + job + ".cron"), next);
    }

    public static Map<String, Object> quartzProperties(DataSource dataSource, String schedulerName,
                                                       long checkinIntervalMillis, int threads) {
        // one provider name per pool: Quartz's connection manager is JVM-wide, and tests run several services in one JVM
        String provider = "traceability-" + System.identityHashCode(dataSource);
        DBConnectionManager.getInstance().addConnectionProvider(provider, new ConnectionProvider() {
            @Override
            public Connection getConnection() throws SQLException {
                return dataSource.getConnection();
            }

            @Override
            public void shutdown() {
                // the pool belongs to the service and closes with it
            }

            @Override
            public void initialize() {
                // nothing: the pool is already open
            }
        });
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("org.quartz.scheduler.instanceName", schedulerName);
        p.put("org.quartz.scheduler.instanceId", "AUTO");
        p.put("org.quartz.scheduler.skipUpdateCheck", "true");
        // the scheduler as an MBean (quartz:type=QuartzScheduler): the console's Quartz tab fires a job's trigger now
        p.put("org.quartz.scheduler.jmx.export", "true");
        p.put("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        p.put("org.quartz.threadPool.threadCount", String.valueOf(threads));
        p.put("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.put("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.put("org.quartz.jobStore.dataSource", provider);
        p.put("org.quartz.jobStore.tablePrefix", "qrtz_");
        p.put("org.quartz.jobStore.isClustered", "true");
        p.put("org.quartz.jobStore.clusterCheckinInterval", String.valueOf(checkinIntervalMillis));
        // a firing more than 5 s late counts as missed, and a cron trigger then fires once, not once per missed
        // second (after a takeover, or a 02:00 backup when every instance was down at 02:00)
        p.put("org.quartz.jobStore.misfireThreshold", "5000");
        return p;
    }
}
