package dev.archon.traceability.config;

import dev.archon.traceability.console.ConsoleServer;
import dev.archon.traceability.http.AdminAccess;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/**
 * The Hawtio console on its own port (traceability.console.*), behind the admin rule, closed with the Camel
 * context. It runs with the service's HTTP server only: switched off (traceability.console.enabled=false) or in a
 * command-line job run (camel.server.enabled=false) nothing of Jetty or Hawtio is even loaded.
 */
public final class ConsoleConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = context.getRegistry().findSingleByType(Settings.class);
        if (!settings.bool("traceability.console.enabled") || !settings.bool("camel.server.enabled")) {
            return;
        }
        AdminAccess access = new AdminAccess(settings.optional("traceability.admin.token")).withLogin(
                "the console and its Jolokia", settings.string("traceability.console.user"),
                settings.optional("traceability.console.password"));
        Lifecycle.closeOnStop(context, ConsoleServer.start(settings.string("traceability.console.host"),
                settings.integer("traceability.console.port"), access));
    }
}
