import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.archon.traceability.db.PostgresUrl;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Latency of GET /api/executions, pages of 100 over the 10,000,000 executions of bench/sql/execution-log.sql, one
 * client at a time: each page over HTTP (the whole service: checks, the SQL function, JSON of 100 rows), then the
 * same hook_executions_page() call through JDBC on one pooled connection, reading every column of every row (the
 * database's own time, with the driver). Run by bench/executions.sh.
 */
public final class ExecutionLogBench {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PAGE = "SELECT * FROM hook_executions_page(pattern_id => ?::uuid, agent => ?,"
            + " status => ?, session_id => ?, until => ?::timestamptz, after_started_at => ?::timestamptz,"
            + " after_execution_id => ?::uuid, page_rows => 100)";

    /** One query: its HTTP parameters and the same filters for the SQL function (null: not given). */
    private record Page(String query, String pattern, String agent, String status, String session, String until,
                        String afterAt, String afterId) {
    }

    private interface Pages {
        Page get(int i) throws Exception;
    }

    private static String base;
    private static HikariDataSource pool;

    public static void main(String[] args) throws Exception {
        base = args[0] + "/api/executions?limit=100";
        PostgresUrl url = PostgresUrl.parse(args[1]);
        int n = Integer.parseInt(args[2]);
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(url.jdbcUrl());
        ds.setUsername(url.user());
        ds.setPassword(url.password());
        ds.setMaximumPoolSize(1);
        pool = ds;
        Random random = new Random(42);
        int[] r = random.ints(n + 200, 0, Integer.MAX_VALUE).toArray();
        Instant newest;
        try (Connection c = pool.getConnection(); ResultSet rs = c.createStatement()
                .executeQuery("SELECT max(started_at) FROM hook_executions")) {
            rs.next();
            newest = rs.getObject(1, OffsetDateTime.class).toInstant();
        }
        List<String[]> rows = new ArrayList<>();
        try (ds) {
            rows.add(measure("newest 100, no filter", n, i -> new Page("", null, null, null, null, null, null, null)));
            rows.add(measure("pattern_id (10,000 rows each)", n, i -> {
                String p = md5Uuid("pattern-" + r[i] % 1000);
                return new Page("&pattern_id=" + p, p, null, null, null, null, null, null);
            }));
            rows.add(measure("agent (200,000 rows each)", n, i -> {
                String a = "agent-" + r[i] % 50;
                return new Page("&agent=" + a, null, a, null, null, null, null, null);
            }));
            rows.add(measure("status=timeout (1 %)", n,
                    i -> new Page("&status=timeout", null, null, "timeout", null, null, null, null)));
            rows.add(measure("session_id (50 rows each)", n, i -> {
                String s = "session-" + r[i] % 200000;
                return new Page("&session_id=" + s, null, null, null, s, null, null, null);
            }));
            rows.add(measure("until = a random time in the 90 days", n, i -> {
                String t = newest.minus(r[i] % (90 * 24 * 60), ChronoUnit.MINUTES).atOffset(ZoneOffset.UTC).toString();
                return new Page("&until=" + URLEncoder.encode(t, StandardCharsets.UTF_8), null, null, null, null, t,
                        null, null);
            }));
            rows.add(measure("second page of an agent (after = cursor)", n, i -> {
                String a = "agent-" + r[i] % 50;
                JsonNode first = JSON.readTree(get(base + "&agent=" + a));
                JsonNode last = first.get("executions").get(99);
                return new Page("&agent=" + a + "&after=" + first.get("next_cursor").asText(), null, a, null, null,
                        null, last.get("started_at").asText(), last.get("execution_id").asText());
            }));
        }
        System.out.printf("%n| page of 100 (%d requests each, 1 client) | HTTP p50 ms | HTTP p95 ms | HTTP p99 ms"
                + " | JDBC p50 ms | JDBC p95 ms | HTTP/JDBC at p95 |%n|---|---|---|---|---|---|---|%n", n);
        rows.forEach(row -> System.out.println("| " + String.join(" | ", row) + " |"));
    }

    private static String[] measure(String name, int n, Pages pages) throws Exception {
        Page[] all = new Page[n + 200];
        for (int i = 0; i < all.length; i++) {
            all[i] = pages.get(i);
        }
        for (int i = n; i < n + 200; i++) { // warm-up: JIT, plans, caches (pages not measured below)
            http(all[i]);
            jdbc(all[i]);
        }
        long[] h = new long[n];
        long[] d = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            http(all[i]);
            h[i] = System.nanoTime() - t0;
            t0 = System.nanoTime();
            jdbc(all[i]);
            d[i] = System.nanoTime() - t0;
        }
        Arrays.sort(h);
        Arrays.sort(d);
        return new String[] {name, ms(h, 0.50), ms(h, 0.95), ms(h, 0.99), ms(d, 0.50), ms(d, 0.95),
                String.format("%.1f", (double) pct(h, 0.95) / pct(d, 0.95))};
    }

    private static void http(Page p) throws Exception {
        if (JSON.readTree(get(base + p.query())).get("executions").size() == 0) {
            throw new IllegalStateException("empty page for " + p.query());
        }
    }

    private static String get(String uri) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(uri)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(uri + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private static void jdbc(Page p) throws Exception {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(PAGE)) {
            String[] values = {p.pattern(), p.agent(), p.status(), p.session(), p.until(), p.afterAt(), p.afterId()};
            for (int k = 0; k < values.length; k++) {
                ps.setString(k + 1, values[k]);
            }
            int rows = 0;
            try (ResultSet rs = ps.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int k = 1; k <= columns; k++) {
                        rs.getObject(k);
                    }
                    rows++;
                }
            }
            if (rows == 0) {
                throw new IllegalStateException("empty page over JDBC for " + p.query());
            }
        }
    }

    private static String md5Uuid(String s) throws Exception {
        byte[] d = java.security.MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
        StringBuilder hex = new StringBuilder();
        for (byte b : d) {
            hex.append(String.format("%02x", b));
        }
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20);
    }

    private static long pct(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static String ms(long[] sorted, double q) {
        return String.format("%.2f", pct(sorted, q) / 1e6);
    }
}
