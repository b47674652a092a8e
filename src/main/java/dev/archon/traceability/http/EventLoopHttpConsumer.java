package dev.archon.traceability.http;

import dev.archon.traceability.errors.ErrorCode;
import dev.archon.traceability.errors.Problem;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.Executor;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConsumer;

/**
 * A platform-http consumer for routes whose processors never wait: the route runs on the Vert.x event loop that
 * read the request (or, for a body larger than {@link #EVENT_LOOP_MAX_BODY}, on a worker, so parsing it does not
 * stall the loop) and the answer is written, back on that event loop, when the route's asynchronous processor
 * completes. No thread is held while the processor's work is pending.
 *
 * <p>The stock consumer runs every request on a worker thread and holds it until the route ends. For ingest that
 * meant one parked worker per pending commit and four thread switches per event; on two cores this doubled the
 * service's CPU per event. The route itself stays an ordinary Camel route (same metrics, suspend and stop from
 * the console: a suspended route answers 503). The answer is the message's {@code CamelHttpResponseCode},
 * {@code Content-Type}, correlation id and body; an exception left on the exchange answers through
 * {@link HttpErrors} (Camel's refusal of new exchanges while it stops: 503 {@code SERVICE_UNAVAILABLE}).
 */
public final class EventLoopHttpConsumer extends VertxPlatformHttpConsumer {

    /**
     * Exchange property: an {@link Executor} running a task on the request's event loop. An asynchronous processor
     * completing on another thread (the ingest writer) hands its remaining work, building the answer, to it.
     */
    public static final String RESUME_EXECUTOR = "traceability.resumeExecutor";

    /** Bodies up to this size are parsed on the event loop (well under a millisecond); larger ones on a worker. */
    static final int EVENT_LOOP_MAX_BODY = 64 * 1024;

    EventLoopHttpConsumer(PlatformHttpEndpoint endpoint, Processor processor, List<Handler<RoutingContext>> handlers,
                          String routerName) {
        super(endpoint, processor, handlers, routerName);
    }

    @Override
    protected void handleRequest(RoutingContext ctx) {
        if (isSuspended()) {
            String id = correlationId(ctx);
            HttpAnswer.error(new Problem(ErrorCode.SERVICE_UNAVAILABLE, "", getEndpoint().getPath()
                    + " is paused (its route is suspended); send again later"), id).writeTo(ctx.response(), id);
            return;
        }
        Context eventLoop = ctx.vertx().getOrCreateContext();
        Executor onEventLoop = task -> eventLoop.runOnContext(v -> task.run());
        Exchange exchange = createExchange(false);
        exchange.setPattern(ExchangePattern.InOut);
        exchange.setProperty(RESUME_EXECUTOR, onEventLoop);
        processHttpRequest(exchange, ctx).onComplete(read -> {
            if (read.failed()) {
                fail(ctx, exchange, read.cause());
            } else if (ctx.body().length() <= EVENT_LOOP_MAX_BODY) {
                route(ctx, exchange, onEventLoop);
            } else {
                ctx.vertx().executeBlocking(() -> {
                    route(ctx, exchange, onEventLoop);
                    return null;
                }, false);
            }
        });
    }

    /** Starts the route; it returns at once, and the callback answers whenever the route completes. */
    private void route(RoutingContext ctx, Exchange exchange, Executor onEventLoop) {
        try {
            createUoW(exchange);
            getAsyncProcessor().process(exchange, doneSync -> {
                if (Context.isOnEventLoopThread()) {
                    respond(ctx, exchange);
                } else {
                    onEventLoop.execute(() -> respond(ctx, exchange));
                }
            });
        } catch (Exception e) {
            fail(ctx, exchange, e);
        }
    }

    private void respond(RoutingContext ctx, Exchange exchange) {
        if (exchange.getException() != null) {
            fail(ctx, exchange, exchange.getException());
            return;
        }
        Message out = exchange.getMessage();
        HttpServerResponse response = ctx.response();
        response.setStatusCode(out.getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class));
        String correlationId = out.getHeader(HttpAnswer.CORRELATION_ID, String.class);
        if (correlationId != null) {
            response.putHeader(HttpAnswer.CORRELATION_ID, correlationId);
        }
        String contentType = out.getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType != null) {
            response.putHeader("Content-Type", contentType);
        }
        byte[] body = out.getBody(byte[].class);
        response.end(body == null ? Buffer.buffer() : Buffer.buffer(body)).onComplete(written -> done(exchange));
    }

    /** An exception the route did not handle (or Camel refusing the exchange while it stops): the one mapping. */
    private void fail(RoutingContext ctx, Exchange exchange, Throwable failure) {
        String id = correlationId(ctx);
        HttpAnswer.error(HttpErrors.problemOf(failure, id), id).writeTo(ctx.response(), id);
        done(exchange);
    }

    private void done(Exchange exchange) {
        doneUoW(exchange);
        releaseExchange(exchange, false);
    }

    private static String correlationId(RoutingContext ctx) {
        return ctx.request().getHeader(HttpAnswer.CORRELATION_ID); // set by HttpRouting before any route
    }
}
