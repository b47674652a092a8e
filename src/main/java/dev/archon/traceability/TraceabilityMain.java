package dev.archon.traceability;

import dev.archon.traceability.config.RuntimeConfiguration;
import dev.archon.traceability.db.EmbeddedPostgresServer;
import dev.archon.traceability.json.Json;
import dev.archon.traceability.maintenance.JobRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.camel.main.Main;
import org.slf4j.LoggerFactory;

/**
 * Starts the Pattern Traceability Runtime: a Camel Main application whose flows are the YAML routes in routes/ and
 * whose settings are config/application.properties. Both are read from the working directory when present there
 * (so operators can edit them), otherwise from the copies inside the jar.
 */
public final class TraceabilityMain {

    private TraceabilityMain() {
    }

    /** Command-line jobs: {@code java -jar <jar> maintenance [--dry-run]}, the same code as the schedule. */
    private static final Map<String, String> COMMANDS = Map.of(
            "maintenance", "daily-maintenance",
            "health-check", "health-check");

    public static void main(String[] args) {
        int exitCode;
        try {
            exitCode = args.length > 0 && COMMANDS.containsKey(args[0])
                    ? runJob(COMMANDS.get(args[0]), List.of(args).contains("--dry-run"))
                    : create(Map.of()).run(args);
        } catch (Throwable e) {
            LoggerFactory.getLogger(TraceabilityMain.class).error("Start-up failed: {}", e.getMessage(), e);
            exitCode = 1;
        } finally {
            EmbeddedPostgresServer.stopAll();
        }
        System.exit(exitCode);
    }

    /**
     * Runs one maintenance job with the service's configuration and database but no routes, HTTP or schedules,
     * prints its recorded run as JSON and answers 0 when it succeeded (or was skipped because it runs elsewhere).
     */
    static int runJob(String job, boolean dryRun) throws Exception {
        Main main = create(Map.of(
                "camel.main.routesIncludePattern", "classpath:no-routes-for-the-command-line/*.yaml",
                "camel.server.enabled", "false",
                "camel.management.enabled", "false"));
        main.start();
        try {
            JobRunner runner = main.getCamelContext().getRegistry().lookupByNameAndType("jobRunner", JobRunner.class);
            Map<String, Object> run = runner.runNow(job, "cli", dryRun);
            System.out.println(Json.write(run));
            return "failed".equals(run.get("status")) ? 1 : 0;
        } finally {
            main.stop();
        }
    }

    /** A configured but not yet started application; {@code overrides} win over every other source of settings. */
    public static Main create(Map<String, String> overrides) {
        Main main = new Main();
        main.configure().addConfiguration(new RuntimeConfiguration());
        main.setDefaultPropertyPlaceholderLocation(configLocation());
        main.configure().withRoutesIncludePattern(
                Files.isDirectory(Path.of("routes")) ? "file:routes/*.yaml" : "classpath:routes/*.yaml");
        overrides.forEach(main::addOverrideProperty);
        return main;
    }

    private static String configLocation() {
        String explicit = System.getenv("TRACEABILITY_CONFIG");
        if (explicit != null && !explicit.isBlank()) {
            return "file:" + explicit;
        }
        return Files.isRegularFile(Path.of("config/application.properties"))
                ? "file:config/application.properties" : "classpath:application.properties";
    }
}
