package dev.archon.traceability.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.json.Json;
import dev.archon.traceability.support.RunningService;
import dev.archon.traceability.support.TestPostgres;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Without TRACEABILITY_ADMIN_TOKEN the console answers loopback clients only: the console bound to every address,
 * reached once through 127.0.0.1 (served) and once through this machine's own non-loopback address (403).
 */
class ConsoleLoopbackTest {

    private static RunningService service;
    private static int port;

    @BeforeAll
    static void start() {
        port = RunningService.freePort();
        service = RunningService.onExternal(TestPostgres.server().createDatabase(), RunningService.props(
                "traceability.console.enabled", "true",
                "traceability.console.host", "0.0.0.0",
                "traceability.console.port", String.valueOf(port)));
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void aLoopbackClientNeedsNoCredentials() {
        ConsoleHttp local = new ConsoleHttp("127.0.0.1", port);
        assertThat(local.get("/hawtio/").statusCode()).isEqualTo(200);
        assertThat(local.jolokia("{\"type\":\"version\"}").get("status").asInt()).isEqualTo(200);
    }

    @Test
    void aClientOnAnotherAddressIsRefusedWith403EvenWithABearerToken() throws Exception {
        Optional<InetAddress> address = ConsoleHttp.nonLoopbackAddress();
        assumeTrue(address.isPresent(), "this machine has no non-loopback IPv4 address to connect from");
        ConsoleHttp remote = new ConsoleHttp(address.get().getHostAddress(), port);

        for (HttpResponse<String> r : new HttpResponse[] {remote.get("/hawtio/"),
                remote.post("/hawtio/jolokia", "{\"type\":\"version\"}"),
                remote.get("/hawtio/", "Authorization", "Bearer anything")}) {
            assertThat(r.statusCode()).as(r.uri().toString()).isEqualTo(403);
            assertThat(r.headers().firstValue("WWW-Authenticate")).isEmpty();
            JsonNode error = Json.mapper().readTree(r.body()).get("error");
            assertThat(error.get("code").asText()).isEqualTo("FORBIDDEN");
            assertThat(error.get("message").asText()).contains("only on loopback", "TRACEABILITY_ADMIN_TOKEN",
                    address.get().getHostAddress());
        }
    }
}
