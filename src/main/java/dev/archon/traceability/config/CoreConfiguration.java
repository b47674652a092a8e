package dev.archon.traceability.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.archon.traceability.json.Json;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/**
 * What every domain uses: typed settings (config/application.properties), the one clock, and the metrics registry
 * (Camel's Prometheus registry behind /observe/metrics, or a local one where metrics are switched off).
 * The configuration classes run in the order {@code TraceabilityMain} adds them; each binds beans that later ones
 * take as parameters.
 */
public final class CoreConfiguration implements CamelConfiguration {

    @BindToRegistry
    public Settings settings(CamelContext context) {
        return new Settings(key -> context.getPropertiesComponent().resolveProperty(key));
    }

    @BindToRegistry
    public Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * The one JSON mapper, also for camel-jackson: its data format uses the single ObjectMapper of the registry, so
     * the read routes' marshal writes JSON exactly as the Java endpoints do.
     */
    @BindToRegistry
    public ObjectMapper jsonMapper() {
        return Json.mapper();
    }

    /** The registry our meters go to; not bound, so Camel's own stays the only MeterRegistry in the registry. */
    static MeterRegistry meters(CamelContext context) {
        MeterRegistry meters = context.getRegistry().findSingleByType(MeterRegistry.class);
        return meters != null ? meters : new SimpleMeterRegistry();
    }
}
