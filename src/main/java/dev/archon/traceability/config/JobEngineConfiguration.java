package dev.archon.traceability.config;

import dev.archon.traceability.db.Database;
import dev.archon.traceability.jobs.JobRuns;
import dev.archon.traceability.jobs.JobSchedules;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;

/**
 * The job engine: the job_runs history and the clustered Quartz scheduler (JDBC job store in the service's own
 * database) that fires the routes of routes/maintenance.yaml.
 */
public final class JobEngineConfiguration implements CamelConfiguration {

    @BindToRegistry
    public JobRuns jobRuns(Database database) {
        return new JobRuns(database.dataSource());
    }

    @BindToRegistry
    public JobSchedules jobSchedules(Settings settings, Database database, CamelContext context) {
        QuartzComponent quartz = context.getComponent("quartz", QuartzComponent.class);
        quartz.setProperties(JobSchedules.quartzProperties(database.dataSource(), settings.string("camel.main.name"),
                settings.duration("traceability.jobs.cluster-checkin-interval").toMillis(), 2));
        return new JobSchedules(settings::string, quartz::getScheduler);
    }
}
