package dev.archon.traceability;

import dev.archon.traceability.backup.Restores;
import dev.archon.traceability.config.BackupConfiguration;
import dev.archon.traceability.config.CompatConfiguration;
import dev.archon.traceability.config.AnalyticsConfiguration;
import dev.archon.traceability.config.ConsoleConfiguration;
import dev.archon.traceability.config.CoreConfiguration;
import dev.archon.traceability.config.DatabaseConfiguration;
import dev.archon.traceability.config.ExecutionsConfiguration;
import dev.archon.traceability.config.FeedbackConfiguration;
import dev.archon.traceability.config.HealthConfiguration;
import dev.archon.traceability.config.HttpConfiguration;
import dev.archon.traceability.config.InboxConfiguration;
import dev.archon.traceability.config.IngestConfiguration;
import dev.archon.traceability.config.JobEngineConfiguration;
import dev.archon.traceability.config.LineageConfiguration;
import dev.archon.traceability.config.MaintenanceConfiguration;
import dev.archon.traceability.config.ReadApiConfiguration;
import dev.archon.traceability.db.EmbeddedPostgresServer;
import dev.archon.traceability.json.Json;
import dev.archon.traceability.jobs.JobRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.main.Main;
import org.apache.camel.spi.Registry;
import org.slf4j.LoggerFactory;

/**
 * Starts the Pattern Traceability Runtime: a Camel Main application whose flows are the YAML routes in routes/ and
 * whose settings are config/application.properties. Routes are read from the working directory when present there
 * (so operators can edit them), otherwise from the copies inside the jar; settings from the operator's file over the
 * jar's copy, which holds every default.
 */
public final class TraceabilityMain {

    private TraceabilityMain() {
    }

    public static void main(String[] args) {
        CommandLine command = CommandLine.parse(args);
        if (!(command instanceof CommandLine.Serve)) {
            // a command's stdout is its JSON report alone, so `... backup | jq .status` works: logs go to stderr
            System.setProperty("TRACEABILITY_LOG_TARGET", "System.err");
        }
        int exitCode;
        try {
            if (command instanceof CommandLine.Help) {
                System.out.print(CommandLine.USAGE);
                exitCode = 0;
            } else if (command instanceof CommandLine.Usage usage) {
                System.err.println(usage.error() + "\n");
                System.err.print(CommandLine.USAGE);
                exitCode = 2;
            } else if (command instanceof CommandLine.Job job) {
                exitCode = runJob(registry -> registry.findSingleByType(JobRunner.class)
                        .runNow(job.job(), "cli", job.dryRun()));
            } else if (command instanceof CommandLine.Restore restore) {
                exitCode = runJob(registry -> registry.findSingleByType(JobRunner.class)
                        .runOnce(registry.findSingleByType(Restores.class).fromCommandLine(restore.dump(),
                                restore.pattern()), "cli", restore.dryRun()));
            } else {
                exitCode = create(Map.of()).run(new String[0]);
            }
        } catch (Throwable e) {
            LoggerFactory.getLogger(TraceabilityMain.class).error("Start-up failed: {}", e.getMessage(), e);
            exitCode = 1;
        } finally {
            EmbeddedPostgresServer.stopAll();
        }
        System.exit(exitCode);
    }

    /** A job run from the command line, with the started (route-less) application's beans. */
    private interface CommandLineRun {
        Map<String, Object> run(Registry registry) throws Exception;
    }

    /**
     * Runs one job with the service's configuration and database but no routes, HTTP or schedules, prints its
     * recorded run as JSON and answers 0 when it succeeded (or was skipped because it runs elsewhere).
     */
    static int runJob(CommandLineRun command) throws Exception {
        Main main = create(Map.of(
                "camel.main.routesIncludePattern", "classpath:no-routes-for-the-command-line/*.yaml",
                "camel.server.enabled", "false",
                "camel.management.enabled", "false",
                // beside a running service on the embedded default, use its server instead of refusing
                "traceability.db.embedded.use-running-server", "true"));
        main.start();
        try {
            Map<String, Object> run = command.run(main.getCamelContext().getRegistry());
            System.out.println(Json.write(run));
            return "failed".equals(run.get("status")) ? 1 : 0;
        } finally {
            main.stop();
        }
    }

    /** A configured but not yet started application; {@code overrides} win over every other source of settings. */
    public static Main create(Map<String, String> overrides) {
        Main main = new Main();
        configurations().forEach(main.configure()::addConfiguration);
        main.setDefaultPropertyPlaceholderLocation(configLocations());
        main.configure().withRoutesIncludePattern(RouteFiles.includePattern());
        overrides.forEach(main::addOverrideProperty);
        return main;
    }

    /** The configuration classes, in this order: each binds beans that the next ones take as parameters. */
    public static List<CamelConfiguration> configurations() {
        return List.of(new CoreConfiguration(), new DatabaseConfiguration(), new LineageConfiguration(),
                new JobEngineConfiguration(), new BackupConfiguration(), new HealthConfiguration(),
                new IngestConfiguration(), new InboxConfiguration(), new MaintenanceConfiguration(),
                new AnalyticsConfiguration(), new ExecutionsConfiguration(), new FeedbackConfiguration(),
                new HttpConfiguration(), new ReadApiConfiguration(), new CompatConfiguration(),
                new ConsoleConfiguration());
    }

    /** The operator's file (TRACEABILITY_CONFIG, else ./config/application.properties) first: the first found wins. */
    private static String configLocations() {
        String explicit = System.getenv("TRACEABILITY_CONFIG");
        String operator = explicit != null && !explicit.isBlank() ? "file:" + explicit
                : Files.isRegularFile(Path.of("config/application.properties")) ? "file:config/application.properties"
                : null;
        return operator == null ? "classpath:application.properties" : operator + ",classpath:application.properties";
    }
}
