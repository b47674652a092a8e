package dev.archon.traceability.http;

import java.util.Set;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Camel's Vert.x HTTP engine, except that the endpoints named here are served by {@link EventLoopHttpConsumer}:
 * their routes run on the event loop and answer when an asynchronous step completes, instead of holding a worker
 * thread each. Bound as {@code platform-http-engine}, which platform-http looks up before its default.
 */
public final class EventLoopHttpEngine extends VertxPlatformHttpEngine {

    private final Set<String> eventLoopPaths;

    public EventLoopHttpEngine(Set<String> eventLoopPaths) {
        this.eventLoopPaths = Set.copyOf(eventLoopPaths);
    }

    @Override
    public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
        if (eventLoopPaths.contains(endpoint.getPath())) {
            return new EventLoopHttpConsumer(endpoint, processor, getHandlers(),
                    VertxPlatformHttpRouter.getRouterNameFromPort(getServerPort()));
        }
        return super.createConsumer(endpoint, processor);
    }
}
