package dev.archon.traceability.health;

import dev.archon.traceability.db.Tables;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * Asks the database, through the service's own pool, whether it answers and which contract objects exist, in one
 * round trip and in bounded time. While the database hangs, concurrent callers share the one probe in flight
 * instead of piling up threads and connections.
 */
public final class DatabaseProbe implements AutoCloseable {

    /** Tables and functions the service relies on; each health endpoint reports the ones it needs. */
    public static final List<String> CONTRACT_OBJECTS = Stream.concat(Tables.CONTRACT.stream(),
            Stream.of(Tables.LINEAGE_PATH_FUNCTION)).toList();

    /** Everything a probe looks for: the contract, and our own tables that a service's health reports. */
    static final List<String> PROBED_OBJECTS = Stream.of(CONTRACT_OBJECTS, List.of(Tables.PATTERN_SUMMARIES,
            Tables.PENDING_PATTERN_SUMMARIES),
            Tables.ROLLUPS, Tables.FEEDBACK).flatMap(List::stream).toList();

    private static final String QUERY = """
            SELECT current_setting('server_version'),
                   o,
                   CASE WHEN o LIKE '%(%' THEN to_regprocedure(o) IS NOT NULL ELSE to_regclass(o) IS NOT NULL END
              FROM unnest(?::text[]) AS o""";

    /** What one probe found. {@code error} is null when the database answered. */
    public record Result(boolean up, double latencyMs, String serverVersion, Map<String, Boolean> objects,
                         String error) {

        static Result down(String error) {
            return new Result(false, -1, null, Map.of(), error);
        }
    }

    private final DataSource dataSource;
    private final Duration timeout;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "database-probe");
        t.setDaemon(true);
        return t;
    });
    private CompletableFuture<Result> inFlight;
    private volatile Result lastCompleted;

    public DatabaseProbe(DataSource dataSource, Duration timeout) {
        this.dataSource = dataSource;
        this.timeout = timeout;
    }

    public Result probe() {
        CompletableFuture<Result> current;
        synchronized (this) {
            if (inFlight == null || inFlight.isDone()) {
                inFlight = CompletableFuture.supplyAsync(this::query, executor);
                inFlight.thenAccept(r -> lastCompleted = r);
            }
            current = inFlight;
        }
        try {
            return current.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            Result last = lastCompleted;
            String previous = last != null && !last.up() ? " (last error: " + last.error() + ")" : "";
            return Result.down("no answer within " + timeout.toMillis() + " ms" + previous);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.down("interrupted");
        } catch (ExecutionException e) {
            return Result.down(String.valueOf(e.getCause()));
        }
    }

    private Result query() {
        long t0 = System.nanoTime();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(QUERY)) {
            Array names = c.createArrayOf("text", PROBED_OBJECTS.toArray());
            ps.setArray(1, names);
            Map<String, Boolean> objects = new LinkedHashMap<>();
            String version = null;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    version = rs.getString(1);
                    objects.put(rs.getString(2), rs.getBoolean(3));
                }
            }
            double latencyMs = (System.nanoTime() - t0) / 1_000_000.0;
            return new Result(true, Math.round(latencyMs * 100) / 100.0, version,
                    Collections.unmodifiableMap(objects), null);
        } catch (Exception e) {
            return Result.down(rootMessage(e));
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String outer = e.getMessage();
        return root == e || root.getMessage() == null ? outer : outer + ": " + root.getMessage();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
