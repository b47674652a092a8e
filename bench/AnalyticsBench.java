import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.archon.traceability.analytics.AnalyticsQueries;
import dev.archon.traceability.analytics.AnalyticsRequest;
import dev.archon.traceability.analytics.WindowType;
import java.lang.reflect.Field;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Analytics benchmark, run by bench/analytics.sh against a service it started on an empty embedded PostgreSQL:
 *
 * <ol>
 * <li>seeds, with SQL (generate_series into hook_executions, then rebuild_execution_rollups(), the migration's
 *     backfill): pattern P with 1,000,000 executions in the last 30 days interleaved with 1,000,000 of 100 other
 *     patterns (so a pattern's rows are scattered as real ingest leaves them), pattern Y with 1,000,000 over the
 *     last 365 days, and patterns of 1,000 to 100,000 executions over the last 7 days (the exact-percentile
 *     threshold);</li>
 * <li>GET /api/analytics/pattern/P?time_window=monthly over HTTP, uncached (each request preceded by a POST of one
 *     execution of P, whose commit drops the cached answer; only the GET is timed) and cached;</li>
 * <li>the same statements through JDBC in the same run (AnalyticsQueries, the class the service runs, on a
 *     one-connection pool): the database's own time plus its three loopback round trips;</li>
 * <li>EXPLAIN ANALYZE of each statement once, for where the time goes;</li>
 * <li>the same for Y (yearly window: 8,760 hours), and the exact against the histogram percentiles by window size.</li>
 * </ol>
 * Usage (from the project root, jar built): java -cp target/pattern-traceability.jar bench/AnalyticsBench.java
 * HTTP_PORT PG_PORT [runs]
 */
public class AnalyticsBench {

    private static final UUID P = UUID.fromString("00000000-0000-4000-8000-00000000a001");
    private static final UUID Y = UUID.fromString("00000000-0000-4000-8000-00000000a002");
    private static final int[] SIZES = {1_000, 5_000, 10_000, 20_000, 50_000, 100_000};

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static String base;

    public static void main(String[] args) throws Exception {
        base = "http://127.0.0.1:" + args[0];
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + args[1] + "/omninode_bridge");
        config.setUsername("postgres");
        config.setMaximumPoolSize(1);
        try (HikariDataSource db = new HikariDataSource(config)) {
            seed(db);
            System.out.printf("%n## %s, %d runs per row, load average %.1f%n%n", Instant.now().truncatedTo(
                    ChronoUnit.SECONDS), runs, java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                    .getSystemLoadAverage());
            System.out.println("| what | executions in window | p50 ms | p95 ms | p99 ms | max ms |");
            System.out.println("|---|---|---|---|---|---|");
            measurePattern(db, P, "monthly", 1_000_000, runs);
            measurePattern(db, Y, "yearly", 1_000_000, Math.max(20, runs / 5));
            measureTrends(runs);
            System.out.println();
            explain(db, P, WindowType.MONTHLY);
            exactAgainstHistogram(db);
            System.out.printf("%nload average at the end %.1f%n", java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    // -------------------------------------------------------------------------------------------------------------

    private static void seed(HikariDataSource db) throws SQLException {
        long t0 = System.nanoTime();
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("SET synchronous_commit = off"); // seeding only: the measured service keeps its settings
            s.execute("SELECT ensure_monthly_partition('hook_executions', d::date) FROM generate_series("
                    + "date_trunc('month', now() - interval '13 months'), now(), interval '1 month') d");
            // P and 100 other patterns alternate row by row, all in the last 30 days (the monthly window)
            s.execute(insert("CASE WHEN i % 2 = 0 THEN '" + P + "'::uuid ELSE ('00000000-0000-4000-8000-'"
                    + " || lpad((i % 200)::text, 12, '0'))::uuid END", "30 days", 2_000_000));
            // Y: a million over the last 365 days (the yearly window: 8,760 hours)
            s.execute(insert("'" + Y + "'::uuid", "365 days", 1_000_000));
            // the threshold patterns, interleaved with each other, in the last 7 days
            int total = Arrays.stream(SIZES).sum();
            StringBuilder which = new StringBuilder("CASE");
            int upTo = 0;
            for (int n : SIZES) {
                upTo += n;
                which.append(" WHEN (i * 7919) % ").append(total).append(" < ").append(upTo).append(" THEN '")
                        .append(sized(n)).append("'::uuid");
            }
            s.execute(insert(which.append(" END").toString(), "7 days", total));
            log("seeded %,d executions in %.0f s; rolling up", 3_000_000 + total, seconds(t0));
            long t1 = System.nanoTime();
            try (ResultSet rs = s.executeQuery("SELECT rebuild_execution_rollups()")) {
                rs.next();
                log("rebuild_execution_rollups(): %,d executions in %.0f s", rs.getLong(1), seconds(t1));
            }
            s.execute("VACUUM ANALYZE");
            try (ResultSet rs = s.executeQuery("SELECT relname, n_live_tup, pg_size_pretty(pg_total_relation_size("
                    + "relid)) FROM pg_stat_user_tables WHERE relname LIKE 'execution_rollup%' ORDER BY 1")) {
                while (rs.next()) {
                    log("  %s: %,d rows, %s", rs.getString(1), rs.getLong(2), rs.getString(3));
                }
            }
        }
    }

    /** n executions of {@code pattern} (an SQL expression of i) spread at random over the last {@code span}. */
    private static String insert(String pattern, String span, int n) {
        return "INSERT INTO hook_executions (execution_id, pattern_id, hook_type, hook_name, tool_name, status,"
                + " duration_ms, quality_score, performance_score, quality_gates_passed, context_type, agent, project,"
                + " session_id, started_at)"
                + " SELECT gen_random_uuid(), " + pattern + ", 'post_tool_use', 'quality-gate',"
                + " (ARRAY['Edit', 'Write', 'Bash'])[1 + i % 3],"
                + " (ARRAY['success', 'success', 'success', 'success', 'success', 'success', 'success', 'failure',"
                + "        'failure', 'timeout'])[1 + i % 10],"
                + " exp(ln(40) + 1.1 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())),"
                + " random(), random(), i % 13 <> 0, (ARRAY['api', 'cli', 'ide', 'ci'])[1 + i % 4],"
                + " 'agent-' || (i % 12), 'project-' || (i % 7), 's-' || (i % 5000),"
                + " now() - random() * interval '" + span + "'"
                + " FROM generate_series(1, " + n + ") i";
    }

    private static UUID sized(int n) {
        return UUID.fromString(String.format("00000000-0000-4000-8000-%012d", 900_000_000L + n));
    }

    // -------------------------------------------------------------------------------------------------------------

    private static void measurePattern(HikariDataSource db, UUID pattern, String window, long executions, int runs)
            throws Exception {
        String url = "/api/analytics/pattern/" + pattern + "?time_window=" + window;
        for (int i = 0; i < 20; i++) { // warm-up: JIT, plans, buffers
            postOne(pattern);
            get(url);
        }
        long[] uncached = new long[runs];
        for (int i = 0; i < runs; i++) {
            postOne(pattern); // its commit drops the cached answer
            long t = System.nanoTime();
            String body = get(url);
            uncached[i] = System.nanoTime() - t;
            if (i == 0 && !body.contains("\"percentile_method\":\"histogram\"")) {
                throw new IllegalStateException("expected histogram percentiles: " + body);
            }
        }
        long[] cached = new long[runs * 10];
        get(url);
        for (int i = 0; i < cached.length; i++) {
            long t = System.nanoTime();
            get(url);
            cached[i] = System.nanoTime() - t;
        }
        AnalyticsQueries queries = new AnalyticsQueries(db, 10_000);
        AnalyticsRequest request = AnalyticsRequest.named(pattern, WindowType.ofKey(window));
        long[] jdbc = new long[runs];
        for (int i = 0; i < 20; i++) {
            queries.read(request, Instant.now());
        }
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            queries.read(request, Instant.now());
            jdbc[i] = System.nanoTime() - t;
        }
        row("HTTP, uncached, " + window, executions, uncached);
        row("JDBC, the same statements (database time + 3 round trips), " + window, executions, jdbc);
        row("HTTP, cached, " + window, executions, cached);
    }

    private static void measureTrends(int runs) throws Exception {
        for (String window : List.of("weekly", "monthly")) {
            String url = "/api/analytics/trends?time_window=" + window;
            for (int i = 0; i < 10; i++) {
                get(url);
            }
            long[] t = new long[Math.max(20, runs / 4)];
            for (int i = 0; i < t.length; i++) {
                long s = System.nanoTime();
                get(url);
                t[i] = System.nanoTime() - s;
            }
            row("HTTP, trends (never cached), " + window + ", 108 patterns", 3_000_000 + Arrays.stream(SIZES).sum(),
                    t);
        }
    }

    /** EXPLAIN ANALYZE of each statement the service runs for this request, with the same parameters. */
    private static void explain(HikariDataSource db, UUID pattern, WindowType type) throws Exception {
        var w = dev.archon.traceability.analytics.AnalyticsWindow.named(type, Instant.now());
        OffsetDateTime s = t(w.start());
        OffsetDateTime e = t(w.end());
        OffsetDateTime df = t(w.wholeDays().from());
        OffsetDateTime dt = t(w.wholeDays().to());
        long b = w.bucket().toSeconds();
        System.out.println("EXPLAIN ANALYZE of each statement, " + type.key() + " window of P (server time, warm):");
        System.out.println();
        explain(db, "PATTERN", pattern, pattern, pattern, e);
        explain(db, "SUMMARY", s, b, pattern, s, e);
        explain(db, "VALUES", pattern, df, dt, pattern, s, df, pattern, dt, e);
        explain(db, "HISTOGRAMS", pattern, df, dt, pattern, s, df, pattern, dt, e);
        // the exact percentiles at the threshold: the pattern with 10,000 executions in its weekly window
        var week = dev.archon.traceability.analytics.AnalyticsWindow.named(WindowType.WEEKLY, Instant.now());
        explain(db, "EXACT_PERCENTILES", sized(10_000), t(week.start()), t(week.end()));
        System.out.println();
    }

    private static void explain(HikariDataSource db, String statement, Object... params) throws Exception {
        // the statement text is read from the class the service runs, so what is explained is exactly what it runs
        Field f = AnalyticsQueries.class.getDeclaredField(statement);
        f.setAccessible(true);
        String sql = (String) f.get(null);
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            double total = 0;
            List<String> plan = new ArrayList<>();
            for (int run = 0; run < 3; run++) { // the last of three, warm
                plan.clear();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        plan.add(rs.getString(1));
                    }
                }
            }
            for (String line : plan) {
                if (line.startsWith("Execution Time")) {
                    total = Double.parseDouble(line.replaceAll("[^0-9.]", ""));
                }
            }
            System.out.printf("- %s: %.2f ms%n", statement, total);
            if (System.getenv("BENCH_PLANS") != null) {
                plan.forEach(l -> System.out.println("      " + l));
            }
        }
    }

    /** Exact percentiles (raw rows) against the histogram, weekly window, by executions in the window. */
    private static void exactAgainstHistogram(HikariDataSource db) throws Exception {
        System.out.println("Exact (percentile_cont over the raw rows) against histogram percentiles, weekly window,"
                + " JDBC, median of 15:");
        System.out.println();
        System.out.println("| executions in window | exact ms | histogram ms |");
        System.out.println("|---|---|---|");
        AnalyticsQueries exact = new AnalyticsQueries(db, Integer.MAX_VALUE);
        AnalyticsQueries histogram = new AnalyticsQueries(db, 0);
        for (int n : SIZES) {
            AnalyticsRequest r = AnalyticsRequest.named(sized(n), WindowType.WEEKLY);
            long[] e = new long[15];
            long[] h = new long[15];
            for (int i = 0; i < 3; i++) {
                exact.read(r, Instant.now());
                histogram.read(r, Instant.now());
            }
            for (int i = 0; i < e.length; i++) {
                long t = System.nanoTime();
                exact.read(r, Instant.now());
                e[i] = System.nanoTime() - t;
                t = System.nanoTime();
                histogram.read(r, Instant.now());
                h[i] = System.nanoTime() - t;
            }
            Arrays.sort(e);
            Arrays.sort(h);
            System.out.printf(Locale.ROOT, "| %,d | %.1f | %.1f |%n", n, e[7] / 1e6, h[7] / 1e6);
        }
    }

    // -------------------------------------------------------------------------------------------------------------

    private static void postOne(UUID pattern) throws Exception {
        String body = "{\"pattern_id\":\"" + pattern + "\",\"status\":\"success\",\"duration_ms\":42.0,"
                + "\"started_at\":\"" + Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS) + "\"}";
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/executions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("POST /api/executions: " + r.statusCode() + " " + r.body());
        }
    }

    private static String get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private static void row(String what, long executions, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        System.out.printf(Locale.ROOT, "| %s | %,d | %.2f | %.2f | %.2f | %.2f |%n", what, executions,
                pct(s, 0.50), pct(s, 0.95), pct(s, 0.99), s[s.length - 1] / 1e6);
    }

    /** The nearest-rank percentile, in ms. */
    private static double pct(long[] sorted, double p) {
        return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    private static OffsetDateTime t(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[analytics-bench] " + format + "%n", args);
    }
}
