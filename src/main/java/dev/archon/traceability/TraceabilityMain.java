package dev.archon.traceability;

import dev.archon.traceability.config.RuntimeConfiguration;
import dev.archon.traceability.db.EmbeddedPostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
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

    public static void main(String[] args) {
        int exitCode;
        try {
            exitCode = create(Map.of()).run(args);
        } catch (Throwable e) {
            LoggerFactory.getLogger(TraceabilityMain.class).error("Start-up failed: {}", e.getMessage(), e);
            exitCode = 1;
        } finally {
            EmbeddedPostgresServer.stopAll();
        }
        System.exit(exitCode);
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
