package dev.archon.traceability.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.archon.traceability.http.AdminAccess;
import dev.archon.traceability.support.RunningService;
import dev.archon.traceability.support.TestPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * When the console runs: with the service's HTTP server and its switch on; never when switched off or in a
 * command-line job run; its port and scratch folder go away when the service stops; a port already taken stops
 * the start with the setting to change.
 */
class ConsoleSwitchTest {

    @Test
    void switchedOffNothingListensOnItsPort() {
        int port = RunningService.freePort();
        try (RunningService service = RunningService.onExternal(TestPostgres.server().createDatabase(),
                RunningService.props("traceability.console.enabled", "false",
                        "traceability.console.port", String.valueOf(port)))) {
            assertThat(service.get("/health").status()).isEqualTo(200);
            assertThat(listening(port)).isFalse();
        }
    }

    @Test
    void aCommandLineRunStartsNoConsole() {
        int port = RunningService.freePort();
        // the settings TraceabilityMain.runJob starts a job run with (no routes, no HTTP)
        try (RunningService service = RunningService.onExternal(TestPostgres.server().createDatabase(),
                RunningService.props("traceability.console.enabled", "true",
                        "traceability.console.port", String.valueOf(port),
                        "camel.main.routesIncludePattern", "classpath:no-routes-for-the-command-line/*.yaml",
                        "camel.server.enabled", "false",
                        "camel.management.enabled", "false"))) {
            assertThat(service.main().getCamelContext().getRoutes()).isEmpty();
            assertThat(listening(port)).isFalse();
        }
    }

    @Test
    void theConsoleStopsWithTheService() throws Exception {
        int port = RunningService.freePort();
        Set<Path> scratchBefore = scratchFolders();
        RunningService service = RunningService.onExternal(TestPostgres.server().createDatabase(),
                RunningService.props("traceability.console.enabled", "true",
                        "traceability.console.port", String.valueOf(port)));
        assertThat(listening(port)).isTrue();
        Set<Path> created = new java.util.HashSet<>(scratchFolders());
        created.removeAll(scratchBefore);
        assertThat(created).isNotEmpty();
        service.close();
        assertThat(listening(port)).isFalse();
        // only this service's folders: another JVM (a build beside this one) may make its own meanwhile
        assertThat(scratchFolders()).doesNotContainAnyElementsOf(created);
    }

    @Test
    void aTakenPortFailsTheStartNamingTheSetting() throws Exception {
        Set<Path> scratchBefore = scratchFolders();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> ConsoleServer.start("127.0.0.1", taken.getLocalPort(),
                    new AdminAccess(Optional.empty())))
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .hasMessageContaining("TRACEABILITY_CONSOLE_PORT");
        }
        assertThat(scratchFolders()).isSubsetOf(scratchBefore);
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** ConsoleServer's scratch folders (Jetty's temporary files, the web application copied out of the jar). */
    private static Set<Path> scratchFolders() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(p -> p.getFileName().toString().startsWith("traceability-console-"))
                    .collect(Collectors.toSet());
        }
    }
}
