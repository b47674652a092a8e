import dev.archon.traceability.db.PostgresUrl;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The feedback loop under the two budgets, run by bench/feedback.sh against a started service:
 * A. one workflow over 100,000 executions in its window (50,000 per version), end to end (trigger to completed,
 *    polled) and per stage, beside the analyze stage's query run alone over JDBC;
 * B. 20 workflows triggered at once for 20 patterns (20,000 executions each) while a probe sends single execution
 *    records to POST /api/executions; the probe's latencies during the workflows against the same probe alone.
 * Executions are seeded with SQL (generate_series); patterns through the real ingest endpoint.
 */
public final class FeedbackBench {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern STATUS = Pattern.compile("\"status\":\"([a-z_]+)\"");
    private static final Pattern DURATION = Pattern.compile("\"duration_ms\":(\\d+)");

    public static void main(String[] args) throws Exception {
        String base = args[0];
        PostgresUrl url = PostgresUrl.parse(args[1]);
        int runs = Integer.parseInt(args[2]);
        try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password())) {
            // ---- A: one workflow over 100,000 executions
            UUID[] big = pattern(base, "bench-feedback-big");
            long t0 = System.nanoTime();
            seed(c, big, 50_000);
            System.err.printf("seeded 100,000 executions in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            exec(c, "VACUUM ANALYZE hook_executions");
            List<long[]> workflows = new ArrayList<>();
            List<Long> sqlAlone = new ArrayList<>();
            String stages = null;
            for (int r = 0; r < runs; r++) {
                long start = System.nanoTime();
                String id = trigger(base, big[0]);
                String body = awaitEnd(base, id);
                long wall = (System.nanoTime() - start) / 1_000_000;
                workflows.add(new long[] {wall, serverDuration(body)});
                stages = stageDurations(body);
                long q0 = System.nanoTime();
                analyzeQuery(c, big[0]);
                sqlAlone.add((System.nanoTime() - q0) / 1_000_000);
                System.err.printf("run %d: %s, %d ms (server %d ms), stages %s, analyze SQL alone %d ms%n", r + 1,
                        status(body), wall, serverDuration(body), stages, sqlAlone.get(r));
            }

            // ---- B: 20 workflows at once while ingest goes on
            List<UUID[]> twenty = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                UUID[] p = pattern(base, "bench-feedback-" + i);
                seed(c, p, 10_000);
                twenty.add(p);
            }
            exec(c, "VACUUM ANALYZE hook_executions");
            Probe alone = probe(base, Duration.ofSeconds(15), null);
            Probe during = probe(base, null, () -> {
                long s0 = System.nanoTime();
                List<String> ids = new ArrayList<>();
                for (UUID[] p : twenty) {
                    ids.add(trigger(base, p[0]));
                }
                List<String> outcomes = new ArrayList<>();
                for (String id : ids) {
                    outcomes.add(status(awaitEnd(base, id)));
                }
                long ms = (System.nanoTime() - s0) / 1_000_000;
                System.err.printf("20 workflows: %s in %d ms%n", outcomes, ms);
                return new long[] {ms, outcomes.stream().filter(o -> o.equals("completed")).count()};
            });

            System.out.printf("%n| A: one workflow, 100,000 executions in the window (%d runs) | min ms | median ms"
                    + " | max ms |%n|---|---|---|---|%n", runs);
            row("trigger to completed, polled every 50 ms (client)", workflows.stream().mapToLong(w -> w[0]).toArray());
            row("created to finished (server, duration_ms)", workflows.stream().mapToLong(w -> w[1]).toArray());
            row("the analyze stage's query alone (JDBC)", sqlAlone.stream().mapToLong(Long::longValue).toArray());
            System.out.printf("%nStages of the last run (ms): %s%n", stages);
            System.out.printf("%n| B: ingest probe, POST /api/executions one record at a time, 2 clients | requests"
                    + " | p50 ms | p95 ms | p99 ms | max ms | errors |%n|---|---|---|---|---|---|---|%n");
            alone.print("alone (15 s)");
            during.print("while 20 workflows over 20 x 20,000 executions ran");
            System.out.printf("%n20 workflows: %d of 20 completed in %d ms%n", during.result[1], during.result[0]);
        }
    }

    private static void row(String name, long[] values) {
        long[] s = values.clone();
        Arrays.sort(s);
        System.out.printf("| %s | %d | %d | %d |%n", name, s[0], s[s.length / 2], s[s.length - 1]);
    }

    /** A pattern with two versions, through POST /api/lineage/track: {pattern, v1, v2}. */
    private static UUID[] pattern(String base, String name) throws Exception {
        String created = post(base + "/api/lineage/track", "{\"event_type\":\"pattern_created\",\"pattern_name\":\""
                + name + "-" + UUID.randomUUID() + "\"}");
        String pattern = field(created, "pattern_id");
        String modified = post(base + "/api/lineage/track", "{\"event_type\":\"pattern_modified\",\"pattern_id\":\""
                + pattern + "\"}");
        return new UUID[] {UUID.fromString(pattern), UUID.fromString(field(created, "node_id")),
                UUID.fromString(field(modified, "node_id"))};
    }

    /** n executions per version: version 2 about a third faster, every 20th a failure. */
    private static void seed(Connection c, UUID[] p, int n) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO hook_executions (execution_id, pattern_id, node_id, status, duration_ms, quality_score,
                                             started_at)
                SELECT gen_random_uuid(), ?, ?, CASE WHEN i % 20 = 0 THEN 'failure' ELSE 'success' END,
                       ? + ? * sin(i * ?), 0.8 + 0.05 * sin(i * 0.7), now() - make_interval(secs => i * 3)
                  FROM generate_series(1, ?) AS i""")) {
            for (int v = 1; v <= 2; v++) {
                ps.setObject(1, p[0]);
                ps.setObject(2, p[v]);
                ps.setDouble(3, v == 1 ? 120 : 80);
                ps.setDouble(4, v == 1 ? 30 : 25);
                ps.setDouble(5, v == 1 ? 1.7 : 1.3);
                ps.setInt(6, n);
                ps.executeUpdate();
            }
        }
    }

    private static void analyzeQuery(Connection c, UUID pattern) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT node_id, count(*), count(*) FILTER (WHERE status = 'success'),
                       count(duration_ms), avg(duration_ms), var_samp(duration_ms),
                       percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY duration_ms),
                       count(quality_score), avg(quality_score), var_samp(quality_score)
                  FROM hook_executions
                 WHERE pattern_id = ? AND started_at >= now() - interval '7 days' AND started_at < now()
                   AND node_id IS NOT NULL
                 GROUP BY node_id""")) {
            ps.setObject(1, pattern);
            ps.executeQuery().close();
        }
    }

    private static String trigger(String base, UUID pattern) throws Exception {
        return field(post(base + "/api/feedback-loop/trigger", "{\"pattern_id\":\"" + pattern + "\"}"),
                "workflow_id");
    }

    private static String awaitEnd(String base, String id) throws Exception {
        while (true) {
            String body = get(base + "/api/feedback-loop/status/" + id);
            if (!status(body).equals("running")) {
                return body;
            }
            Thread.sleep(50);
        }
    }

    private static String status(String body) {
        Matcher m = STATUS.matcher(body);
        return m.find() ? m.group(1) : "?";
    }

    /** The workflow's duration_ms (the first one in the answer: the workflow's own, before its stages'). */
    private static long serverDuration(String body) {
        Matcher m = DURATION.matcher(body);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static String stageDurations(String body) {
        Matcher m = Pattern.compile("\"stage\":\"([a-z]+)\",\"status\":\"[a-z_]+\",\"attempt\":\\d+,"
                + "\"started_at\":\"[^\"]+\",\"finished_at\":\"[^\"]+\",\"duration_ms\":(\\d+)").matcher(body);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1) + " " + m.group(2));
        }
        return String.join(", ", out);
    }

    /** Latencies of single-record ingest, 2 clients back to back, for {@code length} or while {@code work} runs. */
    private static Probe probe(String base, Duration length, Work work) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong errors = new AtomicLong();
        ExecutorService clients = Executors.newFixedThreadPool(2);
        UUID probePattern = UUID.randomUUID();
        for (int i = 0; i < 2; i++) {
            clients.submit(() -> {
                while (!stop.get()) {
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/executions"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"pattern_id\":\"" + probePattern
                                        + "\",\"status\":\"success\",\"duration_ms\":12.5}")).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 201) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    latencies.add(System.nanoTime() - t0);
                    Thread.sleep(5);
                }
                return null;
            });
        }
        long[] result = null;
        if (work != null) {
            Thread.sleep(1000); // the probe is running before the workflows start
            latencies.clear();
            result = work.run();
        } else {
            Thread.sleep(length.toMillis());
        }
        stop.set(true);
        clients.shutdown();
        clients.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        return new Probe(latencies.stream().mapToLong(Long::longValue).sorted().toArray(), errors.get(), result);
    }

    private interface Work {
        long[] run() throws Exception;
    }

    private record Probe(long[] nanos, long errors, long[] result) {
        void print(String name) {
            System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f | %.1f | %d |%n", name, nanos.length,
                    pct(0.50), pct(0.95), pct(0.99), nanos[nanos.length - 1] / 1e6, errors);
        }

        double pct(double q) {
            return nanos[(int) Math.min(nanos.length - 1, Math.ceil(q * nanos.length) - 1)] / 1e6;
        }
    }

    private static String post(String url, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(url + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private static String get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    private static void exec(Connection c, String sql) throws Exception {
        try (var s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
