package dev.archon.traceability.support;

import dev.archon.traceability.db.EmbeddedPostgresServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The packaged jar as operators run it: {@code java -jar} in a working directory of the test's, configured only
 * through environment variables, on the embedded default database unless told otherwise.
 */
public final class ServiceProcess {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Process process;
    private final Path log;
    private final int port;
    private final int databasePort;
    private final int consolePort;

    private ServiceProcess(Process process, Path log, int port, int databasePort, int consolePort) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.databasePort = databasePort;
        this.consolePort = consolePort;
    }

    /** Starts the jar in {@code workDir} with its embedded database under {@code dataDir}; logs to {@code logName}. */
    public static ServiceProcess start(Path workDir, Path dataDir, String logName, Map<String, String> env)
            throws IOException {
        int port = RunningService.freePort();
        int databasePort = RunningService.freePort();
        int consolePort = RunningService.freePort();
        Path log = workDir.resolve(logName);
        ProcessBuilder pb = new ProcessBuilder(javaBin(), "-Xmx256m", "-jar", System.getProperty("traceability.it.jar"))
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().remove("TRACEABILITY_DB_URL_EXTERNAL");
        pb.environment().put("TRACEABILITY_HTTP_PORT", String.valueOf(port));
        pb.environment().put("TRACEABILITY_HTTP_HOST", "127.0.0.1");
        pb.environment().put("TRACEABILITY_DB_EMBEDDED_PORT", String.valueOf(databasePort));
        pb.environment().put("TRACEABILITY_DB_EMBEDDED_DATA_DIR", dataDir.toString());
        pb.environment().put("TRACEABILITY_CONSOLE_PORT", String.valueOf(consolePort));
        pb.environment().putAll(env);
        return new ServiceProcess(pb.start(), log, port, databasePort, consolePort);
    }

    public Process process() {
        return process;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** The Hawtio console (on by default, on a port of its own). */
    public URI consoleUri(String path) {
        return URI.create("http://127.0.0.1:" + consolePort + path);
    }

    /** The embedded database (libpq URI): for the test's queries, and TRACEABILITY_DB_URL_EXTERNAL of scripts. */
    public String databaseUrl() {
        return "postgresql://postgres@127.0.0.1:" + databasePort + "/" + EmbeddedPostgresServer.DATABASE;
    }

    /** The HTTP API's base URL (ARCHON_SERVICE_URL of the scripts). */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    public void awaitHealthy(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("service exited: " + log());
            }
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/health")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().startsWith("{\"status\":\"healthy\"")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not healthy within " + timeout + ": " + log());
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
