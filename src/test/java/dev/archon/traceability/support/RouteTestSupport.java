package dev.archon.traceability.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.TraceabilityMain;
import dev.archon.traceability.json.Json;
import java.util.List;
import java.util.Properties;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.Exchange;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;

/**
 * The base of the route-level tests (camel-test-junit5 for Camel Main): the service's real configuration classes and
 * settings, the route files under test, against the test's database, with a free HTTP port on loopback, no console,
 * and the REST endpoints' direct: routes kept apart (the service inlines each into its endpoint) so that the test
 * can call them.
 */
public abstract class RouteTestSupport extends CamelMainTestSupport {

    /** The route files under test, as camel.main.routesIncludePattern takes them. */
    protected abstract String routeFiles();

    /** The test's database (a libpq URI). */
    protected abstract String database();

    /** The configuration classes the context binds, in order: the service's own unless a test puts one among them. */
    protected List<CamelConfiguration> configurations() {
        return TraceabilityMain.configurations();
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configurations().forEach(configuration::addConfiguration);
        configuration.withRoutesIncludePattern(routeFiles());
    }

    @Override
    protected String getPropertyPlaceholderLocations() {
        return "classpath:application.properties";
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = new Properties();
        p.put("traceability.db.url.external", database());
        p.put("traceability.db.pool.min-idle", "1");
        p.put("traceability.http.port", String.valueOf(RunningService.freePort()));
        p.put("traceability.http.host", "127.0.0.1");
        p.put("traceability.console.enabled", "false");
        p.put("camel.rest.inlineRoutes", "false");
        return p;
    }

    /** The JSON answer of a route's exchange; the exception it ended with, if any, is thrown. */
    protected static JsonNode json(Exchange e) throws Exception {
        if (e.getException() != null) {
            throw e.getException();
        }
        return Json.mapper().readTree(e.getMessage().getBody(byte[].class));
    }
}
