package dev.archon.traceability.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.json.Json;
import dev.archon.traceability.support.RunningService;
import dev.archon.traceability.support.RunningService.Response;
import dev.archon.traceability.support.TestPostgres;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Test data for the feedback loop: a pattern with two versions created through the real ingest endpoint, and
 * executions of each version seeded with SQL (generate_series): durations {@code mean + amplitude * sin(i * f)},
 * every {@code failEvery}-th a failure, quality 0.8 + 0.05 sin(0.7 i), started within the last hours. And the
 * independent check: Welch's test written out from the values read back.
 */
final class FeedbackSeed {

    private FeedbackSeed() {
    }

    /**
     * Drops a test database now rather than at the JVM's exit (where every class's databases would be dropped one
     * after the other, each DROP DATABASE a checkpoint, within the 30 s surefire gives a fork to exit).
     */
    static void drop(String libpqUri) {
        TestPostgres.server().dropDatabaseAt(libpqUri);
    }

    /** A pattern's two versions. */
    record Versions(UUID pattern, UUID v1, UUID v2) {
    }

    /** Creates pattern {@code name} (version 1) and modifies it (version 2) over HTTP. */
    static Versions pattern(RunningService service, String name) throws Exception {
        JsonNode created = track(service, "{\"event_type\":\"pattern_created\",\"pattern_name\":\"" + name + "\"}");
        JsonNode modified = track(service, "{\"event_type\":\"pattern_modified\",\"pattern_name\":\"" + name + "\"}");
        return new Versions(UUID.fromString(created.get("pattern_id").asText()),
                UUID.fromString(created.get("node_id").asText()), UUID.fromString(modified.get("node_id").asText()));
    }

    private static JsonNode track(RunningService service, String event) throws Exception {
        Response r = service.send(HttpRequest.newBuilder(service.uri("/api/lineage/track"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(event)));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return Json.mapper().readTree(r.body());
    }

    /** n executions of a version: duration mean + amplitude sin(i f) ms, every failEvery-th failed (0: none). */
    static void executions(String db, UUID pattern, UUID node, int n, double mean, double amplitude, double f,
                           int failEvery) throws Exception {
        try (Connection c = TestPostgres.connect(db);
             PreparedStatement ps = c.prepareStatement("""
                     INSERT INTO hook_executions (execution_id, pattern_id, node_id, status, duration_ms,
                                                  quality_score, started_at)
                     SELECT gen_random_uuid(), ?, ?,
                            CASE WHEN ? > 0 AND i % ? = 0 THEN 'failure' ELSE 'success' END,
                            ? + ? * sin(i * ?), 0.8 + 0.05 * sin(i * 0.7), now() - make_interval(mins => i)
                       FROM generate_series(1, ?) AS i""")) {
            ps.setObject(1, pattern);
            ps.setObject(2, node);
            ps.setInt(3, failEvery);
            ps.setInt(4, Math.max(failEvery, 1));
            ps.setDouble(5, mean);
            ps.setDouble(6, amplitude);
            ps.setDouble(7, f);
            ps.setInt(8, n);
            ps.executeUpdate();
        }
    }

    /** The durations of a version's executions, as stored. */
    static double[] durations(String db, UUID node) throws Exception {
        List<Double> out = new ArrayList<>();
        try (Connection c = TestPostgres.connect(db);
             PreparedStatement ps = c.prepareStatement("SELECT duration_ms FROM hook_executions WHERE node_id = ?")) {
            ps.setObject(1, node);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getDouble(1));
                }
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    /** Sample variance, two passes. */
    static double variance(double[] x) {
        double m = mean(x);
        double s = 0;
        for (double v : x) {
            s += (v - m) * (v - m);
        }
        return s / (x.length - 1);
    }

    /**
     * Welch's t-test written out: t = (mean2 - mean1) / sqrt(v1/n1 + v2/n2), Welch-Satterthwaite degrees of freedom,
     * two-sided p from the t distribution. Independent of the service's code (which hands summaries to Commons
     * Math's TTest).
     */
    static double welchP(double[] parent, double[] child) {
        double a = variance(parent) / parent.length;
        double b = variance(child) / child.length;
        double t = (mean(child) - mean(parent)) / Math.sqrt(a + b);
        double df = (a + b) * (a + b) / (a * a / (parent.length - 1) + b * b / (child.length - 1));
        return 2 * new TDistribution(df).cumulativeProbability(-Math.abs(t));
    }

    static double percentile(double[] x, double q) {
        double[] s = x.clone();
        java.util.Arrays.sort(s);
        double pos = q * (s.length - 1); // percentile_cont: linear interpolation between the closest ranks
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return s[lo] + (s[hi] - s[lo]) * (pos - lo);
    }
}
