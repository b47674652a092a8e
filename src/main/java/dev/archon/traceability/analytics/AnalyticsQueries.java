package dev.archon.traceability.analytics;

import dev.archon.traceability.db.Pipeline;
import dev.archon.traceability.errors.ErrorCode;
import dev.archon.traceability.errors.Problem;
import dev.archon.traceability.errors.ProblemException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Reads one pattern's window from the rollup (migration V8): what it costs grows with the hours of the window, not
 * with its executions. Two round trips in one REPEATABLE READ snapshot, so the figures agree with each other even while
 * executions arrive: the sums, series and value counts (each of the window's hourly rows read once), then the
 * percentiles: from the raw rows (percentile_cont, exact) when the window holds at most {@code exactMaxExecutions}
 * executions with a duration, otherwise from the latency histograms (within 1 %, see {@link LatencyHistogram}). The
 * hourly window's trend buckets (5 minutes) come from the raw rows of that hour, the rollup's grain being the hour.
 */
public final class AnalyticsQueries {

    private static final String SNAPSHOT = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY";

    /**
     * These reads are small index range scans: parallel workers and JIT compilation cost more than they save
     * (measured: BENCHMARKS.md), so this transaction goes without them whatever the server's settings.
     */
    private static final String SERIAL = "SELECT set_config('max_parallel_workers_per_gather', '0', true),"
            + " set_config('jit', 'off', true)";

    /** all_time starts at the pattern's first execution. */
    private static final String FIRST_HOUR = """
            SELECT min(hour) FROM execution_rollup_hourly WHERE pattern_id = ?""";

    /** Whether the pattern exists (executions or a lineage node) and its newest execution before the window's end. */
    private static final String PATTERN = """
            SELECT EXISTS (SELECT 1 FROM execution_rollup_hourly WHERE pattern_id = ?)
                       OR EXISTS (SELECT 1 FROM lineage_nodes WHERE pattern_id = ?),
                   (SELECT last_started_at FROM execution_rollup_hourly WHERE pattern_id = ? AND hour < ?
                     ORDER BY hour DESC LIMIT 1)""";

    /**
     * The window's sums (the empty grouping set), and its executions per trend bucket, per UTC day, per UTC hour of
     * day and per UTC weekday (1 = Monday), from one pass over its hourly rows.
     */
    private static final String SUMMARY = """
            SELECT trend_bucket, day, hour_of_day, weekday, GROUPING(trend_bucket, day, hour_of_day, weekday),
                   sum(executions), sum(success_count), sum(failure_count), sum(timeout_count),
                   sum(quality_gate_failures), sum(duration_count), sum(duration_sum), sum(duration_sum_sq),
                   min(duration_min), max(duration_max), sum(quality_count), sum(quality_sum)
              FROM (SELECT floor(date_part('epoch', hour - ?) / ?)::int AS trend_bucket,
                           date_trunc('day', hour, 'UTC') AS day,
                           extract(hour FROM hour AT TIME ZONE 'UTC')::int AS hour_of_day,
                           extract(isodow FROM hour AT TIME ZONE 'UTC')::int AS weekday,
                           executions, success_count, failure_count, timeout_count, quality_gate_failures,
                           duration_count, duration_sum, duration_sum_sq, duration_min, duration_max, quality_count,
                           quality_sum
                      FROM execution_rollup_hourly
                     WHERE pattern_id = ? AND hour >= ? AND hour < ?) h
             GROUP BY GROUPING SETS ((), (trend_bucket), (day), (hour_of_day), (weekday))""";

    /** The hourly window's trend: executions per 5 minutes, from the raw rows. */
    private static final String RAW_SERIES = """
            SELECT floor(date_part('epoch', started_at - ?) / ?)::int, count(*)
              FROM hook_executions
             WHERE pattern_id = ? AND started_at >= ? AND started_at < ?
             GROUP BY 1""";

    /** Executions per value: daily rows for the window's whole days, hourly rows for the hours around them. */
    private static final String VALUES = """
            SELECT dimension, value, sum(executions) AS n
              FROM (SELECT dimension, value, executions FROM execution_rollup_values_daily
                     WHERE pattern_id = ? AND day >= ? AND day < ?
                    UNION ALL
                    SELECT dimension, value, executions FROM execution_rollup_values_hourly
                     WHERE pattern_id = ? AND hour >= ? AND hour < ?
                    UNION ALL
                    SELECT dimension, value, executions FROM execution_rollup_values_hourly
                     WHERE pattern_id = ? AND hour >= ? AND hour < ?) v
             GROUP BY dimension, value
             ORDER BY dimension, n DESC, value""";

    /** Exact percentiles from the raw rows, read when the window holds few executions with a duration. */
    private static final String EXACT_PERCENTILES = """
            SELECT percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY duration_ms)
              FROM hook_executions
             WHERE pattern_id = ? AND started_at >= ? AND started_at < ? AND duration_ms IS NOT NULL""";

    /**
     * The latency histograms otherwise: those of the window's whole days and of the hours before and after them (a
     * few dozen rows of bucket and count arrays, added up by {@link LatencyHistogram}).
     */
    private static final String HISTOGRAMS = """
            SELECT latency_buckets, latency_counts FROM execution_rollup_latency_daily
             WHERE pattern_id = ? AND day >= ? AND day < ?
            UNION ALL
            SELECT latency_buckets, latency_counts FROM execution_rollup_hourly
             WHERE pattern_id = ? AND hour >= ? AND hour < ? AND latency_buckets IS NOT NULL
            UNION ALL
            SELECT latency_buckets, latency_counts FROM execution_rollup_hourly
             WHERE pattern_id = ? AND hour >= ? AND hour < ? AND latency_buckets IS NOT NULL""";

    private final DataSource dataSource;
    private final int exactMaxExecutions;

    public AnalyticsQueries(DataSource dataSource, int exactMaxExecutions) {
        this.dataSource = dataSource;
        this.exactMaxExecutions = exactMaxExecutions;
    }

    /** The window and its figures; 404 INVALID_PATTERN_ID for a pattern with no executions and no lineage node. */
    public Read read(AnalyticsRequest request, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Read read = read(c, request, now);
                c.commit();
                return read;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** A window and what the database holds for it. */
    public record Read(AnalyticsWindow window, WindowFigures figures) {
    }

    private Read read(Connection c, AnalyticsRequest request, Instant now) throws SQLException {
        UUID p = request.patternId();
        Pipeline pipeline = new Pipeline(c).update(SNAPSHOT).query(SERIAL, null);
        AnalyticsWindow w;
        switch (request.type()) {
            case CUSTOM -> w = AnalyticsWindow.spanning(WindowType.CUSTOM, request.from(), request.to(), now);
            case ALL_TIME -> {
                Instant[] first = new Instant[1];
                pipeline.query(FIRST_HOUR, rs -> {
                    rs.next();
                    first[0] = instant(rs.getTimestamp(1));
                }, p).run();
                Instant from = first[0] == null || first[0].isAfter(now) ? now : first[0];
                w = AnalyticsWindow.spanning(WindowType.ALL_TIME, from, now, now);
            }
            default -> w = AnalyticsWindow.named(request.type(), now);
        }
        OffsetDateTime start = time(w.start());
        OffsetDateTime end = time(w.end());
        OffsetDateTime daysFrom = time(w.wholeDays().from());
        OffsetDateTime daysTo = time(w.wholeDays().to());

        boolean[] known = new boolean[1];
        Instant[] last = new Instant[1];
        Totals[] totals = new Totals[1];
        long[] trend = new long[w.buckets()];
        Map<Instant, Long> perDay = new LinkedHashMap<>();
        long[] perHour = new long[24];
        long[] perWeekday = new long[7];
        Map<String, Map<String, Long>> values = new LinkedHashMap<>();
        double[][] exact = new double[1][];
        Map<Integer, Long> histogram = new HashMap<>();

        pipeline.query(PATTERN, rs -> {
            rs.next();
            known[0] = rs.getBoolean(1);
            last[0] = instant(rs.getTimestamp(2));
        }, p, p, p, end);
        boolean rawTrend = request.type() == WindowType.HOURLY;
        pipeline.query(SUMMARY, rs -> {
            while (rs.next()) {
                long n = rs.getLong(6);
                if (rs.getInt(5) == 0b1111) {
                    totals[0] = new Totals(n, rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10),
                            rs.getLong(11), rs.getDouble(12), rs.getDouble(13), (Double) rs.getObject(14),
                            (Double) rs.getObject(15), rs.getLong(16), rs.getDouble(17));
                } else if (rs.getObject(1) != null) {
                    if (!rawTrend) {
                        trend[rs.getInt(1)] += n;
                    }
                } else if (rs.getObject(2) != null) {
                    perDay.put(instant(rs.getTimestamp(2)), n);
                } else if (rs.getObject(3) != null) {
                    perHour[rs.getInt(3)] = n;
                } else {
                    perWeekday[rs.getInt(4) - 1] = n;
                }
            }
        }, start, w.bucket().toSeconds(), p, start, end);
        if (rawTrend) {
            pipeline.query(RAW_SERIES, rs -> {
                while (rs.next()) {
                    trend[rs.getInt(1)] = rs.getLong(2);
                }
            }, start, w.bucket().toSeconds(), p, start, end);
        }
        pipeline.query(VALUES, rs -> {
            while (rs.next()) {
                values.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(rs.getString(2),
                        rs.getLong(3));
            }
        }, p, daysFrom, daysTo, p, start, daysFrom, p, daysTo, end);
        pipeline.run();
        if (!known[0]) {
            throw new ProblemException(Problem.notFound(ErrorCode.INVALID_PATTERN_ID, "pattern_id", "no pattern "
                    + p + ": it has no executions and no lineage node"));
        }
        Totals t = totals[0];
        if (t.durationCount > 0 && t.durationCount <= exactMaxExecutions) {
            pipeline.query(EXACT_PERCENTILES, rs -> {
                rs.next();
                Double[] v = (Double[]) rs.getArray(1).getArray();
                exact[0] = new double[] {v[0], v[1], v[2]};
            }, p, start, end).run();
        } else if (t.durationCount > 0) {
            pipeline.query(HISTOGRAMS, rs -> {
                while (rs.next()) {
                    LatencyHistogram.add(histogram, (Integer[]) rs.getArray(1).getArray(),
                            (Long[]) rs.getArray(2).getArray());
                }
            }, p, daysFrom, daysTo, p, start, daysFrom, p, daysTo, end).run();
        }
        return new Read(w, new WindowFigures(t.executions, t.successes, t.failures, t.timeouts, t.gateFailures,
                t.durationCount, t.durationSum, t.durationSumSq, t.durationMin, t.durationMax, t.qualityCount,
                t.qualitySum, last[0], trend, perDay, perHour, perWeekday, values, exact[0],
                new LatencyHistogram(histogram)));
    }

    private record Totals(long executions, long successes, long failures, long timeouts, long gateFailures,
                          long durationCount, double durationSum, double durationSumSq, Double durationMin,
                          Double durationMax, long qualityCount, double qualitySum) {
    }

    static OffsetDateTime time(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
