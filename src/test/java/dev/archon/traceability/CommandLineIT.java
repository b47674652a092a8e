package dev.archon.traceability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.json.Json;
import dev.archon.traceability.support.ServiceProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar's command line as an operator uses it: beside the running service (on its embedded database)
 * and without it, with the JSON report alone on stdout, help, and exit codes for bad usage.
 */
class CommandLineIT {

    @TempDir
    Path work;

    private record Run(int exit, String out, String err) {
    }

    private Run cli(Path data, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-jar", System.getProperty("traceability.it.jar")));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
        pb.environment().remove("TRACEABILITY_DB_URL_EXTERNAL");
        pb.environment().put("TRACEABILITY_DB_EMBEDDED_DATA_DIR", data.toString());
        pb.environment().put("TRACEABILITY_DB_EMBEDDED_PORT", "0");
        Process p = pb.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("command finished").isTrue();
        return new Run(p.exitValue(), out, err.join());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void commandsWorkBesideTheRunningServiceAndWithoutIt() throws Exception {
        Path data = work.resolve("data/postgres");
        ServiceProcess service = ServiceProcess.start(work, data, "service.log", Map.of(
                "TRACEABILITY_JOBS_HEALTH_CHECK_ENABLED", "false"));
        try {
            service.awaitHealthy(Duration.ofSeconds(120));
            Run check = cli(data, "health-check");
            assertThat(check.exit()).as(check.err()).isZero();
            JsonNode run = Json.mapper().readTree(check.out()); // stdout is the report alone
            assertThat(run.get("status").asText()).isEqualTo("succeeded");
            assertThat(run.get("trigger").asText()).isEqualTo("cli");
            assertThat(check.err()).contains("Using the embedded database of the service running on");

            Run archive = cli(data, "archive", "--dry-run");
            assertThat(archive.exit()).as(archive.err()).isZero();
            assertThat(Json.mapper().readTree(archive.out()).at("/report/would_archive_rows").asLong()).isZero();
        } finally {
            service.process().destroy();
            service.process().waitFor(60, TimeUnit.SECONDS);
        }
        Run alone = cli(data, "health-check");
        assertThat(alone.exit()).as(alone.err()).isZero();
        assertThat(Json.mapper().readTree(alone.out()).get("status").asText()).isEqualTo("succeeded");
    }

    @Test
    void helpAndBadUsage() throws Exception {
        Path data = work.resolve("unused");
        Run help = cli(data, "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).startsWith("Usage: java -jar pattern-traceability.jar").contains("restore <file");

        Run unknown = cli(data, "frobnicate");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.out()).isEmpty();
        assertThat(unknown.err()).startsWith("unknown command 'frobnicate'").contains("Usage:");

        Run missing = cli(data, "restore");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("restore: which dump?");
    }
}
