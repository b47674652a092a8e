package dev.archon.traceability.http;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Camel's Vert.x HTTP engine with two additions: the POST endpoints at the paths named here are served by
 * {@link EventLoopHttpConsumer} (their routes run on the event loop and answer when an asynchronous step completes,
 * instead of holding a worker thread each), and the router gets {@link HttpRouting}'s correlation ids and JSON
 * 404/405 answers before the first route is served. Other methods on those paths (GET /api/executions reads the
 * execution log with a blocking query) get the stock worker-thread consumer. Bound as {@code platform-http-engine},
 * which platform-http looks up before its default.
 */
public final class EventLoopHttpEngine extends VertxPlatformHttpEngine {

    private final Set<String> eventLoopPaths = ConcurrentHashMap.newKeySet();
    private VertxPlatformHttpRouter routed;

    /** {@code eventLoopPaths}: the paths whose POST endpoint never blocks. */
    public EventLoopHttpEngine(Set<String> eventLoopPaths) {
        this.eventLoopPaths.addAll(eventLoopPaths);
    }

    /**
     * More paths whose POST endpoint never blocks, from an adapter configured after the engine (before the routes
     * start, when their consumers are created).
     */
    public void serveOnEventLoop(Set<String> paths) {
        eventLoopPaths.addAll(paths);
    }

    @Override
    public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
        String routerName = VertxPlatformHttpRouter.getRouterNameFromPort(getServerPort());
        installRouting(routerName);
        if (eventLoopPaths.contains(endpoint.getPath()) && "POST".equalsIgnoreCase(endpoint.getHttpMethodRestrict())) {
            return new EventLoopHttpConsumer(endpoint, processor, getHandlers(), routerName);
        }
        return super.createConsumer(endpoint, processor);
    }

    /** Once per router: the server (and so its router) starts before the first consumer is created. */
    private synchronized void installRouting(String routerName) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(getCamelContext(), routerName);
        if (router != null && router != routed) {
            HttpRouting.install(router, getCamelContext());
            routed = router;
        }
    }
}
