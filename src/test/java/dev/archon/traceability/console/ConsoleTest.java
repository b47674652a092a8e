package dev.archon.traceability.console;

import static dev.archon.traceability.console.ConsoleHttp.basic;
import static dev.archon.traceability.console.ConsoleHttp.bearer;
import static dev.archon.traceability.console.ConsoleHttp.exec;
import static dev.archon.traceability.console.ConsoleHttp.read;
import static dev.archon.traceability.console.ConsoleHttp.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.json.Json;
import dev.archon.traceability.support.RunningService;
import dev.archon.traceability.support.TestPostgres;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.camel.ServiceStatus;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.spi.RouteController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Hawtio console of a service with TRACEABILITY_ADMIN_TOKEN set, over real HTTP: nothing without the token or
 * the console login; Jolokia reads anything but writes and runs operations only on Camel routes (and fires a
 * maintenance job's Quartz trigger); the same policy holds on Camel's own /observe/jolokia.
 */
class ConsoleTest {

    private static final String TOKEN = "console-test-s3cret";
    private static final String AUTH = "Authorization";

    private static String db;
    private static RunningService service;
    private static ConsoleHttp console;

    @BeforeAll
    static void start() {
        db = TestPostgres.server().createDatabase();
        int port = RunningService.freePort();
        service = RunningService.onExternal(db, RunningService.props(
                "traceability.console.enabled", "true",
                "traceability.console.port", String.valueOf(port),
                "traceability.admin.token", TOKEN,
                "camel.management.jolokiaEnabled", "true"));
        console = new ConsoleHttp("127.0.0.1", port);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void withoutTheTokenTheConsoleAndItsJolokiaAnswer401AndAskForTheLogin() throws Exception {
        for (HttpResponse<String> r : new HttpResponse[] {console.get("/hawtio/"),
                console.post("/hawtio/jolokia", "{\"type\":\"version\"}"),
                console.get("/hawtio/jolokia/version"),
                console.get("/hawtio/", AUTH, bearer("wrong")),
                console.get("/hawtio/", AUTH, basic("admin", "wrong")),
                console.get("/hawtio/static/js/main.8fd02e46.js")}) {
            assertThat(r.statusCode()).as(r.uri().toString()).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v)
                    .startsWith("Basic realm=\"Pattern Traceability console\""));
            JsonNode error = Json.mapper().readTree(r.body()).get("error");
            assertThat(error.get("code").asText()).isEqualTo("UNAUTHORIZED");
            assertThat(error.get("correlation_id").asText()).isEqualTo(r.headers().firstValue("X-Correlation-ID")
                    .orElseThrow());
        }
    }

    @Test
    void withTheTokenOrTheLoginTheConsoleAnswers() {
        HttpResponse<String> page = console.get("/hawtio/", AUTH, bearer(TOKEN));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>Hawtio");
        // the browser login: user admin, password the token (traceability.console.password empty)
        assertThat(console.get("/hawtio/", AUTH, basic("admin", TOKEN)).statusCode()).isEqualTo(200);
        assertThat(console.get("/", AUTH, bearer(TOKEN)).headers().firstValue("Location"))
                .hasValueSatisfying(l -> assertThat(l).endsWith("/hawtio/"));

        JsonNode version = console.jolokia("{\"type\":\"version\"}", AUTH, bearer(TOKEN));
        assertThat(version.get("status").asInt()).isEqualTo(200);
        assertThat(version.at("/value/agent").asText()).isEqualTo("2.5.0"); // Camel's Jolokia, not the war's 2.1
    }

    @Test
    void jolokiaRefusesOperationsAndWritesOutsideCamelRoutes() {
        JsonNode gc = console.jolokia(exec("java.lang:type=Memory", "gc", "[]"), AUTH, bearer(TOKEN));
        assertThat(gc.get("status").asInt()).isEqualTo(403);
        assertThat(gc.get("error").asText()).contains("gc", "forbidden");

        JsonNode write = console.jolokia("{\"type\":\"write\",\"mbean\":\"java.lang:type=Memory\","
                + "\"attribute\":\"Verbose\",\"value\":true}", AUTH, bearer(TOKEN));
        assertThat(write.get("status").asInt()).isEqualTo(403);
        assertThat(console.jolokia(read("java.lang:type=Memory", "Verbose"), AUTH, bearer(TOKEN))
                .get("value").asBoolean()).isFalse();

        JsonNode logging = console.jolokia(exec("java.util.logging:type=Logging", "setLoggerLevel",
                "[\"\", \"OFF\"]"), AUTH, bearer(TOKEN));
        assertThat(logging.get("status").asInt()).isEqualTo(403);

        // Camel itself: the context's stop, a send to an endpoint, a route's removal or replacement
        String context = "org.apache.camel:context=pattern-traceability,type=context,name=\\\"pattern-traceability\\\"";
        assertThat(console.jolokia(exec(context, "stop()", "[]"), AUTH, bearer(TOKEN)).get("status").asInt())
                .isEqualTo(403);
        assertThat(console.jolokia(exec(context, "sendStringBody(java.lang.String,java.lang.String)",
                "[\"direct:admin-run-job\", \"x\"]"), AUTH, bearer(TOKEN)).get("status").asInt()).isEqualTo(403);
        assertThat(console.jolokia(exec(route("track-event"), "remove()", "[]"), AUTH, bearer(TOKEN))
                .get("status").asInt()).isEqualTo(403);
        assertThat(console.jolokia(exec(route("track-event"), "updateRouteFromXml", "[\"<route/>\"]"), AUTH,
                bearer(TOKEN)).get("status").asInt()).isEqualTo(403);
        assertThat(console.jolokia("{\"type\":\"write\",\"mbean\":\"" + route("track-event") + "\","
                + "\"attribute\":\"Tracing\",\"value\":true}", AUTH, bearer(TOKEN)).get("status").asInt())
                .isEqualTo(403);
        assertThat(service.main().getCamelContext().getRouteController().getRouteStatus("track-event"))
                .isEqualTo(ServiceStatus.Started);
    }

    @Test
    void jolokiaReadsAndStopsStartsSuspendsAndResumesARoute() {
        RouteController routes = service.main().getCamelContext().getRouteController();
        String inbox = route("ingest-lineage-files");
        assertThat(console.jolokia(read(inbox, "State"), AUTH, bearer(TOKEN)).get("value").asText())
                .isEqualTo("Started");
        JsonNode heap = console.jolokia(read("java.lang:type=Memory", "HeapMemoryUsage"), AUTH, bearer(TOKEN));
        assertThat(heap.at("/value/used").asLong()).isPositive();

        assertThat(console.jolokia(exec(inbox, "stop()", "[]"), AUTH, bearer(TOKEN)).get("status").asInt())
                .isEqualTo(200);
        assertThat(routes.getRouteStatus("ingest-lineage-files")).isEqualTo(ServiceStatus.Stopped);
        assertThat(console.jolokia(exec(inbox, "start()", "[]"), AUTH, bearer(TOKEN)).get("status").asInt())
                .isEqualTo(200);
        assertThat(routes.getRouteStatus("ingest-lineage-files")).isEqualTo(ServiceStatus.Started);

        assertThat(console.jolokia(exec(inbox, "suspend()", "[]"), AUTH, bearer(TOKEN)).get("status").asInt())
                .isEqualTo(200);
        assertThat(routes.getRouteStatus("ingest-lineage-files")).isEqualTo(ServiceStatus.Suspended);
        assertThat(console.jolokia(exec(inbox, "resume()", "[]"), AUTH, bearer(TOKEN)).get("status").asInt())
                .isEqualTo(200);
        assertThat(routes.getRouteStatus("ingest-lineage-files")).isEqualTo(ServiceStatus.Started);
    }

    @Test
    void aMaintenanceJobsRouteFiresNowThroughItsQuartzTrigger() throws Exception {
        JsonNode schedulers = console.jolokia("{\"type\":\"search\",\"mbean\":\"quartz:type=QuartzScheduler,*\"}",
                AUTH, bearer(TOKEN));
        assertThat(schedulers.get("value")).hasSize(1);
        String scheduler = schedulers.get("value").get(0).asText().replace("\"", "\\\"");
        long before = routeExchanges("job-daily-maintenance");

        JsonNode fired = console.jolokia(exec(scheduler, "triggerJob",
                "[\"daily-maintenance\", \"maintenance\", {}]"), AUTH, bearer(TOKEN));
        assertThat(fired.get("status").asInt()).as(fired.toString()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> TestPostgres.count(db,
                "SELECT count(*) FROM job_runs WHERE job = 'daily-maintenance' AND status = 'succeeded'") == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> routeExchanges("job-daily-maintenance") == before + 1);
        // but not the scheduler's own switches
        assertThat(console.jolokia(exec(scheduler, "shutdown", "[]"), AUTH, bearer(TOKEN)).get("status").asInt())
                .isEqualTo(403);
    }

    @Test
    void hawtiosProxyToOtherJvmsIsClosed() {
        HttpResponse<String> proxied = console.get("/hawtio/proxy/http/127.0.0.1/" + service.port() + "/health",
                AUTH, bearer(TOKEN));
        assertThat(proxied.statusCode()).isEqualTo(404);
        assertThat(console.get("/hawtio/proxy/enabled", AUTH, bearer(TOKEN)).body().trim()).isEqualTo("false");
    }

    @Test
    void camelsOwnObserveJolokiaObeysTheSamePolicy() {
        ConsoleHttp observe = new ConsoleHttp("127.0.0.1", service.port());
        JsonNode gc = observe.jolokiaAt("/observe/jolokia", exec("java.lang:type=Memory", "gc", "[]"));
        assertThat(gc.get("status").asInt()).isEqualTo(403);
        assertThat(observe.jolokiaAt("/observe/jolokia", read(route("track-event"), "State")).get("value").asText())
                .isEqualTo("Started");
    }

    @Test
    void aRequestFromAPageOfAnotherSiteIsRefusedEvenWithCredentials() throws Exception {
        HttpResponse<String> csrf = console.post("/hawtio/jolokia", exec(route("track-event"), "stop()", "[]"),
                AUTH, basic("admin", TOKEN), "Origin", "http://evil.example");
        assertThat(csrf.statusCode()).isEqualTo(403);
        assertThat(Json.mapper().readTree(csrf.body()).at("/error/details/field").asText()).isEqualTo("Origin");
        assertThat(service.main().getCamelContext().getRouteController().getRouteStatus("track-event"))
                .isEqualTo(ServiceStatus.Started);

        // a GET carries no Origin: the browser's fetch metadata tells (an image or link of another site)
        HttpResponse<String> image = console.get("/hawtio/jolokia/exec/" + "java.lang:type=Memory/gc", AUTH,
                basic("admin", TOKEN), "Sec-Fetch-Site", "cross-site");
        assertThat(image.statusCode()).isEqualTo(403);
        assertThat(console.get("/hawtio/", AUTH, bearer(TOKEN), "Sec-Fetch-Site", "cross-site").statusCode())
                .as("a link to the console from another site opens it").isEqualTo(200);

        String self = "http://127.0.0.1:" + console.port();
        assertThat(console.jolokia("{\"type\":\"version\"}", AUTH, bearer(TOKEN), "Origin", self,
                "Sec-Fetch-Site", "same-origin").get("status").asInt()).isEqualTo(200);
    }

    private static long routeExchanges(String routeId) {
        return service.main().getCamelContext().getCamelContextExtension()
                .getContextPlugin(ManagedCamelContext.class).getManagedRoute(routeId).getExchangesTotal();
    }
}
