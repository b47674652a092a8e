package dev.archon.traceability.support;

import dev.archon.traceability.TraceabilityMain;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.main.Main;

/**
 * The real service started in the test JVM (the same Camel Main, routes and configuration as the jar), on a free
 * HTTP port, with a few settings overridden. Talk to it over real HTTP.
 */
public final class RunningService implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Main main;
    private final int port;

    private RunningService(Main main, int port) {
        this.main = main;
        this.port = port;
    }

    /** Starts the service against the external database {@code libpqUri}. */
    public static RunningService onExternal(String libpqUri, Map<String, String> more) {
        Map<String, String> props = new HashMap<>(more);
        props.put("traceability.db.url.external", libpqUri);
        return start(props);
    }

    public static RunningService start(Map<String, String> overrides) {
        int port = freePort();
        Map<String, String> props = new HashMap<>();
        props.put("traceability.http.port", String.valueOf(port));
        props.put("traceability.http.host", "127.0.0.1");
        props.put("traceability.db.pool.min-idle", "1");
        props.put("traceability.db.pool.max-size", "5");
        // the console has tests of its own (console/); elsewhere it would only cost start-up time and port 8054
        props.put("traceability.console.enabled", "false");
        props.putAll(overrides);
        Main main = TraceabilityMain.create(props);
        try {
            main.start();
        } catch (Exception e) {
            throw new IllegalStateException("service did not start: " + e.getMessage(), e);
        }
        return new RunningService(main, port);
    }

    public int port() {
        return port;
    }

    public Main main() {
        return main;
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""),
                    r.headers());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public record Response(int status, String body, String contentType, HttpHeaders headers) {

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    @Override
    public void close() {
        try {
            main.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A mutable map from key, value, key, value ... */
    public static Map<String, String> props(String... keyValues) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}
