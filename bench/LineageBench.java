import dev.archon.traceability.db.PostgresUrl;
import dev.archon.traceability.lineage.LineageQueries;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.IntFunction;
import com.zaxxer.hikari.HikariDataSource;

/**
 * Latency of the lineage read endpoints on the graph of bench/sql/lineage-graph.sql, one client at a time: each
 * query over HTTP (the whole service: routing, checks, SQL, JSON), then the same SQL through JDBC alone (the
 * database's own time, with the driver). Run by bench/lineage.sh.
 */
public final class LineageBench {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        String base = args[0];
        PostgresUrl url = PostgresUrl.parse(args[1]);
        int n = Integer.parseInt(args[2]);
        HikariDataSource ds = new HikariDataSource(); // one pooled connection, as the service's pool lends one
        ds.setJdbcUrl(url.jdbcUrl());
        ds.setUsername(url.user());
        ds.setPassword(url.password());
        ds.setMaximumPoolSize(1);
        LineageQueries queries = new LineageQueries(ds);
        Random random = new Random(42);
        long[] chains = random.ints(n, 0, 20000).asLongStream().toArray();
        long[] forked = random.ints(n, 0, 2000).mapToLong(i -> i * 10L + 5).toArray();  // forked patterns
        long[] sources = random.ints(n, 0, 2000).mapToLong(i -> i * 10L).toArray();     // forked from at v25

        List<String[]> rows = new ArrayList<>();
        try (ds; Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password())) {
            // path of a version 50: 50 steps, 75 for a forked pattern (the fork's parent is the source's version 25)
            rows.add(measure("path of version 50 (50-75 steps)", n,
                    i -> base + "/api/lineage/" + p(chains[i]) + "/path/" + node(chains[i], 50),
                    i -> rows(c, "SELECT * FROM get_lineage_path(?::uuid)", node(chains[i], 50))));
            rows.add(measure("ancestors of a forked pattern's v50 (74 nodes)", n,
                    i -> base + "/api/lineage/" + p(forked[i]) + "/ancestors/" + node(forked[i], 50),
                    i -> queries.walk(UUID.fromString(node(forked[i], 50)), LineageQueries.Direction.ANCESTORS,
                            new LineageQueries.Bounds(100, 1000)).nodes().size()));
            rows.add(measure("descendants of a fork source's v1 (99+ nodes)", n,
                    i -> base + "/api/lineage/" + p(sources[i]) + "/descendants/" + node(sources[i], 1),
                    i -> queries.walk(UUID.fromString(node(sources[i], 1)), LineageQueries.Direction.DESCENDANTS,
                            new LineageQueries.Bounds(100, 1000)).nodes().size()));
            rows.add(measure("pattern search, no filter, page of 50", n,
                    i -> base + "/api/lineage/patterns?limit=50",
                    i -> queries.patterns(null, null, null, 50, null, null).patterns().size()));
            rows.add(measure("pattern search, prefix q (page of 50)", n,
                    i -> base + "/api/lineage/patterns?limit=50&q=bench-pattern-" + (chains[i] % 900 + 100),
                    i -> queries.patterns("bench-pattern-" + (chains[i] % 900 + 100), null, null, 50, null, null)
                            .patterns().size()));
            rows.add(measure("pattern search, substring q + type", n,
                    i -> base + "/api/lineage/patterns?limit=50&type=cache&q=" + (chains[i] % 9000 + 1000),
                    i -> queries.patterns(String.valueOf(chains[i] % 9000 + 1000), "cache", null, 50, null, null)
                            .patterns().size()));
        }
        System.out.printf("%n| query (%d requests each, 1 client) | HTTP p50 ms | HTTP p95 ms | HTTP p99 ms"
                + " | JDBC p50 ms | JDBC p95 ms | HTTP/JDBC at p95 |%n|---|---|---|---|---|---|---|%n", n);
        rows.forEach(r -> System.out.println("| " + String.join(" | ", r) + " |"));
    }

    private interface Call {
        Object run(int i) throws Exception;
    }

    private static String[] measure(String name, int n, IntFunction<String> http, Call jdbc) throws Exception {
        for (int i = 0; i < Math.min(n, 200); i++) { // warm-up: JIT, plans, caches
            get(http.apply(i));
            jdbc.run(i);
        }
        long[] h = new long[n];
        long[] d = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            get(http.apply(i));
            h[i] = System.nanoTime() - t0;
            t0 = System.nanoTime();
            jdbc.run(i);
            d[i] = System.nanoTime() - t0;
        }
        Arrays.sort(h);
        Arrays.sort(d);
        return new String[] {name, ms(h, 0.50), ms(h, 0.95), ms(h, 0.99), ms(d, 0.50), ms(d, 0.95),
                String.format("%.1f", (double) pct(h, 0.95) / pct(d, 0.95))};
    }

    private static void get(String uri) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(uri)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(uri + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    private static int rows(Connection c, String sql, String id) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            int rows = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows++;
                }
            }
            return rows;
        }
    }

    private static long pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static String ms(long[] sorted, double p) {
        return String.format("%.2f", pct(sorted, p) / 1e6);
    }

    private static String p(long k) {
        return md5uuid("p" + k);
    }

    private static String node(long k, int v) {
        return md5uuid("n" + k + ":" + v);
    }

    /** PostgreSQL's md5(text)::uuid. */
    private static String md5uuid(String text) {
        try {
            byte[] d = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (byte b : d) {
                hex.append(String.format("%02x", b));
            }
            return UUID.fromString(hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16)
                    + "-" + hex.substring(16, 20) + "-" + hex.substring(20)).toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
