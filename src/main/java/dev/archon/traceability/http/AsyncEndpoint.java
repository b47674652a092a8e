package dev.archon.traceability.http;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.AsyncProcessorSupport;

/**
 * An endpoint step whose answer is pending on something asynchronous (the group-commit writer): it checks the
 * request on the calling thread and completes the exchange once the answer is ready, so the caller's thread is not
 * held meanwhile (see {@link EventLoopHttpConsumer}). A failure is left on the exchange for the route's error
 * configuration to answer. A consumer that calls {@code process(Exchange)} instead still gets a synchronous answer.
 */
public final class AsyncEndpoint {

    /** What the step does with a request: its answer, when it is ready. */
    public interface Handler {
        CompletableFuture<HttpAnswer> handle(Message in) throws IOException;
    }

    private AsyncEndpoint() {
    }

    public static Processor of(Handler handler) {
        return new AsyncProcessorSupport() {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                CompletableFuture<HttpAnswer> pending;
                try {
                    pending = handler.handle(exchange.getMessage());
                } catch (IOException | RuntimeException e) {
                    exchange.setException(e);
                    callback.done(true);
                    return true;
                }
                Executor resume = exchange.getProperty(EventLoopHttpConsumer.RESUME_EXECUTOR, Executor.class);
                pending.whenCompleteAsync((answer, failure) -> {
                    if (failure == null) {
                        answer.writeTo(exchange);
                    } else {
                        exchange.setException(failure instanceof CompletionException && failure.getCause() != null
                                ? failure.getCause() : failure);
                    }
                    callback.done(false);
                }, resume != null ? resume : Runnable::run);
                return false;
            }
        };
    }
}
