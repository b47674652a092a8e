package dev.archon.traceability.config;

import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Closes a plain resource when the Camel context stops. Camel stops services in the reverse order of adding, after
 * the routes: so consumers stop first, then the ingest writer, the probe, and last the pool and database.
 */
final class Lifecycle {

    private Lifecycle() {
    }

    static <T extends AutoCloseable> T closeOnStop(CamelContext context, T resource) throws Exception {
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                resource.close();
            }
        }, true, true);
        return resource;
    }
}
