package dev.archon.traceability.health;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** The database as a Camel readiness check, so /observe/health and /health tell the same story. */
public final class DatabaseHealthCheck extends AbstractHealthCheck {

    private final DatabaseProbe probe;

    public DatabaseHealthCheck(DatabaseProbe probe) {
        super("traceability", "database");
        this.probe = probe;
    }

    @Override
    public boolean isLiveness() {
        // A database outage makes the service not ready; restarting the JVM would not fix it.
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        DatabaseProbe.Result r = probe.probe();
        if (r.up()) {
            builder.detail("latency_ms", r.latencyMs()).detail("server_version", r.serverVersion()).up();
        } else {
            builder.message("database unreachable: " + r.error()).down();
        }
    }
}
